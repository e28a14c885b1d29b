"""Rate limits, session rotation, redirects that stay home, and no account enumeration."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.identity import PASSWORD, log_in, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(reader):
    return verify(reader)


def test_login_is_refused_after_five_failures_a_minute(client, rita):
    for _ in range(5):
        response = log_in(client, rita.email, "wrong horse")
        assert "Too many failed login attempts" not in response.content.decode()

    response = log_in(client, rita.email)

    assert response.status_code == 200
    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


def test_the_limit_is_per_address_so_others_can_still_log_in(client, rita, django_user_model):
    other = verify(django_user_model.objects.create_user("ole", "ole@example.org", PASSWORD))
    for _ in range(5):
        log_in(client, rita.email, "wrong horse")

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    log_in(elsewhere, other.email)

    assert int(elsewhere.session["_auth_user_id"]) == other.pk


def test_the_session_key_changes_on_login(client, rita):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key

    log_in(client, rita.email)

    assert client.session["_auth_user_id"]
    assert client.session.session_key != before


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_pointing_off_site_is_ignored(client, rita, target):
    response = log_in(client, rita.email, next=target)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "evil" not in client.get(f"/accounts/login/?next={target}").content.decode()


def test_next_on_this_site_is_followed(client, rita):
    response = log_in(client, rita.email, next="/accounts/profile/")

    assert response["Location"] == "/accounts/profile/"


def test_signing_up_with_a_taken_email_makes_no_account_and_logs_into_none(client, rita):
    users = get_user_model().objects.count()

    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Someone Else",
            "email": "Rita@example.org",
            "password1": "new pass 12345",
            "password2": "new pass 12345",
        },
    )

    # The same answer as a fresh sign-up, so the page tells nobody the address is known.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.count() == users
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["rita@example.org"]
    assert not get_user_model().objects.get(pk=rita.pk).check_password("new pass 12345")


def test_password_reset_for_an_unknown_email_reveals_nothing(client, rita):
    known = client.post("/accounts/password/reset/", {"email": rita.email})
    known_page = client.get(known["Location"]).content

    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert client.get(unknown["Location"]).content == known_page
    to_stranger = mail.outbox[-1]
    assert to_stranger.to == ["nobody@example.org"]
    assert "/accounts/password/reset/key/" not in to_stranger.body


def test_a_wrong_email_and_a_wrong_password_read_the_same(client, rita):
    wrong_password = log_in(client, rita.email, "wrong horse")
    wrong_email = log_in(client, "nobody@example.org", "wrong horse")

    assert wrong_password.context["form"].errors == wrong_email.context["form"].errors


def test_logging_out_takes_a_post(client, rita):
    client.force_login(rita)

    assert client.get("/accounts/logout/").status_code == 200
    assert "_auth_user_id" in client.session

    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_login_needs_the_csrf_token(rita):
    client = Client(enforce_csrf_checks=True)

    response = log_in(client, rita.email)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


ALIAS = {"HTTP_HOST": "alias.example.net"}


@pytest.fixture
def alias_host(settings):
    """A second name the site answers to; emails must still point at the canonical one."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "alias.example.net"]


def test_a_password_reset_asked_on_an_alias_host_links_to_the_site(client, rita, alias_host):
    client.post("/accounts/password/reset/", {"email": rita.email}, **ALIAS)

    body = mail.outbox[-1].body
    assert "http://testserver/accounts/password/reset/key/" in body
    assert "alias.example.net" not in body


def test_every_account_email_link_comes_from_the_site_url(client, alias_host):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long fresh passphrase",
            "password2": "a long fresh passphrase",
            "display_name": "Newcomer",
        },
        **ALIAS,
    )
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, **ALIAS)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "alias.example.net" not in message.body
        assert "http://testserver/accounts/" in message.body


UNSET_PROVIDERS = ["wordpress_com", "twitter_oauth2", "facebook", "openid_connect"]


@pytest.mark.parametrize("provider", UNSET_PROVIDERS)
def test_the_login_of_a_provider_the_site_did_not_set_up_is_not_found(client, provider):
    client.raise_request_exception = False
    assert client.get(f"/accounts/{provider}/login/").status_code == 404
