"""Comments on a standing page (About, Contact): the same form, rules and thread as an article."""

import json
import time

import pytest
from django.core import signing

from masthead.discussion import mail, subscriptions, tasks
from masthead.discussion.forms import FORM_SALT
from masthead.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    Policy,
    Subscription,
)
from masthead.publishing import services
from masthead.publishing.models import CommentStatus as PageCommentStatus
from masthead.publishing.models import Status

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def publish_at_once(db):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})


@pytest.fixture
def contact(make_page):
    return make_page(title="Contact the newsroom", slug="contact", body="Write to us.")


def page_form(page, **extra):
    # Issued a minute ago, so the too-fast rule does not apply.
    token = signing.dumps(
        {"p": f"page:{page.pk}", "t": time.time() - 60}, salt=FORM_SALT, compress=True
    )
    return {
        "comment": "Is the front desk open on Sundays?",
        "author": "Nadia",
        "email": "nadia@example.org",
        "url": "",
        "comment_page_ID": page.pk,
        "comment_parent": "",
        "form_token": token,
        **extra,
    }


def test_an_open_page_ends_in_a_leave_a_reply_form(client, contact):
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Leave a Reply" in html
    assert f'name="comment_page_ID" value="{contact.pk}"' in html
    assert 'name="comment_post_ID"' not in html
    assert f"/comments/me.json?page={contact.pk}" in html


def test_a_new_page_takes_no_comments_and_shows_no_discussion(client, db):
    page = services.save_page(title="Imprint", body="Publisher.", status=Status.PUBLISHED)
    assert page.comment_status == PageCommentStatus.CLOSED
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Leave a Reply" not in html
    assert 'id="comments"' not in html


def test_a_reader_comments_on_an_open_page_and_sees_it_there(client, contact, publish_at_once):
    response = client.post("/comments/post/", page_form(contact), **ORIGIN)

    comment = Comment.objects.get()
    assert (comment.page, comment.post) == (contact, None)
    assert comment.status == CommentStatus.APPROVED
    assert response.status_code == 302
    assert response["Location"] == f"{contact.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Is the front desk open on Sundays?" in html
    assert "1 Reply to “Contact the newsroom”" in html
    contact.refresh_from_db()
    assert contact.comment_count == 1


def test_a_reply_on_a_page_hangs_under_its_parent(client, contact, publish_at_once):
    client.post("/comments/post/", page_form(contact), **ORIGIN)
    question = Comment.objects.get()
    client.post(
        "/comments/post/",
        page_form(contact, comment="From noon.", author="Desk", comment_parent=question.pk),
        **ORIGIN,
    )
    answer = Comment.objects.exclude(pk=question.pk).get()
    assert (answer.parent, answer.depth, answer.page) == (question, 1, contact)


def test_a_closed_page_refuses_a_comment_and_keeps_its_thread(client, contact, publish_at_once):
    client.post("/comments/post/", page_form(contact), **ORIGIN)
    contact.refresh_from_db()
    services.save_page(contact, comment_status=PageCommentStatus.CLOSED)

    response = client.post("/comments/post/", page_form(contact, comment="Late."), **ORIGIN)

    assert response.status_code == 403
    assert "no longer takes comments" in response.content.decode()
    assert Comment.objects.count() == 1
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Is the front desk open on Sundays?" in html
    assert "Comments are closed." in html


def test_a_form_for_a_post_cannot_be_sent_to_a_page(client, contact, make_post, publish_at_once):
    post = make_post()
    data = page_form(contact)
    data["form_token"] = signing.dumps(
        {"p": f"post:{post.pk}", "t": time.time() - 60}, salt=FORM_SALT, compress=True
    )
    response = client.post("/comments/post/", data, **ORIGIN)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_personal_json_answers_for_a_page(client, contact):
    client.post("/comments/post/", page_form(contact), **ORIGIN)
    held = Comment.objects.get()

    me = json.loads(client.get("/comments/me.json", {"page": contact.pk}).content)

    assert [h["id"] for h in me["held"]] == [held.pk]
    assert signing.loads(me["form_token"], salt=FORM_SALT)["p"] == f"page:{contact.pk}"


def test_a_follower_of_a_page_is_told_of_its_new_comments_with_a_link_to_it(
    client, contact, make_post, publish_at_once
):
    client.post("/comments/post/", page_form(contact, subscribe_comments="1"), **ORIGIN)
    subscription = Subscription.objects.get()
    assert (subscription.page, subscription.post) == (contact, None)
    subscriptions.confirm_subscription(subscription.token)
    client.post(
        "/comments/post/",
        page_form(contact, comment="Sundays too.", author="Ola", email="ola@example.org"),
        **ORIGIN,
    )
    reply = Comment.objects.get(author_name="Ola")

    assert tasks.notify_followers.call(reply.pk) == 1
    notice = mail.comment_notice(reply.pk, subscription.pk)
    assert f"http://testserver{contact.get_absolute_url()}#comment-{reply.pk}" in notice.body
    assert "Contact the newsroom" in notice.subject + notice.body
    # Following a page is not asking for new posts.
    assert mail.post_notice(make_post().pk, subscription.pk) is None
