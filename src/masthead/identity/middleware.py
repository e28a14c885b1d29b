"""Keeps staff without a second factor out of the admin when the site requires one."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from masthead.identity.services import must_enrol_second_factor

ENROL_MESSAGE = (
    "This site requires two-factor authentication for staff. "
    "Set up an authenticator app or a security key to use the admin."
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            messages.warning(request, ENROL_MESSAGE)
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _refused(request) -> bool:
        admin = reverse("admin:index")
        if not request.path.startswith(admin) or request.path == reverse("admin:logout"):
            return False
        return must_enrol_second_factor(request.user)
