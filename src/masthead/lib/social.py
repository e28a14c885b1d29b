"""Social login providers configured by MASTHEAD_<PROVIDER>_* environment variables.

A provider appears only when its client id and secret are set. Kept free of
Django imports because settings.py calls it.
"""

from masthead.lib.env import envbool, envstr

# allauth provider id → environment prefix
PROVIDERS = {
    "wordpress_com": "MASTHEAD_WORDPRESS",
    "twitter_oauth2": "MASTHEAD_TWITTER",
    "facebook": "MASTHEAD_FACEBOOK",
}


def _app(prefix: str, **extra) -> dict | None:
    client_id = envstr(f"{prefix}_CLIENT_ID", "")
    secret = envstr(f"{prefix}_SECRET", "")
    if not (client_id and secret):
        return None
    return {"client_id": client_id, "secret": secret, **extra}


def providers_from_env() -> dict:
    """SOCIALACCOUNT_PROVIDERS for allauth, with an app for each configured provider."""
    providers = {}
    for provider, prefix in PROVIDERS.items():
        app = _app(prefix)
        if app:
            providers[provider] = {"APPS": [app]}
    issuer = envstr("MASTHEAD_OIDC_ISSUER", "")
    oidc = _app(
        "MASTHEAD_OIDC",
        provider_id="oidc",
        name=envstr("MASTHEAD_OIDC_NAME", "OpenID Connect"),
        settings={
            "server_url": issuer,
            "oauth_pkce_enabled": True,
            "fetch_userinfo": True,
            # Behind a self-signed test provider or a private CA.
            "verify_ssl": not envbool("MASTHEAD_OIDC_INSECURE", False),
        },
    )
    if oidc and issuer:
        providers["openid_connect"] = {"OAUTH_PKCE_ENABLED": True, "APPS": [oidc]}
    return providers
