"""A small ActivityPub actor of the tests' own, on loopback: it serves its actor
document, keeps what arrives in its inbox with whether the signature checked out
against the sender's published key, and sends signed activities."""

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from masthead.federation import signatures
from tests.ports import free_port

from .conftest import _keypair


class Peer:
    def __init__(self, username: str = "bob"):
        self.private_pem, self.public_pem = _keypair()
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.uri = f"{self.origin}/users/{username}"
        self.username = username
        self.received: list[tuple[dict, bool]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def document(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.uri,
            "type": "Person",
            "preferredUsername": self.username,
            "name": "Bob Brander",
            "inbox": f"{self.uri}/inbox",
            "url": f"{self.origin}/@{self.username}",
            "icon": {"type": "Image", "url": f"{self.origin}/bob.png"},
            "publicKey": {
                "id": f"{self.uri}#main-key",
                "owner": self.uri,
                "publicKeyPem": self.public_pem,
            },
        }

    def verified(self, method: str, path: str, headers: dict, body: bytes) -> bool:
        """Whether the request is signed by the key its keyId names, as published."""
        try:
            signed = signatures.parse(method, path, headers, body)
            with urllib.request.urlopen(
                urllib.request.Request(
                    signed.key_id.split("#")[0], headers={"Accept": "application/activity+json"}
                ),
                timeout=10,
            ) as answer:
                actor = json.loads(answer.read())
            signatures.verify(signed, actor["publicKey"]["publicKeyPem"])
        except (signatures.BadSignature, OSError, KeyError, ValueError):
            return False
        return True

    def _handler(peer):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != f"/users/{peer.username}":
                    self.send_error(404)
                    return
                body = json.dumps(peer.document()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                ok = peer.verified("POST", self.path, headers, body)
                peer.received.append((json.loads(body), ok))
                self.send_response(202 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def send(self, inbox: str, activity: dict) -> int:
        body = json.dumps(activity).encode()
        headers = signatures.sign_headers(
            "POST", inbox, key_id=f"{self.uri}#main-key", private_pem=self.private_pem, body=body
        )
        headers["Content-Type"] = "application/activity+json"
        request = urllib.request.Request(inbox, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def wait_for(self, kind: str, seconds: float = 60) -> tuple[dict, bool]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for activity, ok in self.received:
                if activity.get("type") == kind:
                    return activity, ok
            time.sleep(0.2)
        raise AssertionError(f"No {kind} arrived; got {[a['type'] for a, _ in self.received]}")
