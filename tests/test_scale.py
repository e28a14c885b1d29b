"""Scale mode: two stateless nodes on one PostgreSQL, one Redis and one media directory.

Runs once per `make test`, in the PostgreSQL pass (test_server.py covers the
embedded node in the SQLite pass). It makes its own database and its own keys
in Redis, so it touches nothing of the suite's and can run beside it.
"""

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import override_settings

from masthead.discussion import tokens
from masthead.discussion.caching import LIKES_LAG
from masthead.discussion.forms import FORM_SALT
from tests.ports import free_port
from tests.services_up import reachable

MASTHEAD = [sys.executable, "-m", "masthead.cli"]
SUITE_DATABASE = os.environ.get("MASTHEAD_DATABASE_URL", "")
SUITE_CACHE = os.environ.get("MASTHEAD_CACHE_URL", "") or "redis://127.0.0.1:6379/15"
# A Redis database the suite does not use; the keys carry a prefix of their own too.
REDIS_DB = 14

pytestmark = pytest.mark.skipif(
    not SUITE_DATABASE.startswith(("postgres://", "postgresql://")),
    reason="scale mode runs in the PostgreSQL pass (make test-postgres)",
)


class Node:
    """One ``masthead serve`` with its own data directory; all else is shared."""

    def __init__(self, name: str, tmp, shared: dict):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.data = tmp / name
        self.data.mkdir()
        self.secret = shared["MASTHEAD_SECRET_KEY"]
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))
        }
        self.env.update(
            shared,
            MASTHEAD_DATA_DIR=str(self.data),
            MASTHEAD_SITE_URL=self.origin,
            MASTHEAD_LOG_LEVEL="WARNING",
        )
        self.proc = None

    def manage(self, *args: str) -> str:
        done = subprocess.run([*MASTHEAD, *args], env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self):
        self.log = self.data / "serve.log"
        self.proc = subprocess.Popen(
            [*MASTHEAD, "serve", "--port", str(self.port), "--workers", "2", "--no-task-worker"],
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, deadline: float):
        while True:
            try:
                if self.request("GET", "/robots.txt")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                pytest.fail(f"masthead serve did not start: {self.log.read_text()}")
            time.sleep(0.3)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def page(self, path: str) -> tuple[str, str]:
        """The page as a reader without a session gets it, and its ETag."""
        status, headers, body = self.request("GET", path)
        assert status == 200
        return body.decode(), headers["ETag"]

    def comment(self, post_id: int, text: str, source: str, email: str):
        # Signed with the key every node shares, as the article's form was a minute ago.
        token = signing.dumps(
            {"p": post_id, "t": time.time() - 60}, key=self.secret, salt=FORM_SALT, compress=True
        )
        fields = {
            "comment": text,
            "author": "Ines Harbour",
            "email": email,
            "comment_post_ID": post_id,
            "form_token": token,
        }
        headers = {
            "Origin": self.origin,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.request(
            "POST", "/comments/post/", urllib.parse.urlencode(fields), headers, source
        )

    def approve(self, comment_id: int):
        """Press Approve behind the moderation link a moderator was emailed."""
        with override_settings(SECRET_KEY=self.secret):
            path = f"/email/moderate/{tokens.moderation_token(comment_id)}/"
        _, headers, body = self.request("GET", path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
        cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "action": "approve"})
        status, _, _ = self.request(
            "POST",
            path,
            form,
            {
                "Cookie": f"csrftoken={cookie}",
                "Origin": self.origin,
                "Referer": f"{self.origin}{path}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 302


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
    import psycopg

    server, _ = _services()
    name = f"masthead_scale_{secrets.token_hex(4)}"
    maintenance = urlsplit(server)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    a, b = Node("a", tmp, shared), Node("b", tmp, shared)
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
        a.start()
        b.start()
        deadline = time.monotonic() + 90
        a.wait_until_up(deadline)
        b.wait_until_up(deadline)
        home = a.request("GET", "/")[2].decode()
        article = re.search(r'href="(/\d{4}/\d\d/\d\d/[^"/]+/)"', home).group(1)
        page = a.request("GET", article)[2].decode()
        post_id = int(re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1))
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
    status, _, body = a.comment(post_id, text, "127.0.0.40", "ines@example.org")
    assert status == 200
    comment = json.loads(body)
    assert comment["status"] == "pending"

    # Each render stamps a new form token and so a new ETag: the same ETag twice
    # means the second reader got the stored page.
    cached_at = time.monotonic()
    before = {}
    for node in (a, b):
        first, etag = node.page(article)
        second, again = node.page(article)
        assert again == etag
        assert text not in first and text not in second
        before[node] = etag

    b.approve(comment["id"])

    for node in (a, b):
        page, etag = node.page(article)
        assert text in page
        assert etag != before[node]
    # Too soon for the stored pages to have expired by themselves.
    assert time.monotonic() - cached_at < LIKES_LAG


def test_the_comment_limit_holds_across_nodes(nodes):
    a, b, _, post_id = nodes
    calls = [
        lambda n=n: (a, b)[n % 2].comment(
            post_id, f"Comment {n} on the ferry timetable.", "127.0.0.50", f"r{n}@example.org"
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
