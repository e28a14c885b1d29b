"""Who hears about what. Receivers only queue work; the tasks find recipients and send."""

from django.dispatch import receiver

from masthead.discussion import signals, tasks
from masthead.discussion.models import CommentStatus
from masthead.discussion.querysets import is_visible
from masthead.lib.tasks import run_later
from masthead.publishing.signals import post_published


@receiver(signals.comment_submitted, dispatch_uid="masthead.notify_submitted")
def comment_submitted(sender, comment, **kwargs):
    if comment.status == CommentStatus.PENDING:
        tasks.queue_moderator_notice(comment)
    elif comment.is_visible:
        run_later(tasks.notify_followers, comment.pk)


@receiver(signals.comment_status_changed, dispatch_uid="masthead.notify_status_changed")
def comment_status_changed(sender, comment, previous, **kwargs):
    if comment.is_visible and not is_visible(previous):
        run_later(tasks.notify_followers, comment.pk)


@receiver(post_published, dispatch_uid="masthead.announce_post")
def post_went_public(sender, post, **kwargs):
    """Queue the new-post email when the post goes public: at its save, or when a
    scheduled one's time comes (publishing.events sends this once either way); an
    announcement marks the post, so a post taken back and published again is not
    sent twice."""
    if tasks.is_news(post):
        run_later(tasks.announce_post, post.pk)
