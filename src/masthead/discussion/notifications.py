"""Who hears about what. Receivers only queue work; the tasks find recipients and send."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from masthead.discussion import signals, tasks
from masthead.discussion.models import Announcement, CommentStatus
from masthead.discussion.querysets import is_visible
from masthead.lib.tasks import run_later
from masthead.publishing.models import Post, Status


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


@receiver(post_save, sender=Post, dispatch_uid="masthead.announce_post")
def post_saved(sender, instance, raw=False, **kwargs):
    """Queue the new-post email for the moment the post goes public.

    A scheduled post becomes public by the clock alone, with no event to
    react to, so the task waits until its publication time; it checks again
    then, and an announcement marks the post so it goes out once.
    """
    if raw or instance.status == Status.DRAFT or not tasks.is_news(instance):
        return
    if Announcement.objects.filter(post=instance).exists():
        return
    run_later(tasks.announce_post, instance.pk, when=instance.published_at)
