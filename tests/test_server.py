"""`masthead serve` with several workers: limits and settings hold for the whole node."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import signing

from masthead.discussion.forms import FORM_SALT
from tests.ports import free_port

MASTHEAD = [sys.executable, "-m", "masthead.cli"]
WORKERS = 4

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("MASTHEAD_DATABASE_URL")),
    reason="the embedded node (SQLite and the cache on disk); scale mode has its own test",
)


class Node:
    """One running ``masthead serve`` on its own data directory."""

    def __init__(self, data: Path, port: int):
        self.data, self.port = data, port
        self.origin = f"http://127.0.0.1:{port}"

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [*MASTHEAD, *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))}
        env.update(
            MASTHEAD_DATA_DIR=str(self.data),
            MASTHEAD_SITE_URL=self.origin,
            MASTHEAD_LOG_LEVEL="WARNING",
        )
        return env

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def form_token(self, post_id: int) -> str:
        """A token as the article's form gives it, issued a minute ago."""
        key = (self.data / "secret_key").read_text().strip()
        return signing.dumps(
            {"p": post_id, "t": time.time() - 60}, key=key, salt=FORM_SALT, compress=True
        )

    def comment(self, post_id: int, n: int, source="127.0.0.1", email=None):
        fields = {
            "comment": f"Comment number {n} on the harbour timetable, from {source}.",
            "author": f"Reader {n}",
            "email": email or f"reader{n}@example.org",
            "comment_post_ID": post_id,
            "form_token": self.form_token(post_id),
        }
        headers = {
            "Origin": self.origin,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.request(
            "POST", "/comments/post/", urllib.parse.urlencode(fields), headers, source
        )


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    data = tmp_path_factory.mktemp("node")
    node = Node(data, free_port())
    node.manage("demo", "-v0")
    node.manage(
        "shell",
        "-c",
        "from masthead.discussion.models import DiscussionSettings as D; "
        "c = D.current(); c.policy = 'hold_none'; c.save(); "
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('lena', 'lena@example.org', 'a long pass phrase')",
    )
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen(
        [*MASTHEAD, "serve", "--port", str(node.port), "--workers", str(WORKERS)],
        env=node.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if node.request("GET", "/robots.txt")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            pytest.fail(f"masthead serve did not start: {(data / 'serve.log').read_text()}")
        time.sleep(0.3)
    home = node.request("GET", "/")[2]
    node.article = re.search(r'href="(/\d{4}/\d\d/\d\d/[^"/]+/)"', home).group(1)
    page = node.request("GET", node.article)[2]
    node.post_id = int(re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1))
    yield node
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def _at_once(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_it_runs_several_workers(node):
    workers = subprocess.run(
        ["pgrep", "-f", f"gunicorn.*127.0.0.1:{node.port}"], capture_output=True, text=True
    ).stdout.split()
    assert len(workers) == WORKERS + 1  # and the master


def test_the_comment_limit_holds_across_workers(node):
    calls = [lambda n=n: node.comment(node.post_id, n, source="127.0.0.10") for n in range(16)]
    statuses = [status for status, _, _ in _at_once(calls)]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 11


def test_the_password_limit_holds_across_workers(node):
    _, headers, page = node.request("GET", "/accounts/login/", source="127.0.0.20")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": "lena@example.org", "password": "wrong guess"}
    )
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Origin": node.origin,
        "Referer": f"{node.origin}/accounts/login/",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    calls = [
        lambda: node.request("POST", "/accounts/login/", body, headers, "127.0.0.20")
        for _ in range(14)
    ]
    pages = [page for _, _, page in _at_once(calls)]
    refused = ["Too many failed login attempts" in page for page in pages]
    # Five wrong passwords a minute from one address are checked; the rest are refused.
    assert refused.count(False) == 5
    assert refused.count(True) == 9


def test_a_settings_change_reaches_every_worker_at_once(node):
    # Every worker has read (and cached) the current policy: publish at once.
    before = _at_once(
        [lambda n=n: node.comment(node.post_id, 100 + n, f"127.0.1.{n}") for n in range(8)]
    )
    assert [json.loads(body)["status"] for _, _, body in before] == ["approved"] * 8
    node.manage(
        "shell",
        "-c",
        "from masthead.discussion.models import DiscussionSettings as D; "
        "c = D.current(); c.policy = 'hold_all'; c.save()",
    )
    after = _at_once(
        [lambda n=n: node.comment(node.post_id, 200 + n, f"127.0.2.{n}") for n in range(8)]
    )
    assert [json.loads(body)["status"] for _, _, body in after] == ["pending"] * 8
