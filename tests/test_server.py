"""`masthead serve` with several workers: limits and settings hold for the whole node."""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from masthead import server
from tests.servers import Node

WORKERS = 4

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("MASTHEAD_DATABASE_URL")),
    reason="the embedded node (SQLite and the cache on disk); scale mode has its own test",
)


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    node = Node(tmp_path_factory.mktemp("node"))
    node.manage("demo", "-v0")
    node.manage(
        "shell",
        "-c",
        "from masthead.discussion.models import DiscussionSettings as D; "
        "c = D.current(); c.policy = 'hold_none'; c.save(); "
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('lena', 'lena@example.org', 'a long pass phrase')",
    )
    node.start("--workers", str(WORKERS))
    node.post_id = node.article()[1]
    yield node
    node.stop()


def _at_once(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def _comment(node, n, source):
    text = f"Comment number {n} on the harbour timetable, from {source}."
    return node.comment(node.post_id, text, email=f"reader{n}@example.org", source=source)


def test_it_runs_several_workers(node):
    gunicorn = subprocess.run(
        ["pgrep", "-f", f"gunicorn masthead.wsgi:application --bind 127.0.0.1:{node.port} "],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(gunicorn) == WORKERS + 1  # and their master


def test_the_comment_limit_holds_across_workers(node):
    calls = [lambda n=n: _comment(node, n, "127.0.0.10") for n in range(16)]
    statuses = [status for status, _, _ in _at_once(calls)]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 11


def test_the_password_limit_holds_across_workers(node):
    _, headers, page = node.request("GET", "/accounts/login/", source="127.0.0.20")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode()).group(1)
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
    refused = ["Too many failed login attempts" in page.decode() for _, _, page in _at_once(calls)]
    # Five wrong passwords a minute from one address are checked; the rest are refused.
    assert refused.count(False) == 5
    assert refused.count(True) == 9


def test_a_settings_change_reaches_every_worker_at_once(node):
    # Every worker has read (and cached) the current policy: publish at once.
    before = _at_once([lambda n=n: _comment(node, 100 + n, f"127.0.1.{n}") for n in range(8)])
    assert [json.loads(body)["status"] for _, _, body in before] == ["approved"] * 8
    node.manage(
        "shell",
        "-c",
        "from masthead.discussion.models import DiscussionSettings as D; "
        "c = D.current(); c.policy = 'hold_all'; c.save()",
    )
    after = _at_once([lambda n=n: _comment(node, 200 + n, f"127.0.2.{n}") for n in range(8)])
    assert [json.loads(body)["status"] for _, _, body in after] == ["pending"] * 8


def test_a_process_killed_under_it_fails_the_serve_so_it_is_started_again():
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    web, worker = subprocess.Popen(sleep), subprocess.Popen(sleep)
    try:
        worker.kill()
        assert server._supervise([web, worker]) == 128 + signal.SIGKILL
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    assert web.returncode is not None  # stopped with it
