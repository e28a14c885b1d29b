"""Tokens are made and revoked on the profile page; the secret is shown once."""

import datetime as dt
import re

from django.utils import timezone

from masthead.api.models import ApiToken
from tests.api.conftest import Api


def test_staff_see_their_tokens_on_the_profile_page(client, moderator):
    client.force_login(moderator)
    html = client.get("/accounts/profile/").content.decode()
    assert "API tokens" in html
    assert 'action="/accounts/api-tokens/"' in html


def test_a_reader_sees_no_tokens_and_may_not_make_one(client, reader):
    client.force_login(reader)
    assert "API tokens" not in client.get("/accounts/profile/").content.decode()
    assert client.post("/accounts/api-tokens/", {"name": "bot"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_new_tokens_secret_is_shown_once_and_works(client, moderator):
    client.force_login(moderator)
    reply = client.post("/accounts/api-tokens/", {"name": "Phone"})
    assert reply.status_code == 200
    assert reply["Cache-Control"].startswith("max-age=0")
    secret = re.search(r'value="(mh_[^"]+)"', reply.content.decode()).group(1)
    profile = client.get("/accounts/profile/").content.decode()
    assert "Phone" in profile
    assert secret not in profile
    client.logout()
    assert Api(client, secret).get("/moderation/comments").status_code == 200


def test_revoking_on_the_profile_page_shuts_the_token_out(client, moderator, api_as):
    api = api_as(moderator)
    token = moderator.api_tokens.get()
    client.force_login(moderator)
    reply = client.post(f"/accounts/api-tokens/{token.pk}/revoke/", follow=True)
    assert "is revoked" in reply.content.decode()
    assert api.get("/moderation/comments").status_code == 401


def test_nobody_revokes_another_persons_token(client, moderator, editor, api_as):
    api = api_as(moderator)
    token = moderator.api_tokens.get()
    client.force_login(editor)
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert api.get("/moderation/comments").status_code == 200


def test_tokens_need_a_logged_in_post(client, moderator):
    assert client.post("/accounts/api-tokens/", {"name": "x"}).status_code == 302
    client.force_login(moderator)
    assert client.get("/accounts/api-tokens/").status_code == 405


def test_a_token_made_on_the_profile_page_may_expire(client, moderator):
    client.force_login(moderator)
    day = timezone.localdate() + dt.timedelta(days=30)
    client.post("/accounts/api-tokens/", {"name": "Month", "expires_on": day.isoformat()})
    assert timezone.localtime(moderator.api_tokens.get().expires_at).date() == day
    assert day.strftime("%-d %b %Y") in client.get("/accounts/profile/").content.decode()


def test_a_bad_expiry_on_the_profile_page_is_explained(client, moderator):
    client.force_login(moderator)
    reply = client.post(
        "/accounts/api-tokens/", {"name": "Old", "expires_on": "2001-01-01"}, follow=True
    )
    assert "Choose a day after today." in reply.content.decode()
    assert not moderator.api_tokens.exists()
