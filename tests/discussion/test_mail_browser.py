"""From an emailed link to the result, in a real Chromium: its Origin is what CSRF checks."""

import pytest

from masthead.discussion import privacy
from masthead.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    Policy,
    Subscription,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    """Emailed links point at the live server."""
    settings.SITE_URL = live_server.url
    return live_server.url


def _emailed_link(smtp, to, part, *, about=""):
    """The one link to ``part`` in the mail to ``to`` whose text mentions ``about``."""
    (message,) = [m for m in smtp.to(to) if about in m.get_body(("plain",)).get_content()]
    (link,) = [url for url in smtp.links(message) if part in url]
    return link


def _press(page, button):
    """Press a form's button; the page its POST leads to must be a success."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button).click()
    assert navigation.value.status == 200, page.inner_text("body")


def test_a_guest_confirms_follow_ups_from_the_emailed_link(page, site, smtp, run_worker, make_post):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    post = make_post(title="Quay lights", body="The lamps are back.")
    page.goto(f"{site}{post.get_absolute_url()}")
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    page.fill("#author", "Ines")
    page.fill("#email", "ines@example.org")
    page.fill("#comment", "Will they stay on all winter?")
    page.check("input[name=subscribe_comments]")
    page.click("#submit")
    page.locator("li.comment", has_text="Will they stay on all winter?").wait_for()
    run_worker()

    link = _emailed_link(smtp, "ines@example.org", "/email/confirm/")
    assert link.startswith(f"{site}/email/confirm/")
    assert page.goto(link).status == 200
    assert not Subscription.objects.get().confirmed  # opening the link changes nothing

    _press(page, "Yes, subscribe me")
    assert page.url == link  # back on the page, now saying it is done
    assert "You’re subscribed" in page.inner_text("h1")
    assert Subscription.objects.get(email="ines@example.org", post=post).confirmed


@pytest.fixture
def held(make_comment, run_worker):
    """Two held comments, each announced to the desk over SMTP by the worker: the
    second comes after the first one's notice went out, so it gets its own."""
    config = DiscussionSettings.current()
    config.moderator_emails = "desk@example.org"
    config.save()
    good = make_comment(name="Ines", approve=False)
    run_worker()
    bad = make_comment(post=good.post, name="Cheap Pills", approve=False)
    return good, bad


def test_a_moderator_approves_and_marks_spam_from_the_emailed_links(
    page, site, smtp, run_worker, held
):
    good, bad = held
    run_worker()

    for comment, action, button, status in (
        (good, "approve", "Approve", CommentStatus.APPROVED),
        (bad, "spam", "Mark as spam", CommentStatus.SPAM),
    ):
        link = _emailed_link(smtp, "desk@example.org", f"?action={action}", about=comment.body)
        assert link.startswith(f"{site}/email/moderate/")
        assert page.goto(link).status == 200
        comment.refresh_from_db()
        assert comment.status == CommentStatus.PENDING  # a link scanner's GET does nothing

        _press(page, button)
        assert page.url == link.partition("?")[0]
        assert f"is {status.label.lower()}" in page.inner_text("[role=status]")
        comment.refresh_from_db()
        assert comment.status == status


def test_a_moderator_acts_on_each_comment_of_a_digest_from_its_links(
    page, site, smtp, run_worker, make_comment, tmp_path
):
    config = DiscussionSettings.current()
    config.moderator_emails = "desk@example.org"
    config.save()
    good = make_comment(name="Ines", approve=False)
    bad = make_comment(post=good.post, name="Cheap Pills", approve=False)
    run_worker()  # both wait when the notice runs: one email carries them

    (digest,) = smtp.to("desk@example.org")
    assert digest["Subject"].startswith("2 comments awaiting moderation")
    html = digest.get_body(("html",)).get_content()
    page.set_content(html)
    page.screenshot(path=tmp_path / "digest.png", full_page=True)
    assert page.get_by_role("link", name="Approve").count() == 2

    approve = [u for u in smtp.links(digest) if u.endswith("?action=approve")]
    spam = [u for u in smtp.links(digest) if u.endswith("?action=spam")]
    for comment, link, button, status in (
        (good, approve[0], "Approve", CommentStatus.APPROVED),
        (bad, spam[1], "Mark as spam", CommentStatus.SPAM),
    ):
        assert page.goto(link).status == 200
        assert comment.body in page.inner_text("body")
        _press(page, button)
        comment.refresh_from_db()
        assert comment.status == status


def test_a_reader_deletes_their_comments_from_the_emailed_link(
    page, site, smtp, run_worker, make_comment
):
    make_comment(email="ines@example.org")
    assert privacy.request_privacy_link("ines@example.org")
    run_worker()

    link = _emailed_link(smtp, "ines@example.org", "/email/privacy/")
    assert link.startswith(f"{site}/email/privacy/")
    assert page.goto(link).status == 200
    assert Comment.objects.filter(author_email="ines@example.org").exists()

    _press(page, "Delete my comments")
    assert page.url.startswith(f"{link}?erased=")
    assert "Done: 1 comment deleted" in page.inner_text("[role=status]")
    assert not Comment.objects.filter(author_email="ines@example.org").exists()
