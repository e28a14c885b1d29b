"""Logging in with X (twitter_oauth2), end to end against a local X."""

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.twitter_oauth2.views import TwitterOAuth2Adapter

from tests.identity.providers import (
    CLIENT_ID,
    FakeX,
    app_settings,
    consent,
    loopback_only,
    query_of,
    start_login,
)


@pytest.fixture
def x(settings, monkeypatch, db):
    loopback_only(monkeypatch)
    with FakeX() as fake:
        # allauth's X adapter keeps its endpoints as class attributes.
        monkeypatch.setattr(TwitterOAuth2Adapter, "authorize_url", f"{fake.url}/i/oauth2/authorize")
        monkeypatch.setattr(TwitterOAuth2Adapter, "access_token_url", f"{fake.url}/2/oauth2/token")
        monkeypatch.setattr(TwitterOAuth2Adapter, "profile_url", f"{fake.url}/2/users/me")
        settings.SOCIALACCOUNT_PROVIDERS = app_settings("twitter_oauth2")
        yield fake


def test_it_sends_the_reader_to_x_with_a_pkce_challenge(client, x):
    query = query_of(start_login(client, "twitter_oauth2"))

    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/accounts/twitter_oauth2/login/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert set(query["scope"].split()) == {"users.read", "tweet.read"}
    assert query["state"]


def test_a_reader_logs_in_with_x_at_once_though_x_shares_no_email(client, x):
    client.get(consent(start_login(client, "twitter_oauth2")))

    account = SocialAccount.objects.get(provider="twitter_oauth2")
    assert client.session["_auth_user_id"] == str(account.user_id)
    assert account.uid == "1460123987654321408"
    assert account.extra_data["username"] == "tferreira"
    assert account.user.get_full_name() == "Tomás Ferreira"
    assert account.user.email == ""
    assert account.get_avatar_url() == "http://127.0.0.1/avatar/tomas_normal.jpg"


def test_a_wrong_code_verifier_is_refused_by_x(client, x, monkeypatch):
    from allauth.socialaccount.providers.oauth2 import client as oauth2_client

    real = oauth2_client.OAuth2Client.get_access_token

    def tampered(self, code, pkce_code_verifier=None, extra_data=None):
        return real(self, code, pkce_code_verifier="0" * 43, extra_data=extra_data)

    monkeypatch.setattr(oauth2_client.OAuth2Client, "get_access_token", tampered)

    response = client.get(consent(start_login(client, "twitter_oauth2")))

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
