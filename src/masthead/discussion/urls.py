from django.urls import include, path

from masthead.discussion import feeds
from masthead.discussion.views import comments, me
from masthead.publishing import converters  # noqa: F401

app_name = "discussion"

urlpatterns = [
    path("comments/post/", comments.post_comment, name="post-comment"),
    path("comments/me.json", me.me, name="me"),
    path("comments/<int:pk>/edit/", comments.edit_comment, name="edit-comment"),
    path("comments/<int:pk>/delete/", comments.delete_comment, name="delete-comment"),
    path("comments/<int:pk>/like/", comments.like_comment, name="like-comment"),
    path("comments/feed/", feeds.LatestComments(), name="comments-feed"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/feed/",
        feeds.PostComments(),
        name="post-comments-feed",
    ),
    path("comments/feed/page/<int:pk>/", feeds.PageComments(), name="page-comments-feed"),
    # Links in emails: confirmations, unsubscribes, moderation, privacy requests.
    path("email/", include("masthead.discussion.mail_urls")),
]
