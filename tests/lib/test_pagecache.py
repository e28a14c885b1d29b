"""Whole reader pages from the shared cache: stored once, renewed exactly when they change."""

import datetime as dt
import re

import pytest
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

import masthead.wsgi
from masthead.discussion import services
from masthead.discussion.forms import read_form_token
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings
from masthead.lib.client_ip import parse_trusted_proxies
from masthead.lib.pagecache import PageCache
from masthead.publishing import services as publishing
from masthead.publishing.models import Status


def comment(post, text="The night ferry matters.", status=CommentStatus.APPROVED, **fields):
    return Comment.objects.create(
        post=post,
        author_name=fields.pop("author_name", "Nadia"),
        author_email=fields.pop("author_email", "nadia@example.org"),
        body=text,
        body_html=f"<p>{text}</p>",
        status=status,
        **fields,
    )


def test_it_renders_a_page_once_and_then_serves_it_without_the_database(
    wsgi, article, django_assert_num_queries
):
    first = wsgi(article.get_absolute_url())
    assert first.status_code == 200 and "Ferry timetable" in first.text
    with django_assert_num_queries(0):
        again = wsgi(article.get_absolute_url())
    assert again.status_code == 200
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_it_answers_304_to_a_browser_that_has_the_page(wsgi, article):
    etag = wsgi(article.get_absolute_url()).headers["etag"]
    reply = wsgi(article.get_absolute_url(), if_none_match=etag)
    assert reply.status_code == 304 and reply.body == b""
    modified = wsgi(article.get_absolute_url()).headers["last-modified"]
    assert wsgi(article.get_absolute_url(), if_modified_since=modified).status_code == 304


def test_head_gets_the_headers_only(wsgi, article):
    wsgi(article.get_absolute_url())
    reply = wsgi(article.get_absolute_url(), method="HEAD")
    assert reply.status_code == 200 and reply.body == b""
    assert int(reply.headers["content-length"]) > 1000


def test_an_approved_comment_shows_at_once(wsgi, article, commit):
    held = comment(article, "Please keep the late boat.", status=CommentStatus.PENDING)
    wsgi("/")
    assert "Please keep the late boat." not in wsgi(article.get_absolute_url()).text
    with commit():
        services.approve_comment(held)
    assert "Please keep the late boat." in wsgi(article.get_absolute_url()).text
    assert "1 Reply" in wsgi(article.get_absolute_url()).text
    assert re.search(r"1\s+comment", wsgi("/").text)


def test_a_flood_of_held_comments_leaves_every_page_cached(
    wsgi, article, commit, django_assert_num_queries
):
    wsgi(article.get_absolute_url())
    wsgi("/")
    with commit():
        for i in range(5):
            comment(article, f"Spam number {i}", status=CommentStatus.PENDING)
    with django_assert_num_queries(0):
        wsgi(article.get_absolute_url())
        wsgi("/")


def test_an_edited_or_unpublished_post_renews_every_page(wsgi, article, make_post, commit):
    other = make_post(title="Bookshop changes hands")
    wsgi(other.get_absolute_url())
    wsgi("/")
    with commit():
        publishing.save_post(article, title="Ferry timetable, revised")
    assert "Ferry timetable, revised" in wsgi("/").text
    # The neighbour's "Next"/"Previous" link carries the new title too.
    assert "Ferry timetable, revised" in wsgi(other.get_absolute_url()).text
    with commit():
        article.status = Status.DRAFT
        article.save()
    assert wsgi(article.get_absolute_url()).status_code == 404
    assert "Ferry timetable" not in wsgi("/").text


def test_a_scheduled_post_appears_when_its_time_comes(wsgi, make_post, commit, time_machine):
    later = timezone.now() + dt.timedelta(hours=2)
    with commit():
        make_post(
            title="Lantern procession moves inland", status=Status.SCHEDULED, published_at=later
        )
    assert "Lantern procession" not in wsgi("/").text
    time_machine.move_to(later + dt.timedelta(minutes=1))
    assert "Lantern procession" in wsgi("/").text


def test_a_settings_change_reaches_the_cached_pages(wsgi, article, commit):
    assert 'id="commentform"' in wsgi(article.get_absolute_url()).text
    with commit():
        config = DiscussionSettings.current()
        config.close_after_days = 0
        config.save()
    # Zero days: no limit. One day, and the post is a day old: closed.
    with commit():
        config.close_after_days = 1
        config.save()
    assert "Comments are closed." in wsgi(article.get_absolute_url()).text


