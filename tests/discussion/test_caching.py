"""Likes renew their article's cached page at once, then at most once a minute."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from masthead.discussion import caching, services
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy
from masthead.lib import pagefiles


@pytest.fixture
def liked(make_post, django_capture_on_commit_callbacks):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(title="Ferry timetable")
        comment = Comment.objects.create(
            post=post, author_name="Nadia", author_email="nadia@example.org",
            body="Keep the late boat.", body_html="<p>Keep the late boat.</p>",
            status=CommentStatus.APPROVED,
        )  # fmt: skip
    return comment


def likes(wsgi, comment) -> int:
    page = wsgi(comment.post.get_absolute_url()).text
    return int(re.search(r'class="like-count">(\d+)<', page).group(1))


def like(comment, reader, commit):
    with commit(execute=True):
        services.like_comment(comment, reader)


def test_a_like_shows_at_once_and_the_next_ones_within_the_lag(
    wsgi, liked, django_capture_on_commit_callbacks, time_machine, settings
):
    commit = django_capture_on_commit_callbacks
    assert likes(wsgi, liked) == 0
    page = settings.MASTHEAD_PAGES_DIR / liked.post.get_absolute_url().lstrip("/") / "index.html"
    assert page.exists()
    like(liked, "reader-1", commit)
    assert not page.exists()
    assert likes(wsgi, liked) == 1
    like(liked, "reader-2", commit)
    # Inside the window the page is kept, and turns over when the window closes.
    assert likes(wsgi, liked) == 1
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=caching.LIKES_LAG + 1))
    assert likes(wsgi, liked) == 2
    like(liked, "reader-3", commit)
    assert likes(wsgi, liked) == 3


def test_a_page_nobody_likes_is_kept_past_the_lag(
    wsgi, liked, time_machine, settings, django_assert_num_queries
):
    pagefiles.clear()
    likes(wsgi, liked)
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=caching.LIKES_LAG * 10))
    with django_assert_num_queries(0):
        likes(wsgi, liked)
    assert pagefiles.sweep() == 0
    page = settings.MASTHEAD_PAGES_DIR / liked.post.get_absolute_url().lstrip("/") / "index.html"
    assert page.exists()


def test_a_comment_approved_on_a_page_renews_its_cached_copy_and_file(
    wsgi, make_page, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(title="Contact", slug="contact")
        held = Comment.objects.create(
            page=page, author_name="Nadia", author_email="nadia@example.org",
            body="Open on Sundays?", body_html="<p>Open on Sundays?</p>",
            status=CommentStatus.PENDING,
        )  # fmt: skip
    stored = settings.MASTHEAD_PAGES_DIR / "contact" / "index.html"
    assert "Open on Sundays?" not in wsgi("/contact/").text
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comment(held)

    assert not stored.exists()
    assert "Open on Sundays?" in wsgi("/contact/").text
    page.refresh_from_db()
    assert page.comment_count == 1
