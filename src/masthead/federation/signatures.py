"""HTTP Signatures in the draft-cavage form (rsa-sha256) that Mastodon and most of the
Fediverse speak.

http-message-signatures and requests-http-signature implement RFC 9421, which
Mastodon does not accept yet; httpsig, the cavage library, is unchanged since 2018.
apsig speaks the cavage draft, but brings JSON-LD, authlib and multiformats with it
for what is here a hundred lines: the signing string is built here and the RSA work
is done by ``cryptography``. The tests check both directions against apsig.
"""

import base64
import hashlib
import re
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.cache import cache

# How far a request's Date may be from our clock, either way.
WINDOW_SECONDS = 300
SIGNED_POST = ("(request-target)", "host", "date", "digest")
SIGNED_GET = ("(request-target)", "host", "date")
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class BadSignature(Exception):
    """The request is not signed, or not as it must be; the message says how."""


@dataclass(frozen=True)
class Signed:
    key_id: str
    headers: tuple[str, ...]
    signature: bytes
    signing_string: str


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def sign_headers(
    method: str, url: str, *, key_id: str, private_pem: str, body: bytes | None = None
) -> dict[str, str]:
    """The Date, Digest (with a body) and Signature headers for one request."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    values = {
        "(request-target)": f"{method.lower()} {target}",
        "host": parts.netloc,
        "date": formatdate(usegmt=True),
    }
    names = SIGNED_GET
    if body is not None:
        values["digest"] = digest(body)
        names = SIGNED_POST
    text = "\n".join(f"{name}: {values[name]}" for name in names)
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    signature = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    header = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    sent = {"Host": values["host"], "Date": values["date"], "Signature": header}
    if body is not None:
        sent["Digest"] = values["digest"]
    return sent


def parse(method: str, path: str, headers, body: bytes) -> Signed:
    """Check everything but the key: the header's form, the Digest, the Date window.

    ``headers`` maps lower-case names to values; ``path`` includes the query.
    """
    raw = headers.get("signature")
    if not raw:
        raise BadSignature("The request is not signed.")
    params = dict(_PARAM.findall(raw))
    if not params.get("keyId") or not params.get("signature"):
        raise BadSignature("The Signature header lacks keyId or signature.")
    if params.get("algorithm", "hs2019") not in ("rsa-sha256", "hs2019"):
        raise BadSignature("Only rsa-sha256 signatures are accepted.")
    names = tuple(params.get("headers", "date").lower().split())
    required = SIGNED_POST if method.upper() == "POST" else SIGNED_GET
    missing = [name for name in required if name not in names]
    if missing:
        raise BadSignature(f"The signature does not cover {', '.join(missing)}.")
    if method.upper() == "POST" and headers.get("digest", "") != digest(body):
        raise BadSignature("The Digest header does not match the body.")
    _check_date(headers.get("date", ""))
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif name in headers:
            lines.append(f"{name}: {headers[name]}")
        else:
            raise BadSignature(f"The signed header {name} is missing.")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as exc:
        raise BadSignature("The signature is not base64.") from exc
    return Signed(params["keyId"], names, signature, "\n".join(lines))


def _check_date(value: str) -> None:
    try:
        sent = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError) as exc:
        raise BadSignature("The Date header is missing or unreadable.") from exc
    if abs(time.time() - sent) > WINDOW_SECONDS:
        raise BadSignature("The Date header is too far from now: replayed or the clock is off.")


def verify(signed: Signed, public_pem: str) -> None:
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
    except ValueError as exc:
        raise BadSignature("The actor's public key cannot be read.") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadSignature("Only RSA keys are accepted.")
    try:
        key.verify(
            signed.signature, signed.signing_string.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature as exc:
        raise BadSignature("The signature does not match the actor's key.") from exc


def claim_once(signed: Signed) -> bool:
    """False when this very signature was seen within the window: a replay."""
    key = "ap-sig:" + hashlib.sha256(signed.signature).hexdigest()
    return cache.add(key, 1, WINDOW_SECONDS * 2)
