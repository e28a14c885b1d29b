"""Signed, expiring tokens for links in emails: whoever holds the link may act once clicked."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.discussion.models import UsedModerationLink, digest_body
from masthead.lib.emails import normalize_email

MODERATION_MAX_AGE = dt.timedelta(days=7)
PRIVACY_MAX_AGE = dt.timedelta(days=1)

_MODERATION_SALT = "masthead.discussion.moderate"
_PRIVACY_SALT = "masthead.discussion.privacy"


@dataclass(frozen=True)
class Emailed:
    """What a moderation link was made for: the comment, its status and its text then."""

    comment_id: int
    status: str
    digest: str

    def used(self, comment) -> bool:
        """Someone already decided: the link acts once."""
        return comment.status != self.status

    def changed(self, comment) -> bool:
        """The text is no longer the one the email showed."""
        return _digest(comment) != self.digest


def _digest(comment) -> str:
    return digest_body(comment.body)[:24]


def moderation_token(comment) -> str:
    data = {"c": comment.pk, "s": comment.status, "d": _digest(comment)}
    return signing.dumps(data, salt=_MODERATION_SALT)


def read_moderation_token(token: str) -> Emailed | None:
    """What the link was made for, or None when it is forged or older than a week."""
    value = _loads(token, _MODERATION_SALT, MODERATION_MAX_AGE)
    try:
        return Emailed(int(value["c"]), str(value["s"]), str(value["d"]))
    except (TypeError, KeyError, ValueError):
        return None


def claim_moderation_token(token: str) -> bool:
    """Mark the link used; False when it already was. Call inside the action's transaction."""
    UsedModerationLink.objects.filter(used_at__lt=timezone.now() - MODERATION_MAX_AGE).delete()
    key = hashlib.sha256(token.encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedModerationLink.objects.create(key=key)
    except IntegrityError:
        return False
    return True


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
