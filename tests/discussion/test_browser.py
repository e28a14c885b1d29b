"""The discussion with JavaScript on, in a real Chromium against a live server."""

import pytest

from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_article(live_server, make_post, settings):
    settings.SITE_URL = live_server.url
    post = make_post(title="Quay lights", body="The lamps are back.")
    return post, f"{live_server.url}{post.get_absolute_url()}"


def _fill_guest(page, body):
    page.fill("#author", "Ines")
    page.fill("#email", "ines@example.org")
    page.fill("#comment", body)


def test_a_guest_posts_inline_and_sees_it_awaiting_moderation(page, open_article):
    _, url = open_article
    page.goto(url)
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    _fill_guest(page, "Lovely to see them lit again.")
    page.click("#submit")
    notice = page.locator(".comment-awaiting-moderation")
    notice.wait_for()
    assert page.url == url  # no reload, no redirect
    assert "Lovely to see them lit again." in page.inner_text("#comments")
    assert page.input_value("#comment") == ""
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_ticking_notify_me_says_to_check_the_inbox_without_a_reload(page, open_article):
    _, url = open_article
    page.goto(url)
    page.wait_for_timeout(3100)
    _fill_guest(page, "Will they stay lit all winter?")
    page.check("input[name=subscribe_blog]")
    page.click("#submit")
    notice = page.locator("#respond-status .notice", has_text="Check your inbox")
    notice.wait_for()
    assert page.url == url
    assert notice.inner_text().startswith("Check your inbox: we sent a link to confirm")
    assert page.locator("#respond-status").get_attribute("role") == "status"


def test_reply_moves_the_form_under_the_comment_and_posts_there(page, open_article):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    post, url = open_article
    first = Comment.objects.create(
        post=post, author_name="Tom", body="First!", body_html="<p>First!</p>", status="approved"
    )
    page.goto(url)
    page.click(f"#comment-{first.pk} .comment-reply-link")
    assert page.inner_text("#reply-title").startswith("Reply to Tom")
    assert page.locator(f"#comment-{first.pk} #respond").count() == 1
    assert page.input_value("#comment_parent") == str(first.pk)
    page.wait_for_timeout(3100)
    _fill_guest(page, "Replying inline.")
    page.click("#submit")
    page.locator(f"#comment-{first.pk} ol.children li.comment").wait_for()
    assert "Replying inline." in page.inner_text(f"#comment-{first.pk} ol.children")
    assert page.inner_text("#reply-title") == "Leave a Reply"
    assert Comment.objects.get(parent=first).status == CommentStatus.APPROVED


def test_cancel_reply_puts_the_form_back(page, open_article):
    post, url = open_article
    first = Comment.objects.create(
        post=post, author_name="Tom", body="Hi", body_html="<p>Hi</p>", status="approved"
    )
    page.goto(url)
    page.click(f"#comment-{first.pk} .comment-reply-link")
    page.click("#cancel-comment-reply-link")
    assert page.locator(f"#comment-{first.pk} #respond").count() == 0
    assert page.input_value("#comment_parent") == ""


def test_errors_show_inline_and_keep_the_text(page, open_article):
    _, url = open_article
    page.goto(url)
    page.fill("#comment", "Text I do not want to lose")
    page.click("#submit")
    page.locator(".field-error.js").first.wait_for()
    assert "Please give your name." in page.inner_text("#commentform")
    assert page.input_value("#comment") == "Text I do not want to lose"
    assert not Comment.objects.exists()


@pytest.fixture
def cached_site(make_post, settings):
    """The whole WSGI application, page cache in front, served from a thread."""
    import threading
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler

    from masthead.wsgi import application
    from tests.ports import free_port

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    port = free_port()
    settings.SITE_URL = f"http://127.0.0.1:{port}"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    server = make_server(
        "127.0.0.1", port, StaticFilesHandler(application), Server, handler_class=Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    post = make_post(title="Quay lights", body="The lamps are back.")
    yield post, f"{settings.SITE_URL}{post.get_absolute_url()}"
    server.shutdown()
    server.server_close()


def test_a_cached_page_gives_each_guest_only_their_own_parts(chromium, cached_site, tmp_path):
    _, url = cached_site
    ines = chromium.new_context().new_page()
    ines.goto(url)
    ines.wait_for_timeout(3100)
    _fill_guest(ines, "Will they stay on all winter?")
    ines.check("input[name=remember]")
    ines.click("#submit")
    ines.locator(".comment-awaiting-moderation").wait_for()
    held = Comment.objects.get()
    assert held.status == CommentStatus.PENDING

    # Both load the stored copy of the page; only Ines's browser fills in her parts.
    stranger = chromium.new_context().new_page()
    theirs = stranger.goto(url).headers
    hers = ines.goto(url).headers
    assert hers["etag"] == theirs["etag"] and "public" in hers["cache-control"]
    ines.locator(f"#comment-{held.pk} .comment-awaiting-moderation").wait_for()
    assert ines.input_value("#author") == "Ines"
    assert ines.input_value("#email") == "ines@example.org"
    ines.screenshot(path=tmp_path / "ines.png", full_page=True)
    stranger.locator("#commentform").click()  # starting on the form asks for a fresh token
    stranger.wait_for_timeout(500)
    assert stranger.locator(f"#comment-{held.pk}").count() == 0
    assert stranger.input_value("#author") == ""
    assert "ines@example.org" not in stranger.content()

    # Once approved, her comment offers her Edit and Delete, and nobody else.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    from masthead.discussion import services

    services.approve_comment(held)
    ines.goto(url)
    ines.locator(f"#comment-{held.pk} .comment-edit-link").wait_for()
    stranger.goto(url)
    stranger.wait_for_timeout(500)
    assert stranger.locator(".comment-edit-link").count() == 0
    assert "Will they stay on all winter?" in stranger.inner_text("#comments")


def test_a_guest_comments_inline_on_a_standing_page(page, live_server, make_page, settings):
    settings.SITE_URL = live_server.url
    contact = make_page(title="Contact the newsroom", slug="contact", body="Write to us.")
    url = f"{live_server.url}{contact.get_absolute_url()}"
    page.goto(url)
    page.wait_for_timeout(3100)  # the form is older than the too-fast rule
    _fill_guest(page, "Is the front desk open on Sundays?")
    page.click("#submit")
    page.locator(".comment-awaiting-moderation").wait_for()
    assert page.url == url  # no reload, no redirect
    assert "Is the front desk open on Sundays?" in page.inner_text("#comments")
    comment = Comment.objects.get()
    assert (comment.page_id, comment.status) == (contact.pk, CommentStatus.PENDING)
