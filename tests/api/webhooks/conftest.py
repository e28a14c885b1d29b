"""A webhook receiver on loopback that checks signatures as docs/webhooks.md says."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from masthead.api.webhooks import services
from masthead.api.webhooks.models import Event

TOLERANCE = 5 * 60


class Receiver:
    """What an integration runs: it accepts a request only when its signature is right
    under ``secret`` and recent, and answers ``status`` to those."""

    def __init__(self):
        self.secret = ""
        self.status = 204
        self.received = []  # accepted: (headers, parsed body)
        self.refused = []  # (headers, reason)
        self.raw = []  # every request as it came: (headers, body bytes)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/masthead"

    def check(self, headers, body: bytes) -> str | None:
        """Why the request is refused, or None."""
        fields = dict(p.split("=", 1) for p in headers.get("Masthead-Signature", "").split(","))
        if abs(time.time() - int(fields.get("t", 0))) > TOLERANCE:
            return "stale"
        signed = fields["t"].encode() + b"." + body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, fields.get("v1", "")):
            return "bad signature"
        return None

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.raw.append((dict(self.headers), body))
                reason = receiver.check(self.headers, body)
                if reason:
                    receiver.refused.append((dict(self.headers), reason))
                    self._answer(401, reason)
                    return
                receiver.received.append((dict(self.headers), json.loads(body)))
                self._answer(receiver.status, "thanks" if receiver.status < 300 else "broken")

            def _answer(self, status, text):
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def events(self) -> list[str]:
        return [body["event"] for _, body in self.received]


@pytest.fixture
def loopback_allowed(settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(loopback_allowed):
    found = Receiver()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def hook(db, receiver, editor):
    """A hook for every event, registered by the editor, whose secret the receiver holds."""
    made = services.create_hook(
        url=receiver.url, events=Event.values, description="Newsroom bot", by=editor
    )
    receiver.secret = made.secret
    return made