def test_every_reader_gets_a_form_token_of_their_own_visit(wsgi, article):
    tokens = []
    for _ in range(3):
        page = wsgi(article.get_absolute_url()).text
        tokens.append(re.search(r'name="form_token" value="([^"]+)"', page).group(1))
    assert len(set(tokens)) == 3
    # Stamped now, so the too-fast rule measures this reader.
    assert all(read_form_token(t, f"post:{article.pk}") < 5 for t in tokens)


def test_nothing_of_one_reader_reaches_another(wsgi, client, article):
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    data = form_data(article, author="Ingrid Secret", email="ingrid@example.org", remember="1")
    client.post("/comments/post/", data, **ORIGIN)
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    seen_by_ingrid = wsgi(article.get_absolute_url(), cookies=cookies)
    seen_by_stranger = wsgi(article.get_absolute_url())
    for page in (seen_by_ingrid, seen_by_stranger):
        assert "ingrid@example.org" not in page.text
        assert "/edit/" not in page.text
        assert "set-cookie" not in page.headers
    assert seen_by_ingrid.headers["etag"] == seen_by_stranger.headers["etag"]


def test_a_reader_with_a_session_gets_a_private_page(wsgi, client, article, reader):
    client.force_login(reader)
    session = f"sessionid={client.cookies['sessionid'].value}"
    page = wsgi(article.get_absolute_url(), cookies=session)
    assert "private" in page.headers["cache-control"]
    assert "You are commenting using your" in page.text
    assert "You are commenting using your" not in wsgi(article.get_absolute_url()).text


def test_search_and_queries_are_never_stored(wsgi, article, django_assert_max_num_queries):
    wsgi("/search/?q=ferry")
    wsgi(f"{article.get_absolute_url()}?replytocom=1")
    with django_assert_max_num_queries(50) as queries:
        wsgi("/search/?q=ferry")
    assert len(queries) > 0
    assert "private" in wsgi("/search/?q=ferry").headers.get("cache-control", "private")


def test_a_bot_posting_at_once_from_a_stored_page_is_held(wsgi, client, article, time_machine):
    """The token in every copy is stamped at that hit, so "too fast" still catches it."""
    time_machine.move_to(timezone.now())
    wsgi(article.get_absolute_url())
    time_machine.shift(dt.timedelta(minutes=50))  # the page is still stored
    page = wsgi(article.get_absolute_url()).text
    assert "contact_me_by_fax" in page  # the honeypot is in every copy too
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    client.post(
        "/comments/post/",
        {
            "comment": "Great post, visit my shop for cheap ferry tickets",
            "author": "Bot",
            "email": "bot@example.org",
            "comment_post_ID": article.pk,
            "form_token": token,
        },
        HTTP_ORIGIN="http://testserver",
    )
    held = Comment.objects.get()
    assert held.status == CommentStatus.PENDING
    assert "after the form loaded" in held.moderation_note


@pytest.fixture
def https_site(settings, monkeypatch):
    """What settings.py sets for an https MASTHEAD_SITE_URL, in a freshly started application."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True

    def start():
        # Middleware reads these settings once, when the application starts.
        monkeypatch.setattr(masthead.wsgi, "application", PageCache(get_wsgi_application()))

    start()
    return start


def test_on_an_https_site_a_stored_page_still_sends_plain_http_to_https(wsgi, article, https_site):
    url = article.get_absolute_url()
    assert wsgi(url, scheme="https").status_code == 200

    plain = wsgi(url)

    assert plain.status_code == 301
    assert plain.headers["location"] == f"https://testserver{url}"
    again = wsgi(url, scheme="https")
    assert again.status_code == 200 and "Ferry timetable" in again.text
    assert again.headers["strict-transport-security"] == "max-age=31536000"


def test_behind_a_proxy_only_its_word_gets_the_stored_https_page(
    wsgi, article, https_site, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1")
    https_site()
    url = article.get_absolute_url()
    assert wsgi(url, x_forwarded_proto="https").status_code == 200

    assert wsgi(url, x_forwarded_proto="https").headers["strict-transport-security"]
    assert wsgi(url, x_forwarded_proto="http").status_code == 301
    settings.MASTHEAD_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.2")
    https_site()
    assert wsgi(url, x_forwarded_proto="https").status_code == 301


@pytest.mark.parametrize(
    "accept",
    [
        "application/activity+json",
        'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    ],
)
def test_activitypub_requests_never_share_a_stored_page(accept):
    from masthead.lib.pagecache import shared

    assert shared({"REQUEST_METHOD": "GET", "HTTP_ACCEPT": "text/html"})
    assert not shared({"REQUEST_METHOD": "GET", "HTTP_ACCEPT": accept})
