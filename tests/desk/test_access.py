"""Only staff who may moderate comments use the desk; everyone else is turned away."""

import pytest

from masthead.discussion.models import CommentStatus

QUEUE = "/desk/moderation/"


@pytest.fixture
def comment(held):
    return held()


def action_posts(comment):
    """Every state-changing address of the desk, with data that would succeed."""
    filters = {"status": "pending"}
    return [
        (f"{QUEUE}{comment.pk}/", {**filters, "verb": "approve"}),
        (f"{QUEUE}{comment.pk}/edit/", {**filters, "body": "Rewritten."}),
        (f"{QUEUE}{comment.pk}/reply/", {**filters, "body": "Thanks."}),
        (f"{QUEUE}bulk/", {**filters, "verb": "spam", "selected": [comment.pk]}),
        (f"{QUEUE}empty-spam/", {"status": "spam"}),
    ]


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={QUEUE}"


@pytest.mark.parametrize("persona", ["reader", "author_user"])
def test_it_refuses_readers_and_authors_with_the_styled_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "This page isn’t open to you" in response.content.decode()


@pytest.mark.parametrize("persona", ["moderator", "editor", "admin_user"])
def test_it_opens_for_moderators_editors_and_administrators(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 200


def test_the_desk_root_is_the_dashboard(desk):
    response = desk.get("/desk/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_desk_pages_are_never_cached(desk):
    response = desk.get(QUEUE)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["reader", "author_user"])
def test_every_action_is_refused_to_readers_and_authors(client, request, persona, comment):
    client.force_login(request.getfixturevalue(persona))
    comment.status = CommentStatus.SPAM
    comment.save(update_fields=["status"])
    for url, data in action_posts(comment):
        assert client.post(url, data).status_code == 403, url
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    assert comment.body == "Is the ferry running on Sundays?"
    assert comment.replies.count() == 0


def test_every_action_sends_anonymous_visitors_to_log_in(client, comment):
    for url, data in action_posts(comment):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
