"""What a forged, replayed, refused or failed OAuth login leaves behind: nothing."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from tests.identity.providers import (
    app_settings,
    closed_port,
    consent,
    loopback_only,
    query_of,
    start_login,
)

CALLBACK = "/accounts/wordpress_com/login/callback/"


def point_at(settings, url):
    settings.SOCIALACCOUNT_PROVIDERS = app_settings("wordpress_com", api_url=url)


def assert_nobody_signed_in(client, django_user_model, users=0):
    assert "_auth_user_id" not in client.session
    assert django_user_model.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_login_needs_a_post_so_a_link_cannot_start_it(client, wordpress):
    response = client.get("/accounts/wordpress_com/login/")

    assert response.status_code == 200
    assert wordpress.calls == []


def test_a_forged_state_is_refused(client, wordpress, django_user_model):
    start_login(client, "wordpress_com")

    response = client.get(CALLBACK, {"code": "stolen", "state": "forged"})

    assert response.status_code == 401
    assert b"has expired, has already been used" in response.content
    assert b"Try WordPress.com again" in response.content
    assert wordpress.calls == []
    assert_nobody_signed_in(client, django_user_model)


def test_a_callback_without_state_is_refused(client, wordpress, django_user_model):
    start_login(client, "wordpress_com")

    response = client.get(CALLBACK, {"code": "stolen"})

    assert response.status_code == 401
    assert_nobody_signed_in(client, django_user_model)


def test_a_callback_replayed_in_the_same_browser_is_refused(client, wordpress):
    callback = consent(start_login(client, "wordpress_com"))
    client.get(callback)
    client.post("/accounts/logout/")

    response = client.get(callback)

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


def test_a_callback_replayed_in_another_browser_is_refused(client, wordpress, django_user_model):
    callback = consent(start_login(client, "wordpress_com"))
    attacker = Client()

    response = attacker.get(callback)

    assert response.status_code == 401
    assert_nobody_signed_in(attacker, django_user_model)
    assert wordpress.calls == [("GET", "/oauth2/authorize")]


def test_cancelled_consent_ends_on_a_page_that_says_so(client, wordpress, django_user_model):
    wordpress.consent = "access_denied"

    response = client.get(consent(start_login(client, "wordpress_com")), follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/3rdparty/login/cancelled/"
    page = response.content.decode()
    assert "Sign-in cancelled" in page
    assert 'href="/accounts/login/"' in page
    assert_nobody_signed_in(client, django_user_model)


def test_a_provider_error_ends_on_a_page_that_says_so(client, wordpress, django_user_model):
    wordpress.consent = "server_error"

    response = client.get(consent(start_login(client, "wordpress_com")))

    assert response.status_code == 401
    assert b"WordPress.com reported a problem" in response.content
    assert_nobody_signed_in(client, django_user_model)


def test_a_code_the_provider_refuses_ends_on_an_error_page(client, wordpress, django_user_model):
    state = query_of(start_login(client, "wordpress_com"))["state"]

    response = client.get(CALLBACK, {"code": "made-up", "state": state})

    assert response.status_code == 401
    assert b"did not answer, or answered in a way we could not use" in response.content
    assert_nobody_signed_in(client, django_user_model)


def test_a_provider_that_is_down_ends_on_an_error_page(
    client, wordpress, settings, django_user_model
):
    callback = consent(start_login(client, "wordpress_com"))
    point_at(settings, f"http://127.0.0.1:{closed_port()}")

    started = time.monotonic()
    response = client.get(callback)

    assert time.monotonic() - started < 3
    assert response.status_code == 401
    assert b"It may be down for a moment" in response.content
    assert_nobody_signed_in(client, django_user_model)


def test_a_provider_that_hangs_is_given_up_on(client, wordpress, settings, django_user_model):
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    callback = consent(start_login(client, "wordpress_com"))
    wordpress.stall = 5

    started = time.monotonic()
    response = client.get(callback)

    assert time.monotonic() - started < 3
    assert response.status_code == 401
    assert_nobody_signed_in(client, django_user_model)


def test_starting_a_login_makes_no_call_to_the_provider(
    client, settings, db, monkeypatch, django_user_model
):
    loopback_only(monkeypatch)
    point_at(settings, f"http://127.0.0.1:{closed_port()}")

    # The redirect to the provider needs no network; only the browser's visit does.
    assert start_login(client, "wordpress_com").startswith("http://127.0.0.1:")
    assert_nobody_signed_in(client, django_user_model)


@pytest.mark.parametrize("verified", [True, False])
def test_an_email_owned_by_another_account_never_logs_into_it(
    client, wordpress, django_user_model, verified
):
    owner = django_user_model.objects.create_user("noor", "noor@example.net", "a long passphrase")
    EmailAddress.objects.create(
        user=owner, email="noor@example.net", verified=verified, primary=True
    )
    wordpress.profile["email_verified"] = True

    response = client.get(consent(start_login(client, "wordpress_com")))

    # allauth hides that the address is taken: it looks like a verification
    # mail went out, and the owner is told someone tried to sign up.
    assert response["Location"] == "/accounts/confirm-email/"
    assert_nobody_signed_in(client, django_user_model, users=1)
    assert not owner.socialaccount_set.exists()
    assert mail.outbox[-1].to == ["noor@example.net"]
    assert "already exists" in mail.outbox[-1].body


def test_an_off_site_next_is_not_followed(client, wordpress):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        client.post("/accounts/logout/")

        response = client.get(consent(start_login(client, "wordpress_com", next=target)))

        assert response["Location"] == "/"
        assert "_auth_user_id" in client.session


def test_an_openid_connect_issuer_that_is_down_ends_on_an_error_page(
    client, settings, django_user_model
):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Keyhole ID",
                    "client_id": "masthead-test-client",
                    "secret": "masthead-test-secret",
                    "settings": {"server_url": f"http://127.0.0.1:{closed_port()}/o"},
                }
            ]
        }
    }

    response = client.post("/accounts/oidc/oidc/login/")

    assert response.status_code == 401
    assert b"Keyhole ID did not answer" in response.content
    assert b"Try Keyhole ID again" in response.content
    assert_nobody_signed_in(client, django_user_model)
