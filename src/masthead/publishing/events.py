"""When a post goes public, changes or goes away: the signals in ``signals.py``.

``Post.public_since`` records that a post's going public was announced, and an
UPDATE that claims it decides who announces: a save, or the task that wakes at a
scheduled post's time. Two saves of the same scheduled post therefore announce it
once, however many tasks wake for it. Importers write posts in bulk, announce
nothing, and set ``public_since`` themselves.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from masthead.lib.tasks import run_later
from masthead.publishing import signals
from masthead.publishing.models import Post, Status

# What a reader of the post sees change; a save that touches none of them is no update.
VISIBLE_FIELDS = ("title", "slug", "excerpt", "body", "lead_figure_id", "published_at")


@receiver(pre_save, sender=Post, dispatch_uid="masthead.events.post_before")
def _remember(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._stored = None
        return
    instance._stored = Post.objects.filter(pk=instance.pk).values(*VISIBLE_FIELDS).first()


@receiver(post_save, sender=Post, dispatch_uid="masthead.events.post_after")
def _saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.is_public:
        if _claim(instance):
            signals.post_published.send(Post, post=instance)
        elif _changed(instance):
            signals.post_updated.send(Post, post=instance)
        return
    if _release(instance):
        signals.post_unpublished.send(Post, post=instance)
    if instance.status == Status.SCHEDULED and instance.published_at:
        run_later(publish_due, instance.pk, when=instance.published_at)


@receiver(post_delete, sender=Post, dispatch_uid="masthead.events.post_deleted")
def _deleted(sender, instance, **kwargs):
    if instance.public_since is not None:
        signals.post_unpublished.send(Post, post=instance)


@task()
def publish_due(post_id: int) -> bool:
    """Announce a scheduled post once its time has come; False when it was already
    announced, moved, or taken back."""
    with transaction.atomic():
        post = Post.objects.published().filter(pk=post_id).first()
        if post is None or not _claim(post):
            return False
        signals.post_published.send(Post, post=post)
    return True


def _claim(post: Post) -> bool:
    now = timezone.now()
    claimed = Post.objects.filter(pk=post.pk, public_since__isnull=True).update(public_since=now)
    if claimed:
        post.public_since = now
    return bool(claimed)


def _release(post: Post) -> bool:
    released = Post.objects.filter(pk=post.pk, public_since__isnull=False).update(public_since=None)
    post.public_since = None
    return bool(released)


def _changed(post: Post) -> bool:
    stored = getattr(post, "_stored", None)
    if stored is None:
        return True
    return any(stored[name] != getattr(post, name) for name in VISIBLE_FIELDS)
