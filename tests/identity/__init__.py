"""Helpers the identity tests share: verified addresses, real log-ins, links in mail."""

import re

from allauth.account.models import EmailAddress

PASSWORD = "correct horse battery"
MIDDLEWARE = "masthead.identity.middleware.StaffTwoFactorMiddleware"


def verify(user):
    """Personas are made without allauth; give them the verified address it insists on."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def log_in(client, email, password=PASSWORD, **extra):
    """Through allauth's form, as a person would, so it records how they authenticated."""
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def link_in(message) -> str:
    """The one site link an email carries, as a path."""
    url = re.search(r"http://testserver(/\S+)", message.body)
    return url.group(1)


def with_staff_2fa(settings):
    settings.MASTHEAD_STAFF_REQUIRE_2FA = True
    if MIDDLEWARE not in settings.MIDDLEWARE:
        at = settings.MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], MIDDLEWARE, *settings.MIDDLEWARE[at:]]
