from django.urls import path

from masthead.discussion.views import mail

urlpatterns = [
    path("confirm/<str:token>/", mail.confirm_subscription, name="confirm-subscription"),
    path("unsubscribe/<str:token>/", mail.unsubscribe, name="unsubscribe"),
    path("moderate/<str:token>/", mail.moderate_comment, name="moderate-comment"),
    path("privacy/", mail.request_privacy, name="request-privacy"),
    path("privacy/<str:token>/", mail.privacy, name="privacy"),
    path("privacy/<str:token>/comments.json", mail.export_comments, name="export-comments"),
    path("privacy/<str:token>/delete/", mail.erase_comments, name="erase-comments"),
]
