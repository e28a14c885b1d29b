"""What a browser remembers about its commenter: details offered back, and own comments."""

import time

from django.core import signing

DETAILS_COOKIE = "masthead_commenter"
OWN_COOKIE = "masthead_own"
DETAILS_SALT = "masthead.discussion.details"
OWN_SALT = "masthead.discussion.own"
YEAR = 365 * 24 * 3600
KEEP_OWN = 20


def remembered_details(request) -> dict:
    """Name, email and website this browser asked us to remember, or {}."""
    raw = request.COOKIES.get(DETAILS_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=DETAILS_SALT, max_age=YEAR)
    except signing.BadSignature:
        return {}
    return {k: str(data.get(k, ""))[:300] for k in ("author", "email", "url")}


def remember_details(response, details: dict | None) -> None:
    if details is None:
        response.delete_cookie(DETAILS_COOKIE)
        return
    value = signing.dumps(details, salt=DETAILS_SALT, compress=True)
    response.set_cookie(DETAILS_COOKIE, value, max_age=YEAR, httponly=True, samesite="Lax")


def own_comments(request) -> dict[int, float]:
    """Comment ids this browser wrote, with when; the proof a guest may edit them."""
    raw = request.COOKIES.get(OWN_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=OWN_SALT, max_age=YEAR)
    except signing.BadSignature:
        return {}
    return {int(k): float(v) for k, v in data.items()}


def add_own_comment(request, response, comment_id: int) -> None:
    own = own_comments(request)
    own[comment_id] = time.time()
    newest = dict(sorted(own.items(), key=lambda kv: kv[1])[-KEEP_OWN:])
    value = signing.dumps({str(k): v for k, v in newest.items()}, salt=OWN_SALT, compress=True)
    response.set_cookie(OWN_COOKIE, value, max_age=YEAR, httponly=True, samesite="Lax")


def moderation_hash(comment_id: int) -> str:
    """Lets the author of a held comment see it, on a URL nobody else can guess."""
    return (
        signing.Signer(salt="masthead.discussion.unapproved").sign(str(comment_id)).split(":")[-1]
    )


def may_see_unapproved(comment_id: int, given: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(moderation_hash(comment_id), given or "")
