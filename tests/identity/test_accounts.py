"""Sign-up, verification, log-in by password or emailed code, and password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.html_audit import problems_in
from tests.identity import PASSWORD, link_in, log_in, verify

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a lighthouse keeper's lamp"


def sign_up(client, email="nadia@example.org", password=NEW_PASSWORD, display_name="Nadia K."):
    return client.post(
        "/accounts/signup/",
        {
            "display_name": display_name,
            "email": email,
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/login/code/",
    ],
)
def test_entrance_pages_wear_the_site_theme(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert "masthead/css/accounts.css" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<title>" in html and "– Masthead</title>" in html


def test_it_signs_up_and_sends_a_verification_email(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    assert mail.outbox[-1].to == ["nadia@example.org"]
    assert "_auth_user_id" not in client.session


def test_it_keeps_an_unverified_account_out_until_the_link_is_followed(client):
    sign_up(client)
    confirm = link_in(mail.outbox[-1])

    log_in(client, "nadia@example.org", NEW_PASSWORD)
    assert "_auth_user_id" not in client.session

    assert client.get(confirm).status_code == 200
    client.post(confirm)
    assert EmailAddress.objects.get(email="nadia@example.org").verified
    response = log_in(client, "nadia@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_it_stores_passwords_hashed_with_argon2(client, settings):
    # The test settings swap in a fast hasher; put back what production uses.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    sign_up(client)

    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(NEW_PASSWORD)


def test_it_logs_in_with_email_and_password(client, reader):
    verify(reader)

    response = log_in(client, "rita@example.org")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reader.pk


def test_it_refuses_a_wrong_password_with_a_form_error(client, reader):
    verify(reader)

    response = log_in(client, "rita@example.org", "wrong horse")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_it_logs_in_with_an_emailed_code(client, reader):
    verify(reader)

    response = client.post("/accounts/login/code/", {"email": "rita@example.org"})
    assert response.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)

    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reader.pk


def test_a_wrong_code_does_not_log_in(client, reader):
    verify(reader)
    response = client.post("/accounts/login/code/", {"email": "rita@example.org"})

    response = client.post(response["Location"], {"code": "AAAAAA"})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_it_resets_a_forgotten_password(client, reader):
    verify(reader)

    response = client.post("/accounts/password/reset/", {"email": "rita@example.org"})
    assert response.status_code == 302
    response = client.get(link_in(mail.outbox[-1]))
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert not reader.check_password(PASSWORD)


def test_account_pages_carry_nothing_active_from_user_input(client, reader):
    verify(reader)
    response = log_in(client, "<script>alert(1)</script>@example.org", "x")

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert not [p for p in problems_in(html) if "alert" in p]


def test_the_passkey_button_has_its_form(client):
    html = client.get("/accounts/login/").content.decode()

    assert 'id="passkey_login"' in html
    assert '<form id="mfa_login"' in html


def test_account_pages_show_messages(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/profile/", {"display_name": "Rita", "website": ""}, follow=True
    )

    assert "Your profile is saved." in response.content.decode()


def test_account_emails_speak_as_the_publication(client, settings, mailoutbox):
    settings.SITE_NAME = "The Marrowick Ledger"
    client.post(
        "/accounts/signup/",
        {
            "display_name": "Newcomer",
            "email": "new@example.org",
            "password1": "a long new secret",
            "password2": "a long new secret",
        },
    )
    assert "The Marrowick Ledger" in mailoutbox[-1].subject + mailoutbox[-1].body
    assert "testserver" not in mailoutbox[-1].subject


def test_sign_up_asks_for_a_display_name_first(client):
    html = client.get("/accounts/signup/").content.decode()

    assert html.index('name="display_name"') < html.index('name="email"')
    assert re.search(r'<input type="text" name="display_name"[^>]* required', html)
    assert "Shown with your comments. Your email address never is." in html


def test_sign_up_without_a_display_name_makes_no_account(client):
    response = sign_up(client, display_name="  ")

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", ["Mara Lindqvist", "rita", "Reader 7"])
def test_sign_up_refuses_a_name_someone_already_goes_by(client, byline, reader, name):
    response = sign_up(client, display_name=name)

    assert response.status_code == 200
    assert "already goes by this name" in response.content.decode()
    assert not get_user_model().objects.filter(email="nadia@example.org").exists()


def test_the_new_accounts_comments_are_signed_with_its_display_name(client, make_post):
    from masthead.discussion.models import Comment
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    article = make_post()
    sign_up(client, email="lena.berg@example.org", display_name="Harbour Owl")
    client.post(link_in(mail.outbox[-1]))  # confirming logs in

    client.post("/comments/post/", form_data(article, author="", email=""), **ORIGIN)

    assert Comment.objects.get().author_name == "Harbour Owl"
    user = get_user_model().objects.get(email="lena.berg@example.org")
    assert user.profile.display_name == "Harbour Owl"
    assert not user.username.startswith("lena")
    for page in (article.get_absolute_url(), "/accounts/profile/"):
        html = client.get(page).content.decode()
        assert "Harbour Owl" in html
        assert "lena.berg" not in html.replace("lena.berg@example.org", "")


def test_a_new_account_with_no_name_is_never_called_by_its_email(client, make_post):
    from masthead.identity.services import display_name_for, update_profile

    sign_up(client, email="lena.berg@example.org", display_name="Harbour Owl")
    user = get_user_model().objects.get(email="lena.berg@example.org")
    update_profile(user, display_name="", website="")  # cleared later, on the profile page

    assert display_name_for(user) == f"Reader {user.pk}"
