"""Cross-site checks for forms that carry no per-session CSRF token."""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(request) -> bool:
    """The POST came from a page of this site, by its Origin or else its Referer."""
    allowed = {_origin_of(settings.SITE_URL), f"{request.scheme}://{request.get_host()}".lower()}
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.lower() in allowed
    return _origin_of(request.headers.get("Referer", "")) in allowed


def csrf_failure(request):
    """Django's own CSRF check, for requests that carry a session (logged-in readers)."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
