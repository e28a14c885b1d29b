"""The desk's Fediverse page in a real Chromium: a moderator blocks a domain and lifts it."""

import pytest
from playwright.sync_api import expect

from masthead.federation.models import Block

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_blocks_a_domain_and_lifts_the_block(
    page, live_server, client, moderator, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    client.force_login(moderator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/desk/fediverse/")
    expect(page.get_by_text("Nothing is blocked.")).to_be_visible()
    # The menu shows the moderation queue's count here too, as on the rest of the desk.
    expect(page.locator('.desk-nav [data-count="pending"]')).to_have_text("0")

    page.get_by_label("Domain or account address").fill("spam.example")
    page.get_by_label("Reason (for staff)").fill("Floods the inbox")
    page.get_by_role("button", name="Block", exact=True).click()
    expect(page.locator(".desk-blocks li")).to_contain_text("Floods the inbox")
    page.screenshot(path=tmp_path / "desk-fediverse-blocked.png", full_page=True)
    assert Block.objects.count() == 1

    page.get_by_role("button", name="Unblock").click()
    expect(page.get_by_text("Nothing is blocked.")).to_be_visible()
    assert not Block.objects.exists()
    print(f"screenshots in {tmp_path}")
