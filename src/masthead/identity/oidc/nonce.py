"""A per-login OpenID Connect nonce, which allauth neither sends nor checks.

PKCE and `state` bind the authorization code to this browser; the nonce binds
the ID token itself to the login that asked for it (OpenID Connect Core 1.0,
sections 3.1.2.1 and 3.1.3.7), so a token minted for another login is refused.
"""

import hmac
import logging
import secrets

import requests
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

log = logging.getLogger(__name__)

# Key in allauth's stashed login state; our own name, so it cannot clash with allauth's.
STATE_KEY = "oidc_nonce"


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's provider, sending a fresh nonce and stashing it with the login state."""

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        # Set last, so a caller-supplied `auth_params=nonce=…` cannot choose it.
        auth_params = {**auth_params, "nonce": nonce}
        # Extra keyword arguments end up in the state statekit keeps in the session.
        kwargs[STATE_KEY] = nonce
        try:
            return super().redirect(
                request, process, next_url, data, auth_params=auth_params, **kwargs
            )
        except requests.RequestException as exc:
            # The issuer's discovery document is fetched here, before any redirect:
            # an issuer that is down gets the page a failed callback gets, not a 500.
            return render_authentication_error(request, self, exception=exc)


def nonce_matches(sociallogin) -> bool:
    """Whether the ID token carries the nonce stashed for this login; absent on either side: no."""
    expected = sociallogin.state.get(STATE_KEY)
    id_token = sociallogin.account.extra_data.get("id_token") or {}
    received = id_token.get("nonce") if isinstance(id_token, dict) else None
    if (
        isinstance(expected, str)
        and isinstance(received, str)
        and expected
        and hmac.compare_digest(expected.encode(), received.encode())
    ):
        return True
    if received is None:
        why = "missing from the ID token"
    elif not expected:
        why = "not remembered for this login"
    else:
        why = "not the one sent"
    log.warning(
        "Refused an OpenID Connect login for %s: nonce %s.", sociallogin.account.provider, why
    )
    return False
