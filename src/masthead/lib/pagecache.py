"""Whole pages for readers without a session, kept in the shared cache.

A view opts in with ``@cached_page(*tags)`` and may add tags while it runs
with ``depends_on``: ``site`` for anything editorial, ``comments`` for pages
that count or list comments site-wide, ``post:<id>`` for one discussion. The
page is stored with the version each tag had *before* the view read its data;
``invalidate`` gives tags new versions, so an entry rendered from older data is
a miss on every worker and node at once, and one rendered while a change was
committing can never be served afterwards.

``PageCache`` wraps the WSGI application: hits are answered there, ahead of
Django's middleware, with ETag, Last-Modified and 304 replies. Pages of plain
paths are also written to disk for a front web server (``pagefiles``), and
deleted there when their entries go stale.
"""

import hashlib
import re
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from masthead.lib import pagefiles
from masthead.lib.client_ip import request_scheme

ENVIRON_KEY = "masthead.pagecache"
# Even an unchanged page is rendered afresh this often.
MAX_AGE = 24 * 3600
PERSONAL_COOKIES = frozenset({settings.SESSION_COOKIE_NAME, "messages"})
CACHE_CONTROL = "public, max-age=0, must-revalidate"
# The only query a shared page may carry: which page of a list or a sitemap.
# Accept types of ActivityPub clients, who get JSON where a browser gets the page.
AP_TYPES = ("application/activity+json", "application/ld+json")
PAGING = re.compile(r"(?:page|p)=\d{1,6}")


@dataclass
class Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    versions: dict[str, str]
    expires: float
    etag: str
    last_modified: str
    # Values such as form tokens, issued anew on every hit: (stored, factory, args).
    fresh: list[tuple[str, str, tuple]] = field(default_factory=list)


@dataclass
class Pending:
    """What the view being rendered said about its page."""

    versions: dict[str, str] = field(default_factory=dict)
    expires: float = 0.0
    fresh: list[tuple[str, str, tuple]] = field(default_factory=list)
    cacheable: bool = False


def _tag_key(tag: str) -> str:
    return f"pagetag:{tag}"


def versions(tags) -> dict[str, str]:
    """The current version of each tag, giving a tag never seen its first one."""
    keys = {_tag_key(t): t for t in tags}
    found = cache.get_many(list(keys))
    for key in keys.keys() - found.keys():
        cache.add(key, uuid.uuid4().hex, None)
        found[key] = cache.get(key)
    return {tag: found[key] for key, tag in keys.items()}


def invalidate(*tags: str) -> None:
    """New versions for these tags, once the current transaction has committed."""

    def bump():
        cache.set_many({_tag_key(t): uuid.uuid4().hex for t in tags}, None)
        pagefiles.purge(tags)

    transaction.on_commit(bump)


def shared(environ) -> bool:
    """Whether this request gets the page everyone gets: no session, no query but paging."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    # ActivityStreams JSON is answered by the app every time: a stored page is HTML.
    if any(kind in environ.get("HTTP_ACCEPT", "").lower() for kind in AP_TYPES):
        return False
    query = environ.get("QUERY_STRING", "")
    if query and not PAGING.fullmatch(query):
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not any(c.split("=", 1)[0].strip() in PERSONAL_COOKIES for c in cookies.split(";"))


def is_shared(request) -> bool:
    """True while rendering a page that may be stored and given to anyone."""
    return shared(request.environ)


def cached_page(*tags: str):
    """Mark a view's page cacheable for readers without a session, depending on ``tags``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_shared(request):
                response = view(request, *args, **kwargs)
                # A page rendered for one person must not be kept by anyone between.
                patch_cache_control(response, private=True, no_cache=True)
                return response
            pending = request.environ[ENVIRON_KEY] = Pending(
                versions=versions(tags), expires=time.time() + MAX_AGE, cacheable=True
            )
            response = view(request, *args, **kwargs)
            if not pending.cacheable:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapper

    return decorator


def _pending(request) -> Pending | None:
    pending = request.environ.get(ENVIRON_KEY)
    return pending if pending is not None and pending.cacheable else None


