"""The one place allauth's behaviour is adjusted for Masthead."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_field, user_username
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import Http404
from django.urls import reverse

from masthead.identity.commenter import is_registered_name
from masthead.identity.oidc.nonce import NonceOpenIDConnectProvider, nonce_matches
from masthead.lib.urls import absolute


def _on_site(value):
    """An absolute http(s) URL moved to the canonical origin; anything else unchanged."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    parts = urlsplit(value)
    return absolute(parts._replace(scheme="", netloc="").geturl() or "/")


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails speak as the publication, not as whatever host was asked.

        allauth builds its links (reset, confirmation, sign-up) from the request's
        Host; any alias the site answers to would end up in the email. Every link
        is put back on MASTHEAD_SITE_URL.
        """
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        context = {key: _on_site(value) for key, value in context.items()}
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def populate_username(self, request, user) -> None:
        """A username made from the person's name, never from their email address."""
        if not user_username(user):
            names = [user_field(user, "first_name"), user_field(user, "last_name")]
            user_username(
                user, self.generate_unique_username([" ".join(filter(None, names)), "reader"])
            )

    def save_user(self, request, user, form, commit=True):
        """At sign-up, the username follows the display name the form asks for."""
        user = super().save_user(request, user, form, commit=False)
        display_name = form.cleaned_data.get("display_name")
        if display_name:
            user_username(user, self.generate_unique_username([display_name, "reader"]))
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request) -> str:
        """Where a log-in lands when it was not going anywhere: staff in the admin."""
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        """allauth's OpenID Connect provider, swapped for the one that sends a nonce.

        Every login and callback looks its provider up here, so this is the one
        place the swap is needed; settings, URLs and the provider id stay allauth's.
        """
        try:
            found = super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # A provider the site never configured: its login address does not exist.
            raise Http404("This sign-in method is not set up on this site.") from None
        if type(found) is OpenIDConnectProvider:
            found = NonceOpenIDConnectProvider(request, app=found.app)
        return found

    def populate_user(self, request, sociallogin, data):
        """The provider's name, unless someone on the site (staff above all) goes by it.

        A reader picks the name on their provider account, so it faces the check
        a typed display name faces; refused, the account goes by its number.
        """
        user = super().populate_user(request, sociallogin, data)
        full_name = " ".join(filter(None, [user.first_name, user.last_name]))
        if is_registered_name(full_name):
            user.first_name = user.last_name = ""
        return user

    def get_signup_form_initial_data(self, sociallogin):
        """Offer the provider's name as the display name, when it gave one."""
        initial = super().get_signup_form_initial_data(sociallogin)
        name = " ".join(filter(None, [initial["first_name"], initial["last_name"]]))
        return {**initial, "display_name": name}

    def pre_social_login(self, request, sociallogin):
        """Refuse an OpenID Connect login whose ID token was not minted for it.

        Runs before any user or SocialAccount is created (allauth's lookup has
        only refreshed an existing account's extra_data by then). A login that
        stashed no nonce (any path around the provider above) fails too.
        """
        if isinstance(sociallogin.provider, OpenIDConnectProvider) and not nonce_matches(
            sociallogin
        ):
            # No exception passed: the page then says the sign-in was ignored for
            # safety, rather than that the provider seems to be down.
            raise ImmediateHttpResponse(
                render_authentication_error(
                    request, sociallogin.provider, extra_context={"state": sociallogin.state}
                )
            )
        super().pre_social_login(request, sociallogin)
