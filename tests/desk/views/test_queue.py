"""The moderation queue page: what a row shows, the filters, counts and pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.discussion.models import CommentStatus

QUEUE = "/desk/moderation/"


def rows(response):
    return [c.pk for c in response.context["rows"]]


def test_it_lists_held_comments_newest_first(desk, held):
    older, newer = held("Older."), held("Newer.")
    newer.created_at, older.created_at = older.created_at, newer.created_at
    newer.save(update_fields=["created_at"])
    older.save(update_fields=["created_at"])
    held("Approved already.", status=CommentStatus.APPROVED)
    response = desk.get(QUEUE)
    assert rows(response) == [newer.pk, older.pk]


def test_a_row_shows_what_the_moderator_decides_on(desk, held, post):
    comment = held(
        "Read **this** <script>alert(1)</script>",
        author_url="https://nils.example.org",
        moderation_note="blocked word: ferry",
        spam_score=0.875,
    )
    html = desk.get(QUEUE).content.decode()
    assert "<strong>this</strong>" in html
    assert "<script>alert" not in html
    for shown in [
        "Nils Berg",
        "nils@example.org",
        "https://nils.example.org",
        "203.0.113.7",
        "blocked word: ferry",
        "Spam score 0.88",
        f'href="{comment.get_absolute_url()}"',
        post.title,
    ]:
        assert shown in html


def test_the_navigation_counts_what_awaits_and_links_the_admin(desk, held):
    held(), held(), held(status=CommentStatus.SPAM)
    html = desk.get(QUEUE).content.decode()
    assert 'data-count="pending">2<' in html
    assert 'data-tab-count="spam">1<' in html
    assert 'href="/admin/"' in html
    assert 'href="/desk/fediverse/"' in html


@pytest.mark.parametrize("status", ["approved", "spam", "trash"])
def test_it_filters_by_status(desk, held, status):
    wanted = held(status=status)
    held()
    assert rows(desk.get(QUEUE, {"status": status})) == [wanted.pk]


def test_it_filters_by_post(desk, held, make_post):
    other = make_post(title="Bridge repairs")
    wanted = held(post=other)
    held()
    response = desk.get(QUEUE, {"post": other.pk})
    assert rows(response) == [wanted.pk]
    assert "Comments on" in response.content.decode()


def test_the_tabs_count_the_chosen_posts_comments_and_the_navigation_the_sites(
    desk, held, make_post
):
    other = make_post(title="Bridge repairs")
    held(post=other), held(post=other, status=CommentStatus.SPAM)
    held(), held(), held(status=CommentStatus.SPAM), held(status=CommentStatus.TRASH)
    html = desk.get(QUEUE, {"post": other.pk}).content.decode()
    assert 'data-tab-count="pending">1<' in html
    assert 'data-tab-count="spam">1<' in html
    assert 'data-tab-count="trash">0<' in html
    assert 'data-count="pending">3<' in html  # the navigation: everything awaiting
    html = desk.get(QUEUE).content.decode()
    assert 'data-tab-count="pending">3<' in html and 'data-tab-count="spam">2<' in html


def test_an_action_on_a_filtered_queue_answers_with_both_counts(desk, held, make_post):
    other = make_post(title="Bridge repairs")
    comment = held(post=other)
    held(), held()
    result = desk.post(
        f"{QUEUE}{comment.pk}/",
        {"verb": "approve", "post": other.pk},
        HTTP_ACCEPT="application/json",
    ).json()
    assert result["tab_counts"]["pending"] == 0 and result["tab_counts"]["approved"] == 1
    assert result["counts"]["pending"] == 2


def test_junk_filters_fall_back_to_the_pending_queue(desk, held):
    comment = held()
    assert rows(desk.get(QUEUE, {"status": "nope", "post": "x", "page": "-3"})) == [comment.pk]


def test_it_pages_through_a_long_queue(desk, held):
    for _ in range(30):
        held()
    first, second = desk.get(QUEUE), desk.get(QUEUE, {"page": 2})
    assert len(rows(first)) == 25
    assert len(rows(second)) == 5
    assert 'href="/desk/moderation/?page=2"' in first.content.decode()


def test_spam_offers_to_empty_it(desk, held):
    held(status=CommentStatus.SPAM)
    assert "Empty spam (1)" in desk.get(QUEUE, {"status": "spam"}).content.decode()


def test_the_page_is_built_for_the_site_policy_and_a_phone(desk, held):
    held()
    response = desk.get(QUEUE)
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "/static/masthead/css/desk.css" in html
    assert "/static/masthead/js/desk.js" in html
    assert "<script>" not in html and "style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_queue_asks_as_much_for_23_comments_as_for_3(
    desk, held, make_post, django_assert_num_queries
):
    posts = [make_post(title=f"Story {n}") for n in range(3)]
    for n in range(3):
        held(post=posts[n % 3])
    with CaptureQueriesContext(connection) as few:
        assert len(rows(desk.get(QUEUE))) == 3
    for n in range(20):
        held(post=posts[n % 3])
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows(desk.get(QUEUE))) == 23


def test_a_held_comment_on_a_page_is_listed_with_the_page_s_title(desk, held, make_page):
    page = make_page(title="Contact the newsroom", slug="contact")
    comment = held("Open on Sundays?", post=None, page=page)
    html = desk.get(QUEUE).content.decode()
    assert comment.pk in rows(desk.get(QUEUE))
    assert f'href="/contact/#comment-{comment.pk}">Contact the newsroom</a>' in html
