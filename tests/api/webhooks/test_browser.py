"""An editor registers a webhook in a real Chromium, with the keyboard where a person
would, copies its secret, and sees the receiver's answer to a test ping."""

import pytest
from playwright.sync_api import expect

from masthead.api.webhooks.models import Webhook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page, live_server, client, editor, settings):
    settings.SITE_URL = live_server.url
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return page


def test_an_editor_adds_a_webhook_copies_its_secret_and_pings_it(
    signed_in, live_server, receiver, run_worker, settings, tmp_path
):
    page = signed_in
    page.goto(f"{live_server.url}/desk/")
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Webhooks").click()
    page.get_by_role("link", name="Add a webhook").click()

    # First with loopback not allowed: refused, with what was typed still there.
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False
    page.get_by_label("Payload URL").fill(receiver.url)
    page.get_by_label("Description").fill("Newsroom bot")
    page.get_by_label("Comment approved").check()
    page.get_by_label("Post published").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#url-error")).to_contain_text("a loopback or private address")
    expect(page.get_by_label("Payload URL")).to_have_value(receiver.url)
    expect(page.get_by_label("Payload URL")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Description")).to_have_value("Newsroom bot")
    expect(page.get_by_label("Comment approved")).to_be_checked()
    expect(page.get_by_label("Post published")).to_be_checked()
    page.screenshot(path=tmp_path / "webhook-refused.png", full_page=True)
    assert not Webhook.objects.exists()

    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True
    page.get_by_label("Payload URL").press("Enter")
    expect(page.locator("#desk-status")).to_contain_text("it is shown only once")
    hook = Webhook.objects.get()
    assert hook.events == ["post.published", "comment.approved"]
    expect(page.get_by_role("textbox", name="Secret")).to_have_value(hook.secret)
    page.get_by_role("button", name="Copy secret").click()
    expect(page.locator("#desk-status")).to_contain_text("Secret copied.")
    assert page.evaluate("navigator.clipboard.readText()") == hook.secret
    page.screenshot(path=tmp_path / "webhook-created.png", full_page=True)

    receiver.secret = hook.secret
    page.get_by_role("button", name="Send a test ping").click()
    expect(page.locator("#desk-status")).to_contain_text("Test ping queued")
    run_worker()
    page.reload()
    expect(page.locator(".hook-delivery").first).to_contain_text("Delivered · HTTP 204")
    assert receiver.events() == ["ping"]
    # Shown once: the secret is gone from the page now.
    assert hook.secret not in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=tmp_path / "webhook-phone.png", full_page=True)
    print(f"\nscreenshots in {tmp_path}")
