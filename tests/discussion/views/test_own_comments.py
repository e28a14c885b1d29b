"""A commenter changing their mind: edit or delete within the window, and likes."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy
from tests.discussion.views.test_post_comment import ORIGIN, form_data


@pytest.fixture
def article(make_post, db):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    return make_post(title="Harbour wall")


@pytest.fixture
def mine(client, article):
    client.post("/comments/post/", form_data(article, comment="First thoughts."), **ORIGIN)
    return Comment.objects.get()


def test_the_author_may_edit_and_the_old_text_is_kept(client, mine):
    (own,) = client.get(f"/comments/me.json?post={mine.post_id}").json()["own"]
    assert own["edit"] == f"/comments/{mine.pk}/edit/"
    client.post(f"/comments/{mine.pk}/edit/", {"comment": "Second thoughts."}, **ORIGIN)
    mine.refresh_from_db()
    assert mine.body == "Second thoughts." and mine.edited_at is not None
    assert [r.body for r in mine.revisions.all()] == ["First thoughts."]
    assert "(edited)" in client.get(mine.post.get_absolute_url()).content.decode()


def test_an_edit_with_bad_text_is_refused_and_kept(client, mine):
    response = client.post(f"/comments/{mine.pk}/edit/", {"comment": "bad \u202e"}, **ORIGIN)
    assert response.status_code == 400
    assert "bad \u202e" in response.content.decode()
    mine.refresh_from_db()
    assert mine.body == "First thoughts."


def test_nobody_else_may_edit(client, mine, django_user_model):
    client.cookies.clear()
    assert client.get(f"/comments/{mine.pk}/edit/").status_code == 404
    client.post(f"/comments/{mine.pk}/edit/", {"comment": "Hijacked"}, **ORIGIN)
    mine.refresh_from_db()
    assert mine.body == "First thoughts."


def test_the_window_closes_after_fifteen_minutes(client, mine, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=16))
    assert client.get(f"/comments/{mine.pk}/edit/").status_code == 404
    assert client.get(f"/comments/{mine.pk}/delete/").status_code == 404


def test_deleting_a_comment_with_replies_keeps_the_thread(client, mine, article):
    reply = Comment.objects.create(
        post=article,
        parent=mine,
        depth=1,
        author_name="B",
        body="Reply",
        body_html="<p>Reply</p>",
        status=CommentStatus.APPROVED,
    )
    client.post(f"/comments/{mine.pk}/delete/", **ORIGIN)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was deleted." in html
    assert "First thoughts." not in html
    assert f'id="comment-{reply.pk}"' in html
    assert not Comment.objects.get(pk=mine.pk).revisions.exists()


def test_deleting_a_comment_without_replies_removes_it(client, mine):
    client.post(f"/comments/{mine.pk}/delete/", **ORIGIN)
    assert not Comment.objects.filter(pk=mine.pk).exists()


def test_a_reader_likes_a_comment_once(client, mine):
    for _ in range(3):
        client.post(f"/comments/{mine.pk}/like/", **ORIGIN)
    mine.refresh_from_db()
    assert mine.like_count == 1
    other = client_class_like(mine)
    assert other == 2


def client_class_like(comment):
    from django.test import Client

    Client().post(f"/comments/{comment.pk}/like/", **ORIGIN)
    comment.refresh_from_db()
    return comment.like_count


def test_replies_past_the_deepest_level_attach_to_it(client, article):
    DiscussionSettings.objects.filter(pk=1).update(max_depth=2)
    DiscussionSettings.objects.get(pk=1).save()  # refresh the cached copy
    top = Comment.objects.create(
        post=article, author_name="A", body="a", body_html="<p>a</p>", status="approved"
    )
    second = Comment.objects.create(
        post=article,
        parent=top,
        depth=1,
        author_name="B",
        body="b",
        body_html="<p>b</p>",
        status="approved",
    )
    client.post(
        "/comments/post/", form_data(article, comment="Deeper", comment_parent=second.pk), **ORIGIN
    )
    deeper = Comment.objects.get(body="Deeper")
    assert (deeper.parent_id, deeper.depth) == (top.pk, 1)
