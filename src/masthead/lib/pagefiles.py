"""Cached pages written to disk, for a front web server to send without the app.

When the page cache stores an HTML page of a plain path (no query) on the
site's own host, it also writes ``<MASTHEAD_PAGES_DIR><path>index.html`` and
an ``index.html.gz`` beside it (nginx's ``gzip_static``). A file goes exactly
when its cache entry goes stale:

- On a change: every tag keeps, in the shared cache, the list of files drawn
  from it. ``purge`` runs once a tag has its new version and deletes the
  listed files. A writer lists its file first and then checks that the tag
  versions it rendered with are still current, deleting the file itself if
  not: a change committed while the page rendered either sees the file listed
  or is seen by the writer.
- With time (a scheduled post going public, comments closing, a like's lag,
  ``pagecache.MAX_AGE``): every file is also listed on disk, in ``.due/``,
  under the ten seconds in which its entry expires, and ``sweep`` (run by
  ``masthead serve`` every few seconds) deletes what has come due.
"""

import gzip
import logging
import math
import os
import re
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from diskcache import DjangoCache
from django.conf import settings
from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

# Paths that mean the same to Django and to nginx, and stay inside the directory:
# ASCII segments that start with a letter or digit (no "..", no dot files) and
# end in "/", so that nginx's "${uri}index.html" finds exactly this page.
SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9][A-Za-z0-9._~-]{0,199}/){0,16}")
PAGE, ZIPPED = "index.html", "index.html.gz"
DUE = ".due"
# Expiry is kept in steps of this many seconds: a file outlives its cache
# entry by at most this plus the sweep's own interval.
STEP = 10
# The registry of a tag is cut in shards so that one page's write does not
# rewrite the list of every page (every page depends on "site").
SHARDS = 16
LOCK = "pagefiles:lock"
LOCK_WAIT = 2.0
LOCK_HOLD = 10
# Stored when the directory is emptied, before any listing it vouches for: its
# absence means the lists were lost (a flushed cache). diskcache, when full,
# evicts the least recently stored first, so this goes before any of them.
SENTINEL = "pagefiles:sentinel"


def root() -> Path | None:
    return settings.MASTHEAD_PAGES_DIR


def target(environ, headers) -> str | None:
    """The path whose page this response may be on disk as, or None."""
    if root() is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if environ.get("QUERY_STRING") or environ.get("SCRIPT_NAME"):
        return None
    path = environ.get("PATH_INFO", "")
    if not SAFE_PATH.fullmatch(path) or _hostname(environ.get("HTTP_HOST", "")) != site_host():
        return None
    kind = next((v for n, v in headers if n.lower() == "content-type"), "")
    return path if kind.startswith("text/html") else None


def site_host() -> str | None:
    return _hostname(settings.SITE_URL.partition("://")[2].partition("/")[0])


@lru_cache(maxsize=64)
def _hostname(host: str) -> str | None:
    try:
        return urlsplit(f"//{host}").hostname
    except ValueError:
        return None


def exists(path: str) -> bool:
    return os.path.isfile(os.path.join(root(), path.lstrip("/"), PAGE))


def write(
    path: str,
    body: bytes,
    versions: dict[str, str],
    expires: float,
    current: Callable[[Iterable[str]], dict[str, str]],
) -> bool:
    """Put the page on disk, listed under its tags and its expiry; False if not kept.

    ``current`` gives the tags' versions now (``pagecache.versions``).
    """
    base = root()
    if base is None or not body or expires - time.time() < STEP:
        return False
    folder = base / path.lstrip("/")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The compressed copy first: nginx only looks for it once the page exists.
        _replace(folder / ZIPPED, gzip.compress(body, 9, mtime=0))
        _replace(folder / PAGE, body)
        _list_due(base, path, expires)
    except OSError:
        logger.warning("Could not write the page %s under %s", path, base, exc_info=True)
        _remove(base, path)
        return False
    if not _register(path, versions) or current(list(versions)) != versions:
        _remove(base, path)
        return False
    return True


