"""What a browser remembers about its commenter: details offered back, and own comments."""

import base64
import hashlib
import json
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing

DETAILS_COOKIE = "masthead_commenter"
OWN_COOKIE = "masthead_own"
# Readable by the page's script, and holding nothing: "ask for my parts of the page".
KNOWN_COOKIE = "masthead_known"
DETAILS_SALT = "masthead.discussion.details"
OWN_SALT = "masthead.discussion.own"
YEAR = 365 * 24 * 3600
KEEP_OWN = 20


def _read(request, name: str, salt: str) -> dict:
    """A signed cookie's contents; {} when absent, forged or too old."""
    raw = request.COOKIES.get(name)
    if not raw:
        return {}
    try:
        return signing.loads(raw, salt=salt, max_age=YEAR)
    except signing.BadSignature:
        return {}


def set_cookie(response, name: str, value: str, *, httponly: bool = True) -> None:
    """A year-long discussion cookie, Secure whenever the site is served over HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=YEAR,
        httponly=httponly,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _write(response, name: str, salt: str, data: dict) -> None:
    set_cookie(response, name, signing.dumps(data, salt=salt, compress=True))
    set_cookie(response, KNOWN_COOKIE, "1", httponly=False)


def _fernet() -> MultiFernet:
    """Keys derived from the secret key (and its fallbacks, so a rotation logs nobody out)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(hashlib.sha256(f"{DETAILS_SALT}:{key}".encode()).digest())
            )
            for key in secrets
        ]
    )


def _read_sealed(request) -> dict:
    raw = request.COOKIES.get(DETAILS_COOKIE)
    if not raw:
        return {}
    try:
        data = json.loads(_fernet().decrypt(raw.encode(), ttl=YEAR))
    except (InvalidToken, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_details(request) -> dict:
    """Name, email and website this browser asked us to remember, or {}."""
    data = _read_sealed(request)
    return {k: str(data[k])[:300] for k in ("author", "email", "url") if k in data}


def remember_details(response, details: dict | None) -> None:
    if details is None:
        response.delete_cookie(DETAILS_COOKIE)
        return
    # Encrypted, not only signed: whoever copies the cookie learns nothing from it.
    sealed = _fernet().encrypt(json.dumps(details).encode()).decode()
    set_cookie(response, DETAILS_COOKIE, sealed)
    set_cookie(response, KNOWN_COOKIE, "1", httponly=False)


def own_comments(request) -> dict[int, float]:
    """Comment ids this browser wrote, with when; the proof a guest may edit them."""
    return {int(k): float(v) for k, v in _read(request, OWN_COOKIE, OWN_SALT).items()}


def add_own_comment(request, response, comment_id: int) -> None:
    own = own_comments(request)
    own[comment_id] = time.time()
    newest = dict(sorted(own.items(), key=lambda kv: kv[1])[-KEEP_OWN:])
    _write(response, OWN_COOKIE, OWN_SALT, {str(k): v for k, v in newest.items()})


def moderation_hash(comment_id: int) -> str:
    """Lets the author of a held comment see it, on a URL nobody else can guess."""
    return (
        signing.Signer(salt="masthead.discussion.unapproved").sign(str(comment_id)).split(":")[-1]
    )


def may_see_unapproved(comment_id: int, given: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(moderation_hash(comment_id), given or "")
