"""What a discussion adds to its article's cached page, and what renews it.

A comment saved, deleted or moved between queues renews its article's page
and the site-wide comment lists; the discussion settings renew every page.
A like renews the page at once, but at most once in ``LIKES_LAG`` seconds:
pages rendered while that window is open expire when it closes, so every like
shows within the lag and a popular thread is not rendered again for every
click, while a page nobody likes keeps (on disk too, see ``lib.pagefiles``).
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.discussion import services, signals
from masthead.discussion.models import Comment, CommentLike, DiscussionSettings
from masthead.lib import pagecache
from masthead.publishing.caching import COMMENTS, SITE, discussion_tag

LIKES_LAG = 60
FORM_TOKEN_FACTORY = "masthead.discussion.forms.issue_form_token"


def cache_discussion(request, post, config: DiscussionSettings) -> None:
    """Tie the page being rendered to this discussion, before its comments are read."""
    pagecache.depends_on(request, discussion_tag(post.pk))
    # Likes in an open window renewed nothing: this page must turn over when it closes.
    pagecache.expires_at(request, cache.get(_likes_window(post.pk)))
    closing = services.closes_at(post, config)
    if closing is not None and services.comments_open(post, config):
        pagecache.expires_at(request, closing.timestamp())


def fresh_form_token(request, form, post) -> None:
    """Each reader of a stored page gets a token stamped with their own visit, so the
    form-filled-too-fast rule still measures the reader, not the cache."""
    pagecache.fresh_on_hit(request, form.initial["form_token"], FORM_TOKEN_FACTORY, post.pk)


def renew(post_id: int) -> None:
    pagecache.invalidate(discussion_tag(post_id), COMMENTS)


def _likes_window(post_id: int) -> str:
    return f"likes-renew:{post_id}"


def _renew_likes(post_id: int) -> None:
    # After the commit: a like committed once the window has closed opens the next.
    if cache.add(_likes_window(post_id), time.time() + LIKES_LAG, LIKES_LAG):
        pagecache.invalidate(discussion_tag(post_id))


@receiver(post_save, sender=CommentLike, dispatch_uid="masthead.pagecache.comment_liked")
def _comment_liked(sender, instance, created, **kwargs):
    if created:
        post_id = instance.comment.post_id
        transaction.on_commit(lambda: _renew_likes(post_id))


@receiver(post_save, sender=Comment, dispatch_uid="masthead.pagecache.comment_saved")
@receiver(post_delete, sender=Comment, dispatch_uid="masthead.pagecache.comment_deleted")
def _comment_changed(sender, instance, update_fields=None, **kwargs):
    # A new held or spam comment changes no page: a flood of them keeps the cache.
    moved = update_fields is not None and "status" in update_fields
    if moved or instance.is_visible:
        renew(instance.post_id)


@receiver(signals.discussion_changed, dispatch_uid="masthead.pagecache.discussion_changed")
def _discussion_changed(sender, post_id, **kwargs):
    renew(post_id)


@receiver(post_save, sender=DiscussionSettings, dispatch_uid="masthead.pagecache.settings")
def _settings_changed(sender, **kwargs):
    pagecache.invalidate(SITE)
