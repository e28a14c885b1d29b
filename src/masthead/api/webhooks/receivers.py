"""Publication and discussion events turned into webhook deliveries."""

from django.dispatch import receiver

from masthead.api.webhooks import payloads, services
from masthead.api.webhooks.models import Event
from masthead.discussion.models import CommentStatus
from masthead.discussion.signals import comment_status_changed, comment_submitted
from masthead.publishing.signals import post_published, post_unpublished, post_updated

# A comment that reaches one of these statuses is announced as the event.
STATUS_EVENTS = {
    CommentStatus.APPROVED: Event.COMMENT_APPROVED,
    CommentStatus.SPAM: Event.COMMENT_SPAM,
}


def _post_event(event: str):
    def announce(sender, post, **kwargs):
        services.queue_event(event, lambda: payloads.post_data(post))

    return announce


for _signal, _event in (
    (post_published, Event.POST_PUBLISHED),
    (post_updated, Event.POST_UPDATED),
    (post_unpublished, Event.POST_UNPUBLISHED),
):
    _signal.connect(_post_event(_event), weak=False, dispatch_uid=f"masthead.webhooks.{_event}")


@receiver(comment_submitted, dispatch_uid="masthead.webhooks.comment_submitted")
def _submitted(sender, comment, **kwargs):
    # Sent again when an edit sends a comment back to moderation: no new comment, but
    # it may have become spam.
    if comment.edited_at is None:
        services.queue_event(Event.COMMENT_CREATED, lambda: payloads.comment_data(comment))
    _status_event(comment)


@receiver(comment_status_changed, dispatch_uid="masthead.webhooks.comment_status_changed")
def _status_changed(sender, comment, previous, **kwargs):
    _status_event(comment)


def _status_event(comment) -> None:
    event = STATUS_EVENTS.get(comment.status)
    if event:
        services.queue_event(event, lambda: payloads.comment_data(comment))