def purge(tags: Iterable[str]) -> None:
    """Delete the files drawn from these tags; call once their new versions are set."""
    base = root()
    if base is None:
        return
    keys = [_registry_key(tag, shard) for tag in tags for shard in range(SHARDS)]
    # Without the lock in time, go ahead: deleting is always safe, and a writer
    # listing a file meanwhile sees the new versions and deletes its own.
    with _locked():
        found = _read(keys)
        cache.delete_many(list(found))
    for paths in found.values():
        for path in paths:
            _remove(base, path)


def sweep(now: float | None = None) -> int:
    """Delete the files whose cache entries have expired; returns how many."""
    base = root()
    if base is None:
        return 0
    if SENTINEL not in _read([SENTINEL]):
        # A new or emptied cache lists no file: none on disk may be trusted.
        clear()
        return 0
    now = time.time() if now is None else now
    try:
        names = os.listdir(base / DUE)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        if not name.isdigit() or int(name) * STEP > now:
            continue
        claimed = base / DUE / f".{name}.{uuid.uuid4().hex}"
        try:
            os.rename(base / DUE / name, claimed)
        except FileNotFoundError:
            continue  # another sweeper took it
        for path in set(claimed.read_text().split()):
            if SAFE_PATH.fullmatch(path):
                removed += _remove(base, path)
        claimed.unlink()
    return removed


def clear() -> None:
    """Empty the pages directory, and mark the registry as trusted from now on."""
    base = root()
    if base is None:
        return
    # Moved aside first, so that a page written meanwhile starts a new directory.
    old = base.with_name(f".{base.name}.{uuid.uuid4().hex}")
    try:
        os.rename(base, old)
    except FileNotFoundError:
        old = None
    except OSError:
        old = base  # the parent is not ours to write: empty it in place
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    cache.set(SENTINEL, time.time(), None)


def _replace(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # Readable by the front server's own user.
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _remove(base: Path, path: str) -> int:
    folder = base / path.lstrip("/")
    removed = 0
    # The page first: without it nginx no longer looks for the compressed copy.
    for name in (PAGE, ZIPPED):
        with suppress(FileNotFoundError):
            (folder / name).unlink()
            removed = 1
    return removed


def _list_due(base: Path, path: str, expires: float) -> None:
    folder = base / DUE
    folder.mkdir(exist_ok=True)
    # One short append: O_APPEND keeps lines whole between processes.
    with open(folder / str(math.ceil(expires / STEP)), "a") as due:
        due.write(f"{path}\n")


def _registry_key(tag: str, shard: int) -> str:
    return f"pagefiles:{tag}:{shard}"


def _register(path: str, versions: dict[str, str]) -> bool:
    shard = zlib.crc32(path.encode()) % SHARDS
    keys = [_registry_key(tag, shard) for tag in versions]
    with _locked() as held:
        if not held:
            return False
        found = _read(keys)
        cache.set_many({key: found.get(key, frozenset()) | {path} for key in keys}, None)
    return True


def _read(keys: list[str]) -> dict:
    """``get_many`` that never takes a busy disk for an absent key.

    diskcache answers a read that would wait on a lock as a miss; a registry
    read that way would forget files.
    """
    backend = caches["default"]
    if isinstance(backend, DjangoCache):
        found = {key: backend.get(key, None, retry=True) for key in keys}
        return {key: value for key, value in found.items() if value is not None}
    return backend.get_many(keys)


@contextmanager
def _locked():
    """A mutex over the shared cache (``add`` is atomic); yields whether it is held."""
    token = uuid.uuid4().hex
    deadline = time.monotonic() + LOCK_WAIT
    held = cache.add(LOCK, token, LOCK_HOLD)
    while not held and time.monotonic() < deadline:
        time.sleep(0.002)
        held = cache.add(LOCK, token, LOCK_HOLD)
    try:
        yield held
    finally:
        if held and _read([LOCK]).get(LOCK) == token:
            cache.delete(LOCK)
