from django.conf import settings


def absolute(path: str) -> str:
    """A site path as a full URL on the canonical origin, never the request's Host."""
    if not path or "://" in path:
        return path
    return f"{settings.SITE_URL}{path}"
