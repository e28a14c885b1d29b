"""Which reader pages are cached whole, and which editorial changes renew them.

Every reader page depends on the ``site`` tag: a post, page, category, tag,
author or figure saved or deleted anywhere can change lists, neighbours' links,
menus, feeds and the sitemap, so any of them renews every page. Edits are rare
next to reads; what changes often (discussions) has tags of its own.
"""

import time
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from masthead.lib import pagecache

SITE = "site"
# Pages that count or list comments across the site: lists, comment feeds.
COMMENTS = "comments"


def reader_page(*tags: str):
    """``pagecache.cached_page`` for a reader page; it also turns over when a scheduled post
    goes public, which happens with no write at all."""

    def decorator(view):
        @pagecache.cached_page(SITE, *tags)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if pagecache.is_shared(request):
                pagecache.expires_at(request, next_scheduled())
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def next_scheduled() -> float | None:
    """When the next scheduled post goes public; asked once per editorial change."""
    key = f"pagecache:next-scheduled:{pagecache.versions([SITE])[SITE]}"
    found = cache.get(key)
    if found is None or (found and found <= time.time()):
        found = _next_scheduled() or 0
        cache.set(key, found, pagecache.MAX_AGE)
    return found or None


def _next_scheduled() -> float | None:
    from masthead.publishing.models import Post

    when = (
        Post.objects.filter(status__in=("published", "scheduled"), published_at__gt=timezone.now())
        .aggregate(first=Min("published_at"))
        .get("first")
    )
    return when.timestamp() if when else None


def _renew_site(sender, **kwargs) -> None:
    pagecache.invalidate(SITE)


# What the editor's script keeps while someone types; no reader sees it.
UNSEEN = {"postautosave"}


def connect() -> None:
    for model in apps.get_app_config("publishing").get_models():
        if model._meta.model_name in UNSEEN:
            continue
        uid = f"masthead.pagecache.{model._meta.label_lower}"
        post_save.connect(_renew_site, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_renew_site, sender=model, dispatch_uid=f"{uid}.delete")
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(_renew_site, sender=through, dispatch_uid=f"{uid}.{m2m.name}")
