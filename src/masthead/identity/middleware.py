"""Keeps staff without a second factor off every staff-only page when the site requires one."""

from django.contrib import messages
from django.shortcuts import redirect

from masthead.identity.services import must_enrol_second_factor

ENROL_MESSAGE = (
    "This site requires two-factor authentication for staff. "
    "Set up an authenticator app or a security key to use the admin."
)

# The staff-only pages, by where they are routed: the admin, the desk and previews.
STAFF_NAMESPACES = {"admin", "desk"}
STAFF_URL_NAMES = {"publishing:preview-post", "publishing:preview-page"}
OPEN_URL_NAMES = {"admin:logout"}


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self._refused(request):
            messages.warning(request, ENROL_MESSAGE)
            return redirect("mfa_index")
        return None

    @staticmethod
    def _refused(request) -> bool:
        match = request.resolver_match
        if match is None or match.view_name in OPEN_URL_NAMES:
            return False
        staff_only = bool(STAFF_NAMESPACES & set(match.namespaces)) or (
            match.view_name in STAFF_URL_NAMES
        )
        return staff_only and must_enrol_second_factor(request.user)
