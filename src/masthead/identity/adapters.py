"""The one place allauth's behaviour is adjusted for Masthead."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings

from masthead.identity.oidc.nonce import NonceOpenIDConnectProvider, nonce_matches


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails speak as the publication, not as whatever host was asked."""
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, {"current_site": site, **context})


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        """allauth's OpenID Connect provider, swapped for the one that sends a nonce.

        Every login and callback looks its provider up here, so this is the one
        place the swap is needed; settings, URLs and the provider id stay allauth's.
        """
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            found = NonceOpenIDConnectProvider(request, app=found.app)
        return found

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
