from django.urls import include, path, re_path

from masthead.api import views
from masthead.api.site import api

tokens = [
    path("", views.create_token, name="create"),
    path("<int:pk>/revoke/", views.revoke_token, name="revoke"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    # Past the API's own routes, an address under it is a JSON 404, not a site page.
    re_path(r"^api/v1/", views.no_such_endpoint),
    path("accounts/api-tokens/", include((tokens, "api-tokens"))),
]
