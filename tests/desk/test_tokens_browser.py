"""API tokens on the desk in a real Chromium: a moderator makes one, sees it once, and
the list afterwards names it without the secret."""

import re

import pytest
from playwright.sync_api import expect

from masthead.api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_makes_a_token_and_sees_it_once(
    page, live_server, client, moderator, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    client.force_login(moderator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/desk/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("You have no tokens yet.")).to_be_visible()

    page.get_by_label("What is the new token for?").fill("Moderation bot")
    page.get_by_role("button", name="Make a token").click()
    secret = page.get_by_label("Token")
    expect(secret).to_have_value(re.compile(rf"^mh_{ApiToken.objects.get().prefix}_\S{{40,}}$"))
    expect(page.get_by_text("this is the only time it is shown")).to_be_visible()
    page.screenshot(path=tmp_path / "desk-token-made.png", full_page=True)
    shown = secret.input_value()

    page.get_by_role("link", name="Back to API tokens").click()
    expect(page.locator("tr[data-token]")).to_contain_text("Moderation bot")
    assert shown not in page.content()
    page.screenshot(path=tmp_path / "desk-tokens-list.png", full_page=True)
    print(f"screenshots in {tmp_path}")
