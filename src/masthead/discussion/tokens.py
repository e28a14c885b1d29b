"""Signed, expiring tokens for links in emails: whoever holds the link may act once clicked."""

import datetime as dt

from django.core import signing

from masthead.lib.emails import normalize_email

MODERATION_MAX_AGE = dt.timedelta(days=7)
PRIVACY_MAX_AGE = dt.timedelta(days=1)

_MODERATION_SALT = "masthead.discussion.moderate"
_PRIVACY_SALT = "masthead.discussion.privacy"


def moderation_token(comment_id: int) -> str:
    return signing.dumps(comment_id, salt=_MODERATION_SALT)


def read_moderation_token(token: str) -> int | None:
    """The comment id, or None when the link is forged or older than a week."""
    value = _loads(token, _MODERATION_SALT, MODERATION_MAX_AGE)
    return value if isinstance(value, int) else None


def privacy_token(email: str) -> str:
    return signing.dumps(normalize_email(email), salt=_PRIVACY_SALT)


def read_privacy_token(token: str) -> str | None:
    """The email address, or None when the link is forged or expired."""
    value = _loads(token, _PRIVACY_SALT, PRIVACY_MAX_AGE)
    return value if isinstance(value, str) else None


def _loads(token: str, salt: str, max_age: dt.timedelta):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
