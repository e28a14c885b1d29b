"""Error pages and robots.txt: plain, fast, and useful to a lost reader."""

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control

from masthead.lib.urls import absolute


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        # The index: crawlers find every section and page of the sitemap from it.
        f"Sitemap: {absolute(reverse('publishing:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def not_found(request, exception=None):
    body = loader.render_to_string("404.html", {"path": request.path}, request)
    return HttpResponseNotFound(body)


def forbidden(request, exception=None):
    body = loader.render_to_string("403.html", {}, request)
    return HttpResponseForbidden(body)


def csrf_failure(request, reason=""):
    """A form refused as possibly forged: usually a page left open long or a lost cookie."""
    context = {
        # Back to the form, when the browser said where it was and it is one of ours.
        "back": _same_site_referer(request),
        "reason": reason if settings.DEBUG else "",
    }
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", context, request))


def _same_site_referer(request) -> str:
    referer = request.headers.get("Referer", "")
    allowed = {request.get_host()}
    return referer if url_has_allowed_host_and_scheme(referer, allowed, request.is_secure()) else ""


def server_error(request):
    # No request context: whatever broke may be in a context processor.
    body = loader.render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(body)
