"""The articles of the accounts the publication follows, as their servers send them:
kept on Create, changed on Update, gone on Delete, and only from accounts it follows.
A Mastodon post (a Note that answers nothing) counts as an article; boosts
(Announce) of other people's posts are not taken."""

import datetime as dt
import html
from urllib.parse import urlsplit

import nh3
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from masthead.federation.documents import ident
from masthead.federation.models import Following, FollowingState, RemoteActor, RemoteArticle
from masthead.publishing import sanitize

MAX_CONTENT = 200_000


def is_article(obj) -> bool:
    if not isinstance(obj, dict):
        return False
    return obj.get("type") == "Article" or (obj.get("type") == "Note" and not obj.get("inReplyTo"))


def is_followed(actor: RemoteActor) -> bool:
    return Following.objects.filter(actor=actor, state=FollowingState.ACCEPTED).exists()


def on_create(obj: dict, actor: RemoteActor) -> str:
    uri = _theirs(obj, actor)
    if not uri or not is_followed(actor):
        return "ignored"
    if RemoteArticle.objects.filter(uri=uri).exists():
        return "ignored"
    RemoteArticle.objects.create(uri=uri, actor=actor, **fields(obj))
    return "stored"


def on_update(obj: dict, actor: RemoteActor) -> str:
    uri = _theirs(obj, actor)
    if not uri or not is_followed(actor):
        return "ignored"
    changed = RemoteArticle.objects.filter(uri=uri, actor=actor).update(**fields(obj))
    if not changed:
        # Its Create never came (sent before the follow was accepted): keep it now.
        RemoteArticle.objects.create(uri=uri, actor=actor, **fields(obj))
    return "updated"


def forget(uri: str, actor: RemoteActor) -> bool:
    """A Delete of one of the actor's articles; True when there was one."""
    deleted, _ = RemoteArticle.objects.filter(uri=uri, actor=actor).delete()
    return bool(deleted)


def fields(obj: dict) -> dict:
    """What is kept of an article: text as plain text, the body through the comment
    sanitizer (formatting and links; images and active content never reach the desk)."""
    content = obj.get("content") if isinstance(obj.get("content"), str) else ""
    return {
        "title": plain(obj.get("name"))[:300],
        "summary": plain(obj.get("summary"))[:2000],
        "content_html": sanitize.clean_comment(content[:MAX_CONTENT]),
        "url": link(obj.get("url")) or ident(obj)[:500],
        "image_url": link(obj.get("image")),
        "published_at": _when(obj.get("published")) or timezone.now(),
        "updated_at": _when(obj.get("updated")),
    }


def plain(value) -> str:
    if not isinstance(value, str):
        return ""
    return html.unescape(nh3.clean(value[:20000], tags=set())).strip()


def link(value) -> str:
    """An http(s) address from a url or image field: a string, a Link, an Image, or a
    list of them (the first usable one)."""
    if isinstance(value, list):
        return next(filter(None, map(link, value)), "")
    if isinstance(value, dict):
        value = value.get("href") or value.get("url")
        if isinstance(value, (dict, list)):
            return link(value)
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= 500:
        return value
    return ""


def _theirs(obj: dict, actor: RemoteActor) -> str:
    """The object's id if the actor wrote it and it lives on the actor's server, else ""."""
    uri = ident(obj)
    authors = obj.get("attributedTo")
    authors = authors if isinstance(authors, list) else [authors]
    if not uri or len(uri) > 500 or actor.uri not in map(ident, authors):
        return ""
    if _host(uri) != _host(actor.uri):
        return ""
    return uri


def _when(value):
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _host(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()
