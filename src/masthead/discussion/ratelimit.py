"""Rate limits for comments and likes, counted in the shared cache.

Counters are sliding windows approximated from two fixed windows: the current
count plus the previous window's, weighted by how much of it still overlaps.
That stops the double burst a plain fixed window allows at its edge, at the
cost of one extra read. ``cache.incr``, and ``cache.add`` for a window's first
attempt, are atomic on Redis; on the shared disk cache one transaction counts
an attempt in all its windows. Either way every worker, and every node behind
the load balancer, counts the same attempts.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.core.cache import cache

from masthead.lib.emails import normalize_email

COMMENTS_PER_MINUTE_PER_IP = 5
COMMENTS_PER_HOUR_PER_IP = 30
COMMENTS_PER_MINUTE_PER_EMAIL = 5
LIKES_PER_MINUTE_PER_IP = 30

TOO_FAST = "You are commenting too fast. Please wait a minute and try again."
TOO_MANY = "Too many comments from your network this hour. Please try again later."
TOO_MANY_FOR_EMAIL = (
    "Too many comments with this email address. Please wait a minute and try again."
)
TOO_MANY_LIKES = "Too many likes at once. Please wait a minute."
TOO_MANY_ACTIVITIES = "Too many activities from your server; try again in a minute."


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int
    message: str


COMMENT_IP_LIMITS = (
    Limit("comment-ip", COMMENTS_PER_MINUTE_PER_IP, 60, TOO_FAST),
    Limit("comment-ip", COMMENTS_PER_HOUR_PER_IP, 3600, TOO_MANY),
)
COMMENT_EMAIL_LIMITS = (
    Limit("comment-email", COMMENTS_PER_MINUTE_PER_EMAIL, 60, TOO_MANY_FOR_EMAIL),
)
LIKE_LIMITS = (Limit("like-ip", LIKES_PER_MINUTE_PER_IP, 60, TOO_MANY_LIKES),)


def check_rate(ip: str | None, email: str | None) -> str | None:
    """Count one comment attempt; a message for the reader when it is over a limit."""
    checks = [(limit, _client(ip)) for limit in COMMENT_IP_LIMITS if ip]
    if email:
        checks += [(limit, _digest(normalize_email(email))) for limit in COMMENT_EMAIL_LIMITS]
    return _first_exceeded(checks)


def check_likes(ip: str | None) -> str | None:
    """Count one like; a message when this address likes faster than a person would."""
    return _first_exceeded([(limit, _client(ip)) for limit in LIKE_LIMITS if ip])


def check_activities(host: str, per_minute: int) -> str | None:
    """Count one activity a Fediverse server sent to the inbox; a message when that
    server sends more than ``per_minute``."""
    limit = Limit("ap-inbox", per_minute, 60, TOO_MANY_ACTIVITIES)
    return _first_exceeded([(limit, host.lower())])


def _first_exceeded(checks: list[tuple[Limit, str]]) -> str | None:
    # Every attempt counts against every limit, so a flood stays limited.
    now = time.time()
    windows, overlaps = [], []
    for limit, who in checks:
        window, into = divmod(now, limit.seconds)
        prefix = f"ratelimit:{limit.scope}:{limit.seconds}:{who}"
        windows.append(
            (f"{prefix}:{int(window)}", f"{prefix}:{int(window) - 1}", limit.seconds * 2)
        )
        overlaps.append(1 - into / limit.seconds)
    current, previous = _count(windows) if windows else ([], {})
    for (limit, _), (_, before, _), count, overlap in zip(
        checks, windows, current, overlaps, strict=True
    ):
        if count + previous.get(before, 0) * overlap > limit.count:
            return limit.message
    return None


def _count(windows: list[tuple[str, str, int]]) -> tuple[list[int], dict]:
    """One more attempt in each (current window, previous window, timeout): the current
    counts, and the previous windows' counts by key."""
    counters = getattr(cache, "counters", None)
    if counters is None:
        current = [_incr(key, timeout) for key, _, timeout in windows]
        return current, cache.get_many([before for _, before, _ in windows])
    # The disk cache: every counter in one transaction, a third of the separate calls' cost.
    store = counters()
    with store.transact(retry=True):
        current = [
            1 if store.add(key, 1, expire=timeout) else store.incr(key)
            for key, _, timeout in windows
        ]
        previous = {before: store.get(before, 0) for _, before, _ in windows}
    return current, previous


def _incr(key: str, timeout: int) -> int:
    # Most comments come from readers with no counter in this window yet: creating it
    # is one call, where a failed incr and then add is two.
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        return 1 if cache.add(key, 1, timeout) else cache.incr(key)


def _client(ip: str) -> str:
    """The address, or its /64 for IPv6, where one home or host holds a whole network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return _digest(ip)
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]
