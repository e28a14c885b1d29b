from django.urls import path

from masthead.desk.views import (
    actions,
    dashboard,
    deliveries,
    fediverse,
    following,
    queue,
    tokens,
    webhooks,
)

app_name = "desk"

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("moderation/", queue.moderation, name="moderation"),
    path("moderation/bulk/", actions.bulk, name="bulk"),
    path("moderation/empty-spam/", actions.empty_spam, name="empty-spam"),
    path("moderation/<int:pk>/", actions.moderate, name="moderate"),
    path("moderation/<int:pk>/edit/", actions.edit, name="edit"),
    path("moderation/<int:pk>/reply/", actions.reply, name="reply"),
    path("webhooks/", webhooks.index, name="webhooks"),
    path("webhooks/new/", webhooks.add, name="webhook-add"),
    path("webhooks/<int:pk>/", webhooks.detail, name="webhook"),
    path("webhooks/<int:pk>/ping/", webhooks.ping, name="webhook-ping"),
    path("webhooks/<int:pk>/secret/", webhooks.rotate, name="webhook-secret"),
    path("webhooks/<int:pk>/enable/", webhooks.enable, name="webhook-enable"),
    path("webhooks/<int:pk>/delete/", webhooks.delete, name="webhook-delete"),
    path("tokens/", tokens.index, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="token-revoke"),
    path("fediverse/", fediverse.fediverse, name="fediverse"),
    path("fediverse/blocks/<int:pk>/delete/", fediverse.unblock, name="unblock"),
    path("fediverse/deliveries/", deliveries.index, name="fediverse-deliveries"),
    path("fediverse/deliveries/<int:pk>/retry/", deliveries.retry, name="delivery-retry"),
    path("fediverse/servers/<int:pk>/retry/", deliveries.retry_server, name="server-retry"),
    path("fediverse/following/", following.index, name="following"),
    path("fediverse/following/<int:pk>/delete/", following.unfollow, name="unfollow"),
    path("fediverse/articles/<int:pk>/like/", following.like, name="remote-like"),
    path("fediverse/articles/<int:pk>/reply/", following.reply, name="remote-reply"),
    path("fediverse/replies/<int:pk>/edit/", following.edit_reply, name="reply-edit"),
    path("fediverse/replies/<int:pk>/delete/", following.delete_reply, name="reply-delete"),
]
