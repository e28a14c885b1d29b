"""API tokens on the desk: staff make their own and see the secret once; editors and
superusers see everyone's and revoke any, at once; nobody else revokes another's."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.api import tokens
from masthead.api.models import ApiToken
from tests.api.conftest import Api

PAGE = "/desk/tokens/"


def made_secret(reply) -> str:
    return re.search(r'value="(mh_[^"]+)"', reply.content.decode()).group(1)


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def test_a_moderator_makes_a_token_an_editor_revokes_it_and_it_stops_at_once(
    client, moderator, editor
):
    client.force_login(moderator)
    reply = client.post(PAGE, {"name": "Moderation bot"})
    assert reply.status_code == 200
    assert reply["Cache-Control"].startswith("max-age=0")
    secret = made_secret(reply)
    listing = client.get(PAGE).content.decode()
    assert "Moderation bot" in listing and secret not in listing
    client.logout()
    api = Api(client, secret)
    assert api.get("/moderation/comments").status_code == 200
    token = ApiToken.objects.get()
    client.force_login(editor)
    listing = client.get(PAGE).content.decode()
    assert "Everyone else's tokens" in listing
    assert f'data-token="{token.prefix}"' in listing
    reply = client.post(f"{PAGE}{token.pk}/revoke/", follow=True)
    assert "is revoked; it opens nothing now" in reply.content.decode()
    client.logout()
    refused = api.get("/moderation/comments")
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["detail"] == "This API token has been revoked."


def test_a_moderator_cannot_see_or_revoke_another_persons_token(as_user, moderator, editor):
    token, _ = tokens.issue_token(editor, "Publishing script")
    client = as_user(moderator)
    listing = client.get(PAGE).content.decode()
    assert "Publishing script" not in listing
    assert "Everyone else" not in listing
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_revoke_their_own(as_user, author_user):
    token, _ = tokens.issue_token(author_user, "Drafts from my phone")
    as_user(author_user).post(f"{PAGE}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_superuser_sees_everyones_tokens_with_when_each_was_last_used(
    as_user, admin_user, moderator, client
):
    _, secret = tokens.issue_token(moderator, "Queue watcher")
    Api(client, secret).get("/moderation/comments")
    used = ApiToken.objects.get().last_used_at
    listing = as_user(admin_user).get(PAGE).content.decode()
    assert "Queue watcher" in listing and "molly" in listing
    assert f'datetime="{timezone.localtime(used).isoformat()}"' in listing


def test_a_token_may_expire(as_user, moderator, client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    reply = as_user(moderator).post(PAGE, {"name": "Short", "expires_on": tomorrow.isoformat()})
    assert "It stops working on" in reply.content.decode()
    secret = made_secret(reply)
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == tomorrow
    client.logout()
    assert Api(client, secret).get("/moderation/comments").status_code == 200
    with time_machine.travel(token.expires_at + dt.timedelta(seconds=1)):
        refused = Api(client, secret).get("/moderation/comments")
    assert refused.status_code == 401
    assert refused.json()["detail"] == f"This API token expired on {tomorrow:%Y-%m-%d}."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2020-01-01", "Choose a day after today."),
        ("tomorrow", "Give the date as YYYY-MM-DD."),
        ("2999-01-01", "Choose a day within five years, or none."),
    ],
)
def test_a_bad_expiry_is_explained(as_user, moderator, typed, message):
    reply = as_user(moderator).post(PAGE, {"name": "x", "expires_on": typed})
    assert message in reply.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(as_user, moderator):
    reply = as_user(moderator).post(PAGE, {"name": " "})
    assert "Say what the token is for" in reply.content.decode()
    assert not ApiToken.objects.exists()


def test_readers_get_403_and_visitors_the_login_page(client, reader):
    assert client.get(PAGE).status_code == 302
    client.force_login(reader)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_needs_a_post(as_user, moderator):
    token, _ = tokens.issue_token(moderator, "x")
    assert as_user(moderator).get(f"{PAGE}{token.pk}/revoke/").status_code == 405


def test_the_list_costs_the_same_queries_for_3_tokens_as_for_23(
    as_user, editor, moderator, django_assert_num_queries
):
    client = as_user(editor)
    for n in range(3):
        tokens.issue_token(moderator, f"t{n}")
    client.get(PAGE)
    with CaptureQueriesContext(connection) as three:
        client.get(PAGE)
    for n in range(20):
        tokens.issue_token(moderator, f"u{n}")
    with django_assert_num_queries(len(three)):
        client.get(PAGE)
