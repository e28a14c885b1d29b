"""nginx from `masthead nginx_config` before `masthead serve`: pages from disk, kept current."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.core import signing

from masthead.discussion.forms import FORM_SALT
from tests.ports import free_port

MASTHEAD = [sys.executable, "-m", "masthead.cli"]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("MASTHEAD_DATABASE_URL")),
    reason="the embedded node (SQLite and the cache on disk)",
)


class Front:
    """``masthead serve`` on a data directory of its own, and nginx in front of it."""

    def __init__(self, top: Path):
        self.top, self.data = top, top / "data"
        self.port, self.app_port = free_port(), free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))}
        env.update(
            MASTHEAD_DATA_DIR=str(self.data),
            MASTHEAD_SITE_URL=self.origin,
            MASTHEAD_TRUSTED_PROXIES="127.0.0.1/32",
            MASTHEAD_LOG_LEVEL="WARNING",
        )
        return env

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [*MASTHEAD, *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def start(self, command: list[str], log: str, port: int) -> subprocess.Popen:
        out = (self.top / log).open("w")
        process = subprocess.Popen(
            command, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return process
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"{command[0]} did not listen on {port}: {(self.top / log).read_text()}")

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            reply = conn.getresponse()
            return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        finally:
            conn.close()

    def page_file(self, path: str) -> Path:
        return self.data / "pages" / path.lstrip("/") / "index.html"

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGCONT)
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def front(nginx):
    # As root, nginx's workers run as nobody: every directory on the way must be open.
    top = Path(tempfile.mkdtemp(prefix="masthead-front-"))
    top.chmod(0o755)
    front = Front(top)
    try:
        front.manage("demo", "-v0")
        front.manage(
            "shell",
            "-c",
            "from masthead.discussion.models import DiscussionSettings as D; "
            "c = D.current(); c.policy = 'hold_all'; c.save()",
        )
        front.app = front.start(
            [*MASTHEAD, "serve", "--port", str(front.app_port), "--workers", "2"],
            "serve.log",
            front.app_port,
        )
        prefix = top / "nginx"
        prefix.mkdir(mode=0o755)
        conf = prefix / "nginx.conf"
        listen, upstream = f"127.0.0.1:{front.port}", f"127.0.0.1:{front.app_port}"
        conf.write_text(front.manage("nginx_config", "--listen", listen, "--upstream", upstream))
        front.start(
            [nginx, "-p", f"{prefix}/", "-c", str(conf), "-e", str(prefix / "error.log")],
            "nginx.log",
            front.port,
        )
        home = front.request("GET", "/")[2].decode()
        front.articles = sorted(set(re.findall(r'href="(/\d{4}/\d\d/\d\d/[^"/]+/)"', home)))
        yield front
    finally:
        front.stop()
        shutil.rmtree(top, ignore_errors=True)


def form_token(front: Front, post_id: int) -> str:
    key = (front.data / "secret_key").read_text().strip()
    return signing.dumps(
        {"p": post_id, "t": time.time() - 60}, key=key, salt=FORM_SALT, compress=True
    )


def test_an_article_comes_from_disk_the_second_time(front):
    article = front.articles[0]
    front.page_file(article).unlink(missing_ok=True)
    status, headers, _ = front.request("GET", article)
    assert status == 200 and headers["etag"].startswith('W/"')  # the app's
    written = front.page_file(article).read_bytes()
    status, headers, again = front.request("GET", article)
    assert status == 200 and again == written
    assert not headers["etag"].startswith("W/")  # nginx's, of the file
    assert headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    zipped = front.request("GET", article, headers={"Accept-Encoding": "gzip"})[1]
    assert zipped["content-encoding"] == "gzip"


def test_pages_and_static_files_come_from_disk_while_the_app_is_stopped(front):
    article = front.articles[0]
    front.request("GET", article)
    page = front.request("GET", article)[2].decode()
    style = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    os.killpg(front.app.pid, signal.SIGSTOP)
    try:
        status, _, body = front.request("GET", article, timeout=5)
        assert status == 200 and body == front.page_file(article).read_bytes()
        status, headers, _ = front.request(
            "GET", style, headers={"Accept-Encoding": "gzip"}, timeout=5
        )
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
    finally:
        os.killpg(front.app.pid, signal.SIGCONT)


def test_a_comment_sent_through_nginx_shows_there_once_approved(front):
    article = front.articles[1]
    page = front.request("GET", article)[2].decode()
    post_id = int(re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1))
    front.request("GET", article)
    assert front.page_file(article).exists()
    fields = {
        "comment": "Keep the evening boat on the winter timetable, please.",
        "author": "Ines",
        "email": "ines@example.org",
        "comment_post_ID": post_id,
        "form_token": form_token(front, post_id),
    }
    headers = {
        "Origin": front.origin,
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = urllib.parse.urlencode(fields)
    status, _, body = front.request("POST", "/comments/post/", form, headers)
    assert status == 200, body
    sent = json.loads(body)
    assert sent["status"] == "pending"
    assert b"evening boat" not in front.request("GET", article)[2]
    front.manage(
        "shell",
        "-c",
        "from masthead.discussion import services; "
        "from masthead.discussion.models import Comment; "
        f"services.approve_comment(Comment.objects.get(pk={sent['id']}))",
    )
    assert b"evening boat" in front.request("GET", article)[2]
    assert b"evening boat" in front.request("GET", article)[2]
    assert b"evening boat" in front.page_file(article).read_bytes()


def test_a_session_or_a_query_goes_to_the_app(front):
    article = front.articles[0]
    front.request("GET", article)
    assert front.page_file(article).exists()
    for path, headers in (
        (article, {"Cookie": "theme=dark; sessionid=not-a-session"}),
        (article, {"Cookie": "messages=abc"}),
        (f"{article}?replytocom=1", {}),
    ):
        status, sent, _ = front.request("GET", path, headers=headers)
        assert status == 200
        assert "private" in sent["cache-control"], (path, headers)
    # A paging query is the app's shared page, never a file.
    assert front.request("GET", "/?page=1")[1]["etag"].startswith('W/"')


def test_an_activitypub_client_gets_the_article_as_json_past_the_page_on_disk(front):
    article = front.articles[0]
    front.request("GET", article)
    assert front.page_file(article).exists()
    status, sent, body = front.request(
        "GET", article, headers={"Accept": "application/activity+json"}
    )
    assert status == 200
    assert sent["content-type"] == "application/activity+json"
    assert json.loads(body)["type"] == "Article"
