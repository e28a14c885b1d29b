"""The discussion with JavaScript off, in a real Chromium against a live server."""

import pytest

from masthead.discussion import subscriptions
from masthead.discussion.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_BODY = "\n\n".join(
    f"Paragraph {i}: the quay lamps were relit one by one along the harbour wall."
    for i in range(60)
)


@pytest.fixture
def page(chromium):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def long_article(live_server, make_post, settings):
    settings.SITE_URL = live_server.url
    post = make_post(title="Quay lights", body=LONG_BODY)
    return f"{live_server.url}{post.get_absolute_url()}"


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720


def test_the_page_with_errors_opens_at_the_form(page, long_article, tmp_path):
    page.goto(long_article)
    assert page.evaluate("document.documentElement.scrollHeight") > 3000
    page.click("#submit")
    page.wait_for_load_state()
    page.screenshot(path=tmp_path / "errors-without-js.png")
    error = page.locator(".field-error").first
    assert "Please give your name." in error.inner_text()
    assert _in_view(page, error)
    assert page.url.endswith("/comments/post/#respond")


def test_ticking_notify_me_ends_on_check_your_inbox(page, long_article, tmp_path):
    page.goto(long_article)
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    page.fill("#author", "Ines")
    page.fill("#email", "ines@example.org")
    page.fill("#comment", "Will they stay lit all winter?")
    page.check("input[name=subscribe_comments]")
    page.click("#submit")
    page.wait_for_load_state()
    page.screenshot(path=tmp_path / "subscribed-without-js.png")
    comment = Comment.objects.get()
    assert "subscribed=1" in page.url and page.url.endswith(f"#comment-{comment.pk}")
    notice = page.locator("#respond-status .notice")
    assert notice.inner_text() == subscriptions.CHECK_INBOX
    assert _in_view(page, page.locator(f"#comment-{comment.pk}"))
    assert _in_view(page, notice)
