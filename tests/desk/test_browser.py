"""The desk in a real Chromium against a live server: the keyboard clears the queue,
and the dashboard fits a phone."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from masthead.discussion.models import Comment, CommentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYS = "asd"  # approve, spam, trash in turn


@pytest.fixture
def signed_in(page, live_server, client, moderator, settings):
    """The moderator's session, made by the test client, handed to the browser."""
    settings.SITE_URL = live_server.url
    client.force_login(moderator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_a_moderator_clears_twenty_held_comments_with_the_keyboard(
    signed_in, live_server, held, tmp_path
):
    page = signed_in
    for n in range(20):
        held(f"Held comment number {n} about the night ferry.")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/desk/moderation/")
    page.screenshot(path=tmp_path / "desk-desktop.png", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=tmp_path / "desk-phone.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    started = time.monotonic()
    page.keyboard.press("j")
    assert page.locator(".desk-row.is-selected").count() == 1
    for n in range(20):
        page.keyboard.press(KEYS[n % 3])
    expect(page.locator(".desk-row.is-done")).to_have_count(20, timeout=60_000)
    elapsed = time.monotonic() - started
    print(f"\nkeyboard: 20 held comments cleared in {elapsed:.2f} s")
    page.screenshot(path=tmp_path / "desk-cleared.png")
    print(f"screenshots in {tmp_path}")

    assert not Comment.objects.filter(status=CommentStatus.PENDING).exists()
    counts = {s: Comment.objects.filter(status=s).count() for s in ("approved", "spam", "trash")}
    assert counts == {"approved": 7, "spam": 7, "trash": 6}
    assert page.inner_text('.desk-nav [data-count="pending"]') == "0"
    assert "Comment by Nils Berg" in page.inner_text("#desk-status")
    assert elapsed < 60


def test_question_mark_lists_the_keys_and_r_opens_the_reply_box(signed_in, live_server, held):
    page = signed_in
    comment = held()
    page.goto(f"{live_server.url}/desk/moderation/")
    page.keyboard.press("?")
    assert page.locator("#desk-keys").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("r")
    box = page.locator(f"#desk-reply-{comment.pk}")
    assert box.is_visible()
    # Typing in the box is text, never a shortcut.
    page.keyboard.type("Yes, daily from May.")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
    page.get_by_role("button", name="Approve and post reply").click()
    expect(page.locator("#desk-status")).to_contain_text(
        "Your reply to Nils Berg was published and their comment approved."
    )
    reply = Comment.objects.get(parent=comment)
    assert reply.body == "Yes, daily from May."
    assert reply.status == CommentStatus.APPROVED
    # The question is answered in public, so it is published too, and leaves the queue.
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    expect(page.locator(f"#desk-comment-{comment.pk}")).to_have_class(re.compile("is-done"))
    expect(page.locator('.desk-nav [data-count="pending"]')).to_have_text("0")
    assert page.url == f"{live_server.url}/desk/moderation/"


def test_the_dashboard_on_a_phone_and_a_desktop(
    page, live_server, client, editor, settings, held, make_post, tmp_path
):
    settings.SITE_URL = live_server.url
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    for n in range(7):
        held(f"Held comment number {n}: is the night ferry running again on Sundays?")
        held(f"Approved comment {n} about the harbour.", status=CommentStatus.APPROVED)
    for n in range(3):
        make_post(title=f"Draft story {n} on the bridge repairs", status="draft", published_at=None)
        make_post(
            title=f"Scheduled story {n}: the new timetable",
            published_at=timezone.now() + dt.timedelta(days=n + 1),
        )

    for name, width, height in [("phone", 390, 844), ("desktop", 1280, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/desk/")
        expect(page.locator(".dash-write")).to_be_visible()
        # Nothing runs off the side of a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=tmp_path / f"dashboard-{name}.png", full_page=True)
    print(f"\nscreenshots in {tmp_path}")
    assert page.inner_text('.desk-nav [data-count="pending"]') == "7"
