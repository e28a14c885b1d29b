"""Logging in with Facebook, end to end against a local Graph API."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.facebook import flows
from allauth.socialaccount.providers.facebook.views import FacebookOAuth2Adapter
from django.core import mail

from tests.identity.providers import (
    CLIENT_ID,
    FakeFacebook,
    app_settings,
    consent,
    loopback_only,
    query_of,
    start_login,
)


@pytest.fixture
def facebook(settings, monkeypatch, db):
    loopback_only(monkeypatch)
    with FakeFacebook() as fake:
        # allauth reads the Graph API URL once, at import: point its copies here.
        monkeypatch.setattr(
            FacebookOAuth2Adapter, "authorize_url", f"{fake.graph_url}/dialog/oauth"
        )
        monkeypatch.setattr(
            FacebookOAuth2Adapter, "access_token_url", f"{fake.graph_url}/oauth/access_token"
        )
        monkeypatch.setattr(flows, "GRAPH_API_URL", fake.graph_url)
        settings.SOCIALACCOUNT_PROVIDERS = app_settings("facebook")
        yield fake


def test_it_sends_the_reader_to_facebook_to_consent(client, facebook):
    url = start_login(client, "facebook")

    assert url.startswith(f"{facebook.graph_url}/dialog/oauth?")
    query = query_of(url)
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/accounts/facebook/login/callback/"
    assert query["scope"] == "email"
    assert query["state"]


def test_it_logs_the_reader_in_and_confirms_the_email_afterwards(client, facebook):
    client.get(consent(start_login(client, "facebook")))

    account = SocialAccount.objects.get(provider="facebook")
    assert client.session["_auth_user_id"] == str(account.user_id)
    assert account.uid == "10229871234567890"
    assert account.user.get_full_name() == "Ingrid Solberg"
    # Facebook does not vouch for its addresses, so Masthead asks the reader to.
    assert not EmailAddress.objects.get(user=account.user).verified
    assert mail.outbox[-1].to == [account.user.email]
    assert account.get_profile_url() == "http://127.0.0.1/profile/10229871234567890"
