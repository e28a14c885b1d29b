"""The desk's front page: each persona sees the panels their role gives them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masthead.discussion.models import CommentStatus
from masthead.publishing.models import Author, Status

DASHBOARD = "/desk/"
WRITE = 'href="/admin/publishing/post/add/"'


def change_url(post):
    return reverse("admin:publishing_post_change", args=[post.pk])


@pytest.fixture
def aurora(author_user):
    return Author.objects.create(user=author_user, display_name="Aurora Diaz", slug="aurora-diaz")


@pytest.fixture
def draft(make_post):
    def make(title="Ferry timetable draft", **fields):
        return make_post(title=title, status=Status.DRAFT, published_at=None, **fields)

    return make


@pytest.fixture
def upcoming(make_post):
    def make(title="Bridge reopens Monday", days=2, **fields):
        when = timezone.now() + dt.timedelta(days=days)
        return make_post(title=title, status=Status.SCHEDULED, published_at=when, **fields)

    return make


def sign_in(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    return client


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={DASHBOARD}"


def test_it_refuses_readers(client, reader):
    client.force_login(reader)
    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("persona", ["admin_user", "editor"])
def test_editors_and_administrators_see_every_panel(client, request, persona, held, draft):
    held()
    response = sign_in(client, request, persona).get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert WRITE in html
    for heading in ["Awaiting moderation", "Drafts", "Scheduled", "Latest comments"]:
        assert heading in html


def test_a_moderator_sees_the_queue_but_no_posts_and_no_write_button(desk, held, draft):
    held()
    draft()
    html = desk.get(DASHBOARD).content.decode()
    assert "Awaiting moderation" in html
    assert "Latest comments" in html
    assert WRITE not in html
    assert "Drafts" not in html
    assert "Ferry timetable draft" not in html


def test_an_author_sees_their_own_posts_and_no_moderation(
    client, author_user, aurora, byline, held, draft, upcoming
):
    held("A held comment the author must not see.")
    mine = draft("My draft", authors=[aurora])
    theirs = draft("Someone else's draft", authors=[byline])
    soon = upcoming("My scheduled piece", authors=[aurora])
    upcoming("Their scheduled piece", authors=[byline])
    client.force_login(author_user)
    response = client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert WRITE in html
    assert "Awaiting moderation" not in html
    assert "A held comment the author must not see." not in html
    assert 'href="/desk/moderation/"' not in html  # no link to a page they may not open
    assert [p.pk for p in response.context["drafts"]] == [mine.pk]
    assert [p.pk for p in response.context["scheduled"]] == [soon.pk]
    assert f'href="{change_url(mine)}"' in html
    assert f'href="{change_url(theirs)}"' not in html


def test_it_counts_what_awaits_and_shows_the_five_newest(desk, held, post):
    comments = [held(f"Held comment {n}.") for n in range(7)]  # newest first
    held("Already approved.", status=CommentStatus.APPROVED)
    response = desk.get(DASHBOARD)
    html = response.content.decode()
    assert response.context["counts"]["pending"] == 7
    assert 'data-count="pending">7<' in html  # the nav keeps its count
    assert [c.pk for c in response.context["held"]] == [c.pk for c in comments[:5]]
    assert f'href="/desk/moderation/#desk-comment-{comments[0].pk}"' in html
    assert "Nils Berg on " + post.title in html
    assert "Held comment 6." not in html


def test_latest_comments_are_only_the_visible_ones(desk, held):
    shown = [held(f"Approved {n}.", status=CommentStatus.APPROVED) for n in range(6)]
    held("Spam, never listed.", status=CommentStatus.SPAM)
    response = desk.get(DASHBOARD)
    assert [c.pk for c in response.context["recent"]] == [c.pk for c in shown[:5]]
    assert f'href="{shown[0].get_absolute_url()}"' in response.content.decode()


def test_drafts_newest_first_and_scheduled_soonest_first(client, editor, draft, upcoming):
    older, newer = draft("Older draft"), draft("Newer draft")
    later, sooner = upcoming("Later", days=5), upcoming("Sooner", days=1)
    upcoming("Already out", days=-1)  # its time came: public, no longer waiting
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert [p.pk for p in response.context["drafts"]] == [newer.pk, older.pk]
    assert [p.pk for p in response.context["scheduled"]] == [sooner.pk, later.pk]


def test_empty_panels_say_so(client, editor, db):
    client.force_login(editor)
    html = client.get(DASHBOARD).content.decode()
    for empty in ["Nothing awaits moderation.", "No drafts.", "Nothing scheduled.", "No comments"]:
        assert empty in html


def test_the_navigation_marks_the_dashboard(desk, db):
    html = desk.get(DASHBOARD).content.decode()
    assert '<a href="/desk/" aria-current="page">Dashboard</a>' in html


@pytest.mark.parametrize("persona", ["editor", "author_user", "moderator"])
def test_it_asks_as_much_for_23_of_everything_as_for_3(
    client, request, persona, aurora, byline, held, draft, upcoming, django_assert_num_queries
):
    """Comments on different posts, posts with two bylines: any per-row lookup shows."""
    sign_in(client, request, persona)

    def add(n):
        for i in range(n):
            story = draft(f"Draft {i}", authors=[aurora, byline])
            upcoming(f"Scheduled {i}", days=i + 1, authors=[aurora, byline])
            held(f"Held {i}.", post=story)
            held(f"Approved {i}.", post=story, status=CommentStatus.APPROVED)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    add(20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(DASHBOARD)
    assert len(response.context["recent"]) == 5
    if persona != "moderator":
        assert len(response.context["drafts"]) == 10
