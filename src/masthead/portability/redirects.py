"""Old WordPress addresses answered with a permanent redirect to where the content is now.

Only two kinds of request look here: a WordPress query on the front page
(``/?p=12``, ``/?page_id=3``, ``/?attachment_id=7``), and a request that
would otherwise be a 404. Everything else costs nothing.
"""

from django.http import HttpResponsePermanentRedirect

from masthead.portability.models import LegacyRedirect
from masthead.publishing.models import Page, Post

QUERY_KEYS = ("p", "page_id", "attachment_id")
FRONT_PATHS = ("/", "/index.php")


def normalize(source: str) -> str:
    """One spelling per address: a query stays as asked, a directory path ends in "/"."""
    path, mark, query = source.partition("?")
    if mark:
        key, _, value = query.partition("&")[0].partition("=")
        if path in FRONT_PATHS and key in QUERY_KEYS:
            return f"/?{key}={value}"
        return f"{path}?{query}"
    last = path.rsplit("/", 1)[-1]
    return path if path.endswith("/") or "." in last else path + "/"


def _candidates(legacy: str) -> list[str]:
    """An attachment names its parent by WordPress id alone: a post, or a page of that id."""
    prefix, kind, wp_id = [*legacy.rsplit(":", 2), "", ""][:3]
    if legacy.startswith("wp:") and kind == "post":
        return [legacy, f"{prefix}:page:{wp_id}"]
    return [legacy]


def _target(redirect: LegacyRedirect) -> str:
    legacy = redirect.target_legacy_id
    if legacy:
        wanted = _candidates(legacy)
        for model in (Post, Page):
            found = model.objects.published().filter(legacy_id__in=wanted).first()
            if found is not None:
                return found.get_absolute_url()
    return redirect.target_url


def find(source: str) -> str:
    """Where an old address leads now, or "" when it leads nowhere readers may go."""
    source = normalize(source)
    redirect = LegacyRedirect.objects.filter(source=source).first()
    if redirect is None:
        return ""
    target = _target(redirect)
    return "" if target in ("", source) else target


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in FRONT_PATHS and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isdigit():
                    target = find(f"/?{key}={value}")
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = find(request.get_full_path() if request.GET else request.path)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
