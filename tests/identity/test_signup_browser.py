"""A reader signs up in a real Chromium, proves their address and comments under their name."""

import pytest

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "nadia.k@example.org"
NAME = "Nadia K."
PASSWORD = "a lighthouse keeper's lamp"
SAID = "Good to see the quay lit again."


@pytest.fixture
def article(live_server, settings, make_post):
    settings.SITE_URL = live_server.url
    post = make_post(title="Quay lights", body="The lamps are back.")
    return f"{live_server.url}{post.get_absolute_url()}"


def _sign_up_and_confirm(page, site, smtp):
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=display_name]", NAME)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    assert page.url == f"{site}/accounts/confirm-email/"

    (message,) = smtp.to(EMAIL)  # sent during the request: no worker involved
    (link,) = [url for url in smtp.links(message) if "/accounts/confirm-email/" in url]
    assert link.startswith(f"{site}/accounts/confirm-email/")
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()


def _comment(page, article):
    page.goto(article)
    identity = page.locator("#identity")
    assert identity.locator(".commenter-name").inner_text() == NAME
    assert "You are commenting using your account on " in identity.inner_text()
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    page.fill("#comment", SAID)
    page.click("#submit")
    mine = page.locator("li.comment", has_text=SAID)
    mine.wait_for()
    return mine


def _signed_as_member(comment):
    assert comment.locator(".comment-author").inner_text() == NAME
    badge = comment.locator(".badge")
    assert badge.get_attribute("data-provider") == "local"
    assert badge.text_content() == "Member"


def test_a_reader_signs_up_and_comments_under_their_display_name(
    page, live_server, smtp, article, tmp_path
):
    _sign_up_and_confirm(page, live_server.url, smtp)

    mine = _comment(page, article)

    _signed_as_member(mine)
    assert "awaiting moderation" in mine.inner_text()  # a new address's first comment waits
    held = Comment.objects.get()
    assert (held.author_name, held.provider, held.status) == (NAME, "local", "pending")

    services.approve_comment(held)
    page.goto(article)
    _signed_as_member(page.locator(f"#comment-{held.pk}"))
    assert "nadia.k" not in page.inner_text("#comments")
    shot = tmp_path / "member-comment.png"
    page.screenshot(path=shot, full_page=True)
    print(f"\nscreenshot {shot}")


def test_a_members_held_comment_is_still_there_when_they_come_back(
    page, live_server, smtp, article
):
    _sign_up_and_confirm(page, live_server.url, smtp)
    _comment(page, article)
    assert Comment.objects.get().status == CommentStatus.PENDING

    page.goto(article)

    page.locator("li.comment", has_text=SAID).wait_for(timeout=3000)
