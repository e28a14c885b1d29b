"""Roles, and the second factor the admin demands of staff when the site says so."""

import datetime as dt
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.messages import get_messages
from django.utils import timezone

from masthead.identity import services
from masthead.identity.middleware import ENROL_MESSAGE
from tests.identity import PASSWORD, log_in, verify, with_staff_2fa

pytestmark = pytest.mark.django_db


def totp_code(secret: str, at: float | None = None) -> str:
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


def reauthenticate(client):
    """allauth asks for the password again before a second factor is added."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def enrol_totp(client) -> str:
    response = client.get("/accounts/2fa/totp/activate/")
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/reauthenticate/")
        reauthenticate(client)
        response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_roles_follow_groups_and_superuser(admin_user, editor, author_user, moderator, reader):
    assert services.role_of(admin_user) == "administrator"
    assert services.role_of(editor) == "editor"
    assert services.role_of(author_user) == "author"
    assert services.role_of(moderator) == "moderator"
    assert services.role_of(reader) == "reader"


def test_a_moderator_may_touch_comments_and_nothing_else(moderator):
    assert moderator.has_perm("discussion.change_comment")
    assert not moderator.has_perm("publishing.change_post")


def test_staff_without_2fa_use_the_admin_when_the_site_does_not_require_it(
    client, editor, settings
):
    settings.MASTHEAD_STAFF_REQUIRE_2FA = False
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_the_admin_refuses_staff_without_2fa_when_required(client, settings, persona, request):
    with_staff_2fa(settings)
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/publishing/post/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [ENROL_MESSAGE]


@pytest.mark.parametrize("page", ["preview", "/desk/", "/admin/"])
def test_every_staff_only_page_refuses_staff_without_2fa(client, settings, editor, make_post, page):
    with_staff_2fa(settings)
    draft = make_post(title="Embargoed", status="draft", published_at=None)
    client.force_login(editor)
    path = f"/preview/post/{draft.pk}/" if page == "preview" else page

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_the_enrolment_pages_stay_open_to_staff_without_2fa(client, settings, editor):
    with_staff_2fa(settings)
    client.force_login(editor)

    response = client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_readers_are_not_sent_to_enrol(client, settings, reader):
    with_staff_2fa(settings)
    client.force_login(reader)

    response = client.get("/admin/")

    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(response["Location"]).status_code == 403


def test_staff_enrol_totp_and_then_the_admin_lets_them_in(client, settings, editor):
    with_staff_2fa(settings)
    verify(editor)
    log_in(client, editor.email)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"

    enrol_totp(client)

    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_after_enrolment_a_password_alone_no_longer_logs_in(client, editor):
    verify(editor)
    log_in(client, editor.email)
    secret = enrol_totp(client)
    client.logout()

    response = log_in(client, editor.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    # A code is good once: the next one comes from the next time step.
    with time_machine.travel(time.time() + 30):
        response = client.post(
            "/accounts/2fa/authenticate/", {"code": totp_code(secret, time.time())}
        )
        assert response.status_code == 302
        assert int(client.session["_auth_user_id"]) == editor.pk


def test_a_security_key_counts_as_a_second_factor(client, settings, editor):
    with_staff_2fa(settings)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


def test_recovery_codes_alone_do_not_count(editor, settings):
    settings.MASTHEAD_STAFF_REQUIRE_2FA = True
    Authenticator.objects.create(user=editor, type=Authenticator.Type.RECOVERY_CODES, data={})

    assert services.must_enrol_second_factor(editor)


def test_staff_can_open_the_security_key_page(client, editor):
    verify(editor)
    log_in(client, editor.email)
    reauthenticate(client)

    response = client.get("/accounts/2fa/webauthn/add/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="js_data"' in html
    assert "mfa/js/webauthn.js" in html


def test_the_list_of_security_keys_opens_and_says_when_each_was_last_used(client, reader):
    verify(reader)
    Authenticator.objects.create(
        user=reader,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Desk key", "credential": {}},
        last_used_at=timezone.now() - dt.timedelta(hours=3),
    )
    client.force_login(reader)

    response = client.get("/accounts/2fa/webauthn/")

    assert response.status_code == 200
    assert "Last used 3\xa0hours ago" in response.content.decode()


def test_the_admin_login_form_sends_everyone_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
