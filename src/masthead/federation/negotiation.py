"""Whether a request asks for ActivityStreams JSON rather than a page."""

AP_TYPES = ("application/activity+json", "application/ld+json")


def wants_activity(accept: str) -> bool:
    """True for an Accept header naming an ActivityStreams type (Mastodon sends
    ``application/activity+json``; others the ld+json form with its profile)."""
    accept = (accept or "").lower()
    return any(kind in accept for kind in AP_TYPES)
