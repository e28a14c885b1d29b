"""Replying with the keyboard alone, in a real Chromium: no clicks, only Tab, Enter and typing."""

import pytest

from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def thread(live_server, make_post, settings):
    settings.SITE_URL = live_server.url
    post = make_post(title="Quay lights", body="The lamps are back.")
    tom = Comment.objects.create(
        post=post, author_name="Tom", body="First!", body_html="<p>First!</p>", status="approved"
    )
    return tom, f"{live_server.url}{post.get_absolute_url()}"


def focused(page) -> str:
    """The focused element as a short selector: its id, or its tag and class."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return "body";
            return el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className;
        }"""
    )


def tab_to(page, selector, limit=60):
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never took the focus; it ended on {focused(page)}")


def test_a_guest_replies_with_the_keyboard_alone(page, thread, tmp_path):
    tom, url = thread
    page.goto(url)
    reply = f"#comment-{tom.pk} .comment-reply-link"

    # Reply starts where the form does: the empty name, not the comment box below it.
    tab_to(page, reply)
    page.keyboard.press("Enter")
    assert page.inner_text("#reply-title").startswith("Reply to Tom")
    assert focused(page) == "#author"

    # Cancel, just before the form, hands the focus back to the Reply that opened it.
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "#cancel-comment-reply-link"
    page.keyboard.press("Enter")
    assert page.locator(f"#comment-{tom.pk} #respond").count() == 0
    assert page.evaluate("s => document.activeElement.matches(s)", reply)

    page.keyboard.press("Enter")
    assert focused(page) == "#author"
    page.keyboard.type("Ines")
    page.keyboard.press("Tab")
    assert focused(page) == "#email"  # left empty, to be told
    tab_to(page, "#comment")
    page.keyboard.type("Will they stay lit all winter?")
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    tab_to(page, "#submit")
    page.keyboard.press("Enter")

    # The error is said with the field it belongs to, and the focus goes there.
    page.locator("#email-error").wait_for()
    assert focused(page) == "#email"
    assert page.get_attribute("#email", "aria-invalid") == "true"
    assert "email-error" in page.get_attribute("#email", "aria-describedby").split()
    assert "email" in page.inner_text("#email-error").lower()
    page.screenshot(path=tmp_path / "keyboard-error.png")

    page.keyboard.type("ines@example.org")
    tab_to(page, "#submit")
    page.keyboard.press("Enter")

    # Posted: the new comment takes the focus and the status region says what became of it.
    posted = page.locator(f"#comment-{tom.pk} ol.children li.comment")
    posted.wait_for()
    comment = Comment.objects.get(parent=tom)
    assert comment.status == CommentStatus.PENDING
    assert focused(page) == f"#comment-{comment.pk}"
    status = page.locator("#respond-status")
    assert status.get_attribute("role") == "status"
    assert "awaiting moderation" in status.inner_text()
    assert page.locator("#email-error").count() == 0
    page.screenshot(path=tmp_path / "keyboard-posted.png", full_page=True)


def test_a_signed_in_reader_starts_in_the_comment_box_and_hears_it_posted(
    page, thread, reader, client, live_server, settings
):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    client.force_login(reader)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    tom, url = thread
    page.goto(url)
    page.locator("#identity .logged-in-as").wait_for()

    tab_to(page, f"#comment-{tom.pk} .comment-reply-link")
    page.keyboard.press("Enter")
    assert focused(page) == "#comment"  # nothing above it to fill in
    page.keyboard.type("They were lit by six.")
    page.wait_for_timeout(3100)
    tab_to(page, "#submit")
    page.keyboard.press("Enter")

    page.locator(f"#comment-{tom.pk} ol.children li.comment").wait_for()
    comment = Comment.objects.get(parent=tom)
    assert comment.status == CommentStatus.APPROVED
    assert focused(page) == f"#comment-{comment.pk}"
    assert page.inner_text("#respond-status").strip() == "Your comment is posted."