def depends_on(request, *tags: str) -> None:
    """The page also shows what these tags cover; read before the data it shows."""
    pending = _pending(request)
    if pending is not None:
        pending.versions.update(versions(tags))


def expires_at(request, when: float | None) -> None:
    """The page changes by itself at this time (a scheduled post, comments closing)."""
    pending = _pending(request)
    if pending is not None and when is not None:
        pending.expires = min(pending.expires, when)


def fresh_on_hit(request, value: str, factory: str, *args) -> None:
    """Replace ``value`` in the stored page with ``factory(*args)`` on every hit."""
    pending = _pending(request)
    if pending is not None:
        pending.fresh.append((value, factory, args))


def personal(request) -> None:
    """This page turned out to hold something personal: never store it."""
    pending = _pending(request)
    if pending is not None:
        pending.cacheable = False


def _page_key(environ) -> str:
    # By scheme too: a plain-HTTP request on an https site is redirected, not served.
    host = environ.get("HTTP_HOST", "").lower()
    path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    url = f"{request_scheme(environ)}://{host}{path}"
    return "page:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


class PageCache:
    """WSGI middleware: serve stored pages, and store the ones views marked cacheable."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not shared(environ):
            return self.app(environ, start_response)
        key = _page_key(environ)
        entry = cache.get(key)
        if entry is not None and _valid(entry):
            # Behind nginx, a hit here means its file is missing (say, emptied on a restart).
            _on_disk(environ, entry, missing_only=True)
            return _reply(entry, environ, start_response)
        return self._render(key, environ, start_response)

    def _render(self, key, environ, start_response):
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]

        result = self.app(environ, capture)
        status, headers, exc_info = captured
        pending = environ.get(ENVIRON_KEY)
        storable = (
            pending is not None
            and pending.cacheable
            and status.startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _ in headers)
        )
        if not storable:
            start_response(status, headers, exc_info)
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        entry = Entry(
            status=status,
            headers=[(n, v) for n, v in headers if n.lower() not in ("content-length",)],
            body=body,
            versions=pending.versions,
            expires=pending.expires,
            etag=f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"',
            last_modified=formatdate(usegmt=True),
            fresh=pending.fresh,
        )
        cache.set(key, entry, max(1, int(entry.expires - time.time())))
        _on_disk(environ, entry)
        return _reply(entry, environ, start_response, body=body)


def _on_disk(environ, entry: Entry, missing_only: bool = False) -> None:
    """Give a front server the page too, when it is one that it may send as it is."""
    path = pagefiles.target(environ, entry.headers)
    if path is None or (missing_only and pagefiles.exists(path)):
        return
    pagefiles.write(path, entry.body, entry.versions, entry.expires, current=versions)


def _valid(entry: Entry) -> bool:
    return time.time() < entry.expires and versions(entry.versions) == entry.versions


def _not_modified(entry: Entry, environ) -> bool:
    tags = environ.get("HTTP_IF_NONE_MATCH")
    if tags is not None:
        return tags.strip() == "*" or entry.etag in [t.strip() for t in tags.split(",")]
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(entry.last_modified)
        except (TypeError, ValueError):
            return False
    return False


def _reply(entry: Entry, environ, start_response, body: bytes | None = None):
    validators = [
        ("ETag", entry.etag),
        ("Last-Modified", entry.last_modified),
        ("Cache-Control", CACHE_CONTROL),
    ]
    headers = [h for h in entry.headers if h[0].lower() != "cache-control"] + validators
    if _not_modified(entry, environ):
        start_response("304 Not Modified", [h for h in headers if _kept_on_304(h[0])])
        return []
    body = entry.body if body is None else body
    for stored, factory, args in entry.fresh:
        body = body.replace(stored.encode(), import_string(factory)(*args).encode(), 1)
    headers.append(("Content-Length", str(len(body))))
    start_response(entry.status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _kept_on_304(name: str) -> bool:
    return name.lower() in ("etag", "last-modified", "cache-control", "vary", "expires")
