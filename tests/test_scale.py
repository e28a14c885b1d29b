"""Scale mode: two stateless nodes on one PostgreSQL, one Redis and one media directory.

Runs once per `make test`, in the PostgreSQL pass (test_server.py covers the
embedded node in the SQLite pass). It makes its own database and its own keys
in Redis, so it touches nothing of the suite's and can run beside it.
"""

import json
import os
import re
import secrets
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from masthead.discussion import tokens
from masthead.discussion.caching import LIKES_LAG
from masthead.discussion.models import Comment
from tests.servers import Node, throwaway_postgres
from tests.services_up import reachable

SUITE_DATABASE = os.environ.get("MASTHEAD_DATABASE_URL", "")
SUITE_CACHE = os.environ.get("MASTHEAD_CACHE_URL", "") or "redis://127.0.0.1:6379/15"
# A Redis database the suite does not use; the keys carry a prefix of their own too.
REDIS_DB = 14

pytestmark = pytest.mark.skipif(
    not SUITE_DATABASE.startswith(("postgres://", "postgresql://")),
    reason="scale mode runs in the PostgreSQL pass (make test-postgres)",
)


def page(node, path: str) -> tuple[str, str]:
    """The page as a reader without a session gets it, and its ETag."""
    status, headers, body = node.request("GET", path)
    assert status == 200
    return body.decode(), headers["ETag"]


def approve(node, comment_id: int, body: str) -> None:
    """Press Approve behind the moderation link a moderator was emailed."""
    emailed = Comment(pk=comment_id, status="pending", body=body)
    with override_settings(SECRET_KEY=node.secret_key()):
        path = f"/email/moderate/{tokens.moderation_token(emailed)}/"
    _, headers, body = node.request("GET", path)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "action": "approve"})
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Origin": node.origin,
        "Referer": f"{node.origin}{path}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert node.request("POST", path, form, headers)[0] == 302


def _services() -> tuple[str, str]:
    """The suite's PostgreSQL server and Redis, up; failing under CI when they are not."""
    cache = urlsplit(SUITE_CACHE)._replace(path=f"/{REDIS_DB}").geturl()
    if not (reachable(SUITE_DATABASE) and reachable(cache)):
        message = "the PostgreSQL or the Redis of MASTHEAD_DATABASE_URL/_CACHE_URL is down"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SUITE_DATABASE, cache


@pytest.fixture(scope="module")
def database():
    """A new PostgreSQL database on the suite's server, dropped afterwards."""
    server, _ = _services()
    with throwaway_postgres(server, "masthead_scale") as url:
        yield url


@pytest.fixture(scope="module")
def cache_url():
    """Redis for the nodes, under a key prefix no other run uses; its keys removed after."""
    import redis

    _, url = _services()
    prefix = f"masthead-scale-{secrets.token_hex(4)}"
    client = redis.Redis.from_url(url)
    try:
        yield url, prefix
    finally:
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
        client.close()


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, database, cache_url):
    tmp = tmp_path_factory.mktemp("scale")
    (tmp / "media").mkdir()
    shared = {
        "MASTHEAD_DATABASE_URL": database,
        "MASTHEAD_CACHE_URL": cache_url[0],
        "MASTHEAD_CACHE_PREFIX": cache_url[1],
        "MASTHEAD_SECRET_KEY": secrets.token_urlsafe(50),
        "MASTHEAD_MEDIA_DIR": str(tmp / "media"),
    }
    a, b = Node(tmp / "a", **shared), Node(tmp / "b", **shared)
    try:
        a.manage("demo", "-v0")
        # Every guest comment waits for a moderator.
        a.manage(
            "shell",
            "-v0",
            "-c",
            "from masthead.discussion.models import DiscussionSettings as D; "
            "c = D.current(); c.policy = 'hold_all'; c.save()",
        )
        a.start("--workers", "2", "--no-task-worker")
        b.start("--workers", "2", "--no-task-worker")
        article, post_id = a.article()
        yield a, b, article, post_id
    finally:
        a.stop()
        b.stop()


def _at_once(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_a_comment_approved_on_one_node_shows_on_every_nodes_cached_page(nodes):
    a, b, article, post_id = nodes
    text = "The night ferry should stop at Marrowick pier again."
    status, _, body = a.comment(post_id, text, email="ines@example.org", source="127.0.0.40")
    assert status == 200
    comment = json.loads(body)
    assert comment["status"] == "pending"

    # Each render stamps a new form token and so a new ETag: the same ETag twice
    # means the second reader got the stored page.
    cached_at = time.monotonic()
    before = {}
    for node in (a, b):
        first, etag = page(node, article)
        second, again = page(node, article)
        assert again == etag
        assert text not in first and text not in second
        before[node] = etag

    approve(b, comment["id"], text)

    for node in (a, b):
        shown, etag = page(node, article)
        assert text in shown
        assert etag != before[node]
    # Too soon for the stored pages to have expired by themselves.
    assert time.monotonic() - cached_at < LIKES_LAG


def test_the_comment_limit_holds_across_nodes(nodes):
    a, b, _, post_id = nodes
    calls = [
        lambda n=n: (a, b)[n % 2].comment(
            post_id,
            f"Comment {n} on the ferry timetable.",
            email=f"r{n}@example.org",
            source="127.0.0.50",
        )
        for n in range(16)
    ]
    statuses = [status for status, _, _ in _at_once(calls)]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 11


def test_a_file_one_node_stores_is_served_by_the_other(nodes):
    a, b, _, _ = nodes
    name = a.manage(
        "shell",
        "-v0",
        "-c",
        "import io; from PIL import Image; "
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage; "
        "buf = io.BytesIO(); Image.new('RGB', (40, 30), (200, 80, 20)).save(buf, 'PNG'); "
        "print(default_storage.save('figures/scale/pier.png', ContentFile(buf.getvalue())))",
    ).strip()
    stored = (a.data.parent / "media" / name).read_bytes()
    status, headers, body = b.request("GET", f"/media/{name}")
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert body == stored
