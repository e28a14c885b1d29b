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


SPAM_LINKS = " ".join(f"[cheap pills {n}](http://pills{n}.example/)" for n in range(12))


def test_an_edit_into_spam_links_is_held_like_a_new_comment(client, mine, mailoutbox, admin_user):
    assert mine.status == CommentStatus.APPROVED
    client.post(f"/comments/{mine.pk}/edit/", {"comment": SPAM_LINKS}, **ORIGIN)
    mine.refresh_from_db()
    assert mine.status != CommentStatus.APPROVED
    assert "12 links" in mine.moderation_note
    html = client.get(mine.post.get_absolute_url()).content.decode()
    assert "pills0.example" not in html


def test_an_edit_the_rules_would_hold_is_held_even_after_a_moderator_approved(
    client, mine, admin_user
):
    from masthead.discussion.services import approve_comment

    approve_comment(mine, by=admin_user)
    client.post(
        f"/comments/{mine.pk}/edit/",
        {"comment": "Visit www.a.example www.b.example www.c.example"},
        **ORIGIN,
    )
    mine.refresh_from_db()
    assert mine.status == CommentStatus.PENDING
    assert [r.body for r in mine.revisions.all()] == ["First thoughts."]


def test_the_moderator_is_told_of_a_held_edit_and_sees_what_it_said_before(
    client, mine, admin_user, mailoutbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/{mine.pk}/edit/", {"comment": SPAM_LINKS}, **ORIGIN)
    (message,) = [m for m in mailoutbox if admin_user.email in m.to]
    assert "First thoughts." in message.body and "pills0.example" in message.body


def test_an_ordinary_edit_stays_published(client, mine):
    client.post(f"/comments/{mine.pk}/edit/", {"comment": "Second, better thoughts."}, **ORIGIN)
    mine.refresh_from_db()
    assert mine.status == CommentStatus.APPROVED


def test_liking_a_comment_under_an_unpublished_post_reveals_nothing(client, make_post):
    draft = make_post(title="Secret merger", status="draft", published_at=None)
    hidden = Comment.objects.create(
        post=draft, author_name="A", body="a", body_html="<p>a</p>", status="approved"
    )
    response = client.post(f"/comments/{hidden.pk}/like/", **ORIGIN)
    assert response.status_code == 404
    assert "secret-merger" not in response.get("Location", "") + response.content.decode()
    hidden.refresh_from_db()
    assert hidden.like_count == 0
