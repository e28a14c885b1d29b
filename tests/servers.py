"""A real ``masthead serve`` for tests that need whole processes: workers, nodes, a front."""

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import signing

from masthead.discussion.forms import FORM_SALT
from tests.ports import free_port

MASTHEAD = [sys.executable, "-m", "masthead.cli"]


@contextmanager
def throwaway_postgres(server: str, prefix: str):
    """The URL of a new database on ``server``'s PostgreSQL, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    maintenance = urllib.parse.urlsplit(server)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Node:
    """One ``masthead serve`` on its own data directory, with ``env`` on top of a clean one."""

    def __init__(self, data: Path, **env: str):
        self.data = data
        self.data.mkdir(exist_ok=True)
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))
        }
        self.env.update(
            MASTHEAD_DATA_DIR=str(data),
            MASTHEAD_SITE_URL=self.origin,
            MASTHEAD_LOG_LEVEL="WARNING",
            **env,
        )
        self.proc = None
        self.log = data / "serve.log"

    def manage(self, *args: str) -> str:
        done = subprocess.run([*MASTHEAD, *args], env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, *args: str, seconds: float = 60) -> "Node":
        self.proc = subprocess.Popen(
            [*MASTHEAD, "serve", "--port", str(self.port), *args],
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.request("GET", "/robots.txt")[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"masthead serve did not start: {self.log.read_text()}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        """(status, headers, body bytes), sent from the loopback address ``source``."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def secret_key(self) -> str:
        return self.env.get("MASTHEAD_SECRET_KEY") or (self.data / "secret_key").read_text().strip()

    def form_token(self, post_id: int) -> str:
        """A token as the article's form gave it a minute ago (signed with this node's key)."""
        return signing.dumps(
            {"p": post_id, "t": time.time() - 60},
            key=self.secret_key(),
            salt=FORM_SALT,
            compress=True,
        )

    def comment(self, post_id: int, text: str, *, email: str, source="127.0.0.1", **fields):
        """A guest's comment as the form sends it, with the script's JSON reply."""
        form = {
            "comment": text,
            "author": fields.pop("author", "Ines Harbour"),
            "email": email,
            "comment_post_ID": post_id,
            "form_token": self.form_token(post_id),
            **fields,
        }
        headers = {
            "Origin": self.origin,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.request(
            "POST", "/comments/post/", urllib.parse.urlencode(form), headers, source
        )

    def article(self) -> tuple[str, int]:
        """The newest article's path and id, from the home page."""
        home = self.request("GET", "/")[2].decode()
        path = re.search(r'href="(/\d{4}/\d\d/\d\d/[^"/]+/)"', home).group(1)
        page = self.request("GET", path)[2].decode()
        return path, int(re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1))
