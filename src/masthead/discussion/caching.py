"""What a discussion adds to its article's (or standing page's) cached page, and what
renews it.

A comment saved, deleted or moved between queues renews its article's or page's page
and the site-wide comment lists; a member's new avatar renews the pages their comments
are on; the discussion settings renew every page.
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
from masthead.discussion.querysets import target_key
from masthead.identity.signals import avatar_changed
from masthead.lib import pagecache
from masthead.publishing.caching import COMMENTS, SITE

LIKES_LAG = 60
FORM_TOKEN_FACTORY = "masthead.discussion.forms.issue_form_token"


def cache_discussion(request, post, config: DiscussionSettings) -> None:
    """Tie the page being rendered to this discussion (of a post or a standing page),
    before its comments are read."""
    key = target_key(post)
    pagecache.depends_on(request, key)
    # Likes in an open window renewed nothing: this page must turn over when it closes.
    pagecache.expires_at(request, cache.get(_likes_window(key)))
    closing = services.closes_at(post, config)
    if closing is not None and services.comments_open(post, config):
        pagecache.expires_at(request, closing.timestamp())


def fresh_form_token(request, form, post) -> None:
    """Each reader of a stored page gets a token stamped with their own visit, so the
    form-filled-too-fast rule still measures the reader, not the cache."""
    pagecache.fresh_on_hit(
        request, form.initial["form_token"], FORM_TOKEN_FACTORY, target_key(post)
    )


def renew(key: str) -> None:
    """Renew the pages showing one discussion: ``key`` is its ``Comment.target_key``."""
    pagecache.invalidate(key, COMMENTS)


def _likes_window(key: str) -> str:
    return f"likes-renew:{key}"


def _renew_likes(key: str) -> None:
    # After the commit: a like committed once the window has closed opens the next.
    if cache.add(_likes_window(key), time.time() + LIKES_LAG, LIKES_LAG):
        pagecache.invalidate(key)


@receiver(post_save, sender=CommentLike, dispatch_uid="masthead.pagecache.comment_liked")
def _comment_liked(sender, instance, created, **kwargs):
    if created:
        key = instance.comment.target_key
        transaction.on_commit(lambda: _renew_likes(key))


@receiver(post_save, sender=Comment, dispatch_uid="masthead.pagecache.comment_saved")
@receiver(post_delete, sender=Comment, dispatch_uid="masthead.pagecache.comment_deleted")
def _comment_changed(sender, instance, update_fields=None, **kwargs):
    # A new held or spam comment changes no page: a flood of them keeps the cache.
    moved = update_fields is not None and "status" in update_fields
    if moved or instance.is_visible:
        renew(instance.target_key)


@receiver(signals.discussion_changed, dispatch_uid="masthead.pagecache.discussion_changed")
def _discussion_changed(sender, key, **kwargs):
    renew(key)


@receiver(avatar_changed, dispatch_uid="masthead.pagecache.avatar_changed")
def _avatar_changed(sender, user, **kwargs):
    # Their cards show the picture: every discussion they are visible in turns over.
    shown = Comment.objects.visible().filter(user=user).only("post_id", "page_id")
    for key in {comment.target_key for comment in shown}:
        renew(key)


@receiver(post_save, sender=DiscussionSettings, dispatch_uid="masthead.pagecache.settings")
def _settings_changed(sender, **kwargs):
    pagecache.invalidate(SITE)
