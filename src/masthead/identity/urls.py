from django.urls import path

from masthead.identity import views

app_name = "identity"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("delete/", views.delete_account, name="delete-account"),
    path("delete/done/", views.account_deleted, name="account-deleted"),
]
