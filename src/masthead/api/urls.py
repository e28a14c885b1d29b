from django.urls import include, path

from masthead.api import views
from masthead.api.site import api

tokens = [
    path("", views.create_token, name="create"),
    path("<int:pk>/revoke/", views.revoke_token, name="revoke"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", include((tokens, "api-tokens"))),
]
