"""The signature a receiver checks: HMAC-SHA256 under the hook's secret over
``<unix timestamp>.<raw body>``, so neither the body nor the time can be changed
without the secret. docs/webhooks.md shows the receiver's side."""

import hashlib
import hmac
import time

HEADER = "Masthead-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
