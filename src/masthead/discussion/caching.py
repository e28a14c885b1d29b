"""What a discussion adds to its article's cached page, and what renews it.

A comment saved, deleted or moved between queues renews its article's page
and the site-wide comment lists; the discussion settings renew every page.
Likes alone do not: a page shows new like counts within ``LIKES_LAG`` seconds,
so a popular thread is not rendered again for every click.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.discussion import services, signals
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.lib import pagecache
from masthead.publishing.caching import COMMENTS, SITE, discussion_tag

LIKES_LAG = 60
FORM_TOKEN_FACTORY = "masthead.discussion.forms.issue_form_token"


def cache_discussion(request, post, config: DiscussionSettings) -> None:
    """Tie the page being rendered to this discussion, before its comments are read."""
    pagecache.depends_on(request, discussion_tag(post.pk))
    pagecache.expires_at(request, time.time() + LIKES_LAG)
    closing = services.closes_at(post, config)
    if closing is not None and services.comments_open(post, config):
        pagecache.expires_at(request, closing.timestamp())


def fresh_form_token(request, form, post) -> None:
    """Each reader of a stored page gets a token stamped with their own visit, so the
    form-filled-too-fast rule still measures the reader, not the cache."""
    pagecache.fresh_on_hit(request, form.initial["form_token"], FORM_TOKEN_FACTORY, post.pk)


def renew(post_id: int) -> None:
    pagecache.invalidate(discussion_tag(post_id), COMMENTS)


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
