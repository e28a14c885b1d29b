"""Issuing, checking and revoking API tokens.

A token reads ``mh_<prefix>_<secret>``: the prefix is public and finds the row,
the secret is 32 random bytes of which only the SHA-256 digest is stored. A
digest is enough for a secret this long (nothing to guess), and it keeps the
check fast on every request.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from masthead.api.models import ApiToken
from masthead.desk.access import can_manage_all_tokens, can_use_desk

SCHEME = "mh"
# Writing last_used_at on every request would turn each read into a write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_hold_tokens(user) -> bool:
    """Tokens are for staff who moderate or write; the API checks each action again."""
    return can_use_desk(user)


def tokens_seen_by(user):
    """The tokens ``user`` may see and revoke: their own, or everyone's for those who
    run the site."""
    found = ApiToken.objects.select_related("user")
    return found if can_manage_all_tokens(user) else found.filter(user=user)


@transaction.atomic
def issue_token(user, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the full token is returned once and never stored."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "API token",
        prefix=prefix,
        secret_digest=_digest(secret),
        expires_at=expires_at,
    )
    return token, f"{SCHEME}_{prefix}_{secret}"


def revoke_token(token: ApiToken) -> ApiToken:
    """Shut the token out at once: every request reads the token's row, so no worker
    keeps letting it in."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class TokenRefused(Exception):
    """Why a presented token lets nobody in; the message is for the caller."""


def user_for_token(raw: str):
    """The staff user a presented token stands for; TokenRefused otherwise."""
    scheme, _, rest = raw.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or not prefix or not secret:
        raise TokenRefused("That is not a Masthead API token.")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_digest, _digest(secret)):
        raise TokenRefused("This API token is not valid.")
    if token.revoked_at is not None:
        raise TokenRefused("This API token has been revoked.")
    if token.has_expired:
        when = timezone.localtime(token.expires_at)
        raise TokenRefused(f"This API token expired on {when:%Y-%m-%d}.")
    if not may_hold_tokens(token.user):
        raise TokenRefused("The account this token belongs to may no longer use the API.")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
