"""The first editor gets in: a superuser made on the command line, and where logging in lands."""

import io
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from tests.identity import PASSWORD, link_in, log_in, verify

pytestmark = pytest.mark.django_db


def create_superuser(monkeypatch, username="ada", email="ada@example.org"):
    """As `masthead createsuperuser` makes one, with the password from the environment."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser", interactive=False, username=username, email=email, stdout=io.StringIO()
    )
    return get_user_model().objects.get(username=username)


def test_the_admin_sends_everyone_to_allauths_login_with_next(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/accounts/login/?next=%2Fadmin%2F", 302),
    ]


def test_a_superuser_made_on_the_command_line_logs_in_at_the_admin_at_once(client, monkeypatch):
    create_superuser(monkeypatch)

    response = log_in(client, "ada@example.org", next="/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert mail.outbox == []


def test_the_command_line_superusers_address_is_verified_and_primary(monkeypatch):
    user = create_superuser(monkeypatch)

    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("ada@example.org", True, True)


def test_an_address_another_account_proved_stays_theirs(monkeypatch, reader):
    verify(reader)

    user = create_superuser(monkeypatch, email=reader.email)

    assert not EmailAddress.objects.filter(user=user, verified=True).exists()


def test_staff_who_log_in_without_next_land_in_the_admin(client, editor):
    verify(editor)

    response = log_in(client, editor.email)

    assert response["Location"] == "/admin/"


def test_readers_who_log_in_without_next_land_on_the_front_page(client, reader):
    verify(reader)

    assert log_in(client, reader.email)["Location"] == "/"


def test_readers_signing_up_still_verify_their_address(client):
    client.post(
        "/accounts/signup/",
        {
            "display_name": "Nadia K.",
            "email": "nadia@example.org",
            "password1": "a lighthouse keeper's lamp",
            "password2": "a lighthouse keeper's lamp",
        },
    )

    assert not EmailAddress.objects.get(email="nadia@example.org").verified
    assert "_auth_user_id" not in client.session


def test_confirming_the_address_logs_staff_in_and_lands_in_the_admin(client, editor):
    # Staff made in the admin (not on the command line) prove their address once.
    response = log_in(client, editor.email, next="/admin/")
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    response = client.post(link_in(mail.outbox[-1]))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == editor.pk


def test_confirming_after_sign_up_logs_in_where_the_reader_was_going(client, make_post):
    article = make_post()
    going = f"{article.get_absolute_url()}#respond"
    password = "a lighthouse keeper's lamp"
    client.post(
        f"/accounts/signup/?{urlencode({'next': going})}",
        {
            "display_name": "Nadia K.",
            "email": "nadia@example.org",
            "password1": password,
            "password2": password,
            "next": going,
        },
    )

    response = client.post(link_in(mail.outbox[-1]))

    assert response.status_code == 302
    assert response["Location"] == going
    user = get_user_model().objects.get(email="nadia@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk
