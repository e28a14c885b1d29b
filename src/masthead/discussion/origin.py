"""Cross-site checks for forms that carry no per-session CSRF token."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt


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


def reject_cross_site(request):
    """A 403 for a POST from elsewhere; a logged-in reader's also needs its CSRF token."""
    if request.user.is_authenticated:
        return csrf_failure(request)
    if not same_origin(request):
        refuse = get_callable(settings.CSRF_FAILURE_VIEW)
        return refuse(request, reason="This form must be sent from a page of this site.")
    return None


def same_site_posts(view):
    """Guests' forms carry no session token (pages stay cacheable): check the origin."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            rejected = reject_cross_site(request)
            if rejected is not None:
                return rejected
        return view(request, *args, **kwargs)

    return wrapper
