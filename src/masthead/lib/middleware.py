"""Response headers that keep every page free of third-party requests."""

from django.conf import settings

# Everything a page loads comes from this origin; nothing reaches a third party.
# No form-action: browsers apply it to the redirect after a form, and logging in
# with a provider is a form whose answer redirects to that provider.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
PERMISSIONS_POLICY = "interest-cohort=(), browsing-topics=()"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin ships inline scripts and styles of its own.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.MEDIA_URL and request.path.startswith(settings.MEDIA_URL):
            response.headers.setdefault("Cache-Control", "public, max-age=31536000, immutable")
        return response
