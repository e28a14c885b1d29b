"""Anonymous API reads, kept in the shared cache under the page cache's version tags.

An answer is stored with the versions its tags had before its data was read
(``lib.pagecache``), so whatever renews the pages (a publish, an approved
comment) renews the API's answers too, on every worker and node at once. The
answer is the same for everyone, so it carries an ETag, and a client holding
the current one gets a 304.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import quote_etag

from masthead.lib import pagecache
from masthead.publishing.caching import SITE, next_scheduled

CACHE_CONTROL = pagecache.CACHE_CONTROL


@dataclass
class Answer:
    body: bytes
    etag: str
    versions: dict[str, str]
    expires: float


def _key(request) -> str:
    url = request.build_absolute_uri()
    return "api:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


def _fresh(answer: Answer) -> bool:
    return time.time() < answer.expires and pagecache.versions(answer.versions) == answer.versions


def cached_read(request, build, schema, *tags: str) -> HttpResponse:
    """``build()``'s data checked against ``schema``, as JSON, from the cache when current.

    Every read depends on ``site`` and turns over when a scheduled post goes public.
    """
    key = _key(request)
    answer = cache.get(key)
    if answer is None or not _fresh(answer):
        versions = pagecache.versions((SITE, *tags))
        expires = min(time.time() + pagecache.MAX_AGE, next_scheduled() or float("inf"))
        body = schema.model_validate(build()).model_dump_json().encode()
        etag = quote_etag(hashlib.blake2b(body, digest_size=12).hexdigest())
        answer = Answer(body=body, etag=etag, versions=versions, expires=expires)
        cache.set(key, answer, max(1, int(expires - time.time())))
    return _reply(request, answer)


def _reply(request, answer: Answer) -> HttpResponse:
    sent = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    if answer.etag in sent or f"W/{answer.etag}" in sent or "*" in sent:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    response["ETag"] = answer.etag
    response["Cache-Control"] = CACHE_CONTROL
    return response
