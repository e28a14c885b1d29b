import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from masthead.discussion import services, subscriptions, tasks
from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.publishing import services as publishing
from masthead.publishing.models import Status

pytestmark = pytest.mark.django_db
# The worker manages its own connection and transactions, as in production.
worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(make_post):
    return make_post("Harbour ferry returns")


def follow(email, post=None):
    subscription = subscriptions.request_subscription(email, post=post)
    return subscriptions.confirm_subscription(subscription.token)


def subject(message):
    return message["Subject"].strip()


def send_tasks(kind="comment"):
    sends = DBTaskResult.objects.filter(task_path="masthead.discussion.tasks.send_message")
    return sends.filter(args_kwargs__args__0=kind)


# Follow-ups and replies


def test_followers_hear_of_an_approved_comment(smtp, immediate_tasks, post, make_comment):
    follow("first@example.org", post)
    follow("second@example.org", post)
    subscriptions.request_subscription("unconfirmed@example.org", post=post)

    make_comment(post, name="Ines", email="ines@example.org")

    assert sorted(m["To"] for m in smtp.messages) == ["first@example.org", "second@example.org"]
    message = smtp.to("first@example.org")[0]
    assert subject(message) == "New comment on “Harbour ferry returns”"
    assert "Ines commented" in message.get_body(("plain",)).get_content()


def test_the_author_is_not_told_of_their_own_comment(smtp, immediate_tasks, post, make_comment):
    follow("ines@example.org", post)

    make_comment(post, email="ines@example.org")

    assert smtp.messages == []


def test_followers_of_other_posts_hear_nothing(smtp, immediate_tasks, make_post, make_comment):
    follow("elsewhere@example.org", make_post("Another story"))

    make_comment(make_post("This story"))

    assert smtp.messages == []


def test_a_held_comment_reaches_followers_only_once_approved(
    smtp, immediate_tasks, on_commit, post, make_comment
):
    follow("first@example.org", post)
    comment = make_comment(post, approve=False)
    assert smtp.to("first@example.org") == []

    with on_commit():
        services.approve_comment(comment)

    assert len(smtp.to("first@example.org")) == 1


def test_followers_hear_of_a_comment_once_however_often_it_is_approved(
    smtp, immediate_tasks, on_commit, post, make_comment
):
    follow("first@example.org", post)
    comment = make_comment(post)
    for change in (services.trash_comment, services.approve_comment) * 2:
        with on_commit():
            change(comment)

    assert len(smtp.to("first@example.org")) == 1


def test_a_reply_notifies_the_subscribed_parent_author(smtp, immediate_tasks, post, make_comment):
    follow("ines@example.org", post)
    parent = make_comment(post, name="Ines", email="ines@example.org")
    reply = make_comment(post, name="Tomas", email="tomas@example.org", parent=parent)

    [message] = smtp.to("ines@example.org")
    assert subject(message) == "Tomas replied to your comment on “Harbour ferry returns”"
    text = message.get_body(("plain",)).get_content()
    assert parent.body in text
    assert reply.body in text
    assert f"#comment-{reply.pk}" in text


def test_an_unsubscribed_parent_author_gets_no_reply_notice(
    smtp, immediate_tasks, post, make_comment
):
    parent = make_comment(post, email="ines@example.org")
    make_comment(post, email="tomas@example.org", parent=parent)

    assert smtp.messages == []


def test_every_follow_up_unsubscribes_in_one_click_without_cookies(
    smtp, immediate_tasks, post, make_comment
):
    follow("first@example.org", post)
    make_comment(post)
    [message] = smtp.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    browserless = Client(enforce_csrf_checks=True)
    response = browserless.post(
        smtp.unsubscribe_path(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscription.objects.filter(email="first@example.org").exists()
    assert smtp.unsubscribe_path(message) in message.get_body(("html",)).get_content()


# Moderators


@pytest.fixture
def moderators(hold_all):
    hold_all.moderator_emails = "desk@example.org\n\n Night@Example.org \n"
    hold_all.save()


def test_each_moderator_is_emailed_a_held_comment(
    smtp, immediate_tasks, moderators, post, make_comment
):
    comment = make_comment(post, approve=False)

    assert sorted(m["To"] for m in smtp.messages) == ["desk@example.org", "night@example.org"]
    message = smtp.to("desk@example.org")[0]
    assert subject(message) == "Comment awaiting moderation on “Harbour ferry returns”"
    text = message.get_body(("plain",)).get_content()
    assert comment.body in text
    assert "Held because: every comment is held" in text
    assert "List-Unsubscribe" not in message


def test_superusers_moderate_when_no_address_is_set(
    smtp, immediate_tasks, admin_user, editor, post, make_comment
):
    make_comment(post, approve=False)

    assert [m["To"] for m in smtp.messages] == ["ada@example.org"]


def test_the_approve_link_works(
    client, smtp, immediate_tasks, on_commit, moderators, post, make_comment
):
    follow("first@example.org", post)
    comment = make_comment(post, approve=False)
    message = smtp.to("desk@example.org")[0]
    [approve] = [u for u in smtp.links(message) if u.endswith("action=approve")]

    page = client.get(smtp.path(approve))
    assert page.status_code == 200
    assert comment.body.encode() in page.content
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING

    with on_commit():
        client.post(smtp.path(approve).split("?")[0], {"action": "approve"})

    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert len(smtp.to("first@example.org")) == 1


def test_the_spam_link_works(client, smtp, immediate_tasks, moderators, post, make_comment):
    comment = make_comment(post, approve=False)
    [spam] = [u for u in smtp.links(smtp.messages[0]) if u.endswith("action=spam")]

    client.post(smtp.path(spam).split("?")[0], {"action": "spam"})

    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM


@worker_test
def test_a_comment_approved_before_the_email_goes_is_not_sent_to_moderators(
    smtp, moderators, post, make_comment, run_worker
):
    comment = make_comment(post, approve=False)
    services.approve_comment(comment)

    run_worker()

    assert smtp.messages == []
    [moderation] = DBTaskResult.objects.filter(task_path__endswith="notify_moderators")
    assert moderation.return_value == 0


@worker_test
def test_a_burst_of_held_comments_reaches_each_moderator_as_one_email(
    smtp, moderators, post, make_comment, run_worker
):
    held = [make_comment(post, email=f"reader{n}@example.org", approve=False) for n in range(3)]
    queued = DBTaskResult.objects.filter(task_path__endswith="notify_moderators")
    assert queued.count() == 1

    run_worker()

    assert sorted(m["To"] for m in smtp.messages) == ["desk@example.org", "night@example.org"]
    message = smtp.to("desk@example.org")[0]
    assert subject(message) == "3 comments awaiting moderation on Masthead"
    text = message.get_body(("plain",)).get_content()
    assert all(comment.body in text for comment in held)
    assert len([u for u in smtp.links(message) if u.endswith("action=approve")]) == 3

    make_comment(post, email="later@example.org", approve=False)
    run_worker()

    later = smtp.to("desk@example.org")[1]
    assert subject(later) == "Comment awaiting moderation on “Harbour ferry returns”"


@worker_test
def test_a_held_comment_no_notice_carried_goes_out_in_the_follow_up(
    smtp, moderators, post, make_comment, run_worker
):
    make_comment(post, approve=False)
    run_worker()
    # Committed just after the notice claimed its comments: no notice of its own.
    straggler = Comment.objects.create(
        post=post, author_name="Noor", body="Late to the harbour debate.", status="pending"
    )
    run_worker()
    assert len(smtp.to("desk@example.org")) == 1

    with time_machine.travel(timezone.now() + tasks.NOTICE_FOLLOW_UP + dt.timedelta(seconds=1)):
        run_worker()

    follow_up = smtp.to("desk@example.org")[1]
    assert straggler.body in follow_up.get_body(("plain",)).get_content()


# New posts


def test_site_subscribers_hear_of_a_new_post_once(smtp, immediate_tasks, on_commit, make_post):
    follow("reader@example.org")
    subscriptions.request_subscription("unconfirmed@example.org")

    with on_commit():
        post = make_post("Bridge reopens", published_at=timezone.now())
    with on_commit():
        publishing.save_post(post, excerpt="Traffic is back.")

    [message] = smtp.messages
    assert message["To"] == "reader@example.org"
    assert subject(message) == "New on Masthead: Bridge reopens"
    assert post.get_absolute_url() in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"]


def test_drafts_and_old_posts_are_not_announced(smtp, immediate_tasks, on_commit, make_post):
    follow("reader@example.org")

    with on_commit():
        make_post("Draft", status=Status.DRAFT)
        make_post("Imported", published_at=timezone.now() - dt.timedelta(days=400))

    assert smtp.messages == []


@worker_test
def test_a_scheduled_post_is_announced_when_it_goes_public(smtp, on_commit, make_post, run_worker):
    follow("reader@example.org")
    at = timezone.now() + dt.timedelta(hours=3)

    with on_commit():
        make_post("Election night", published_at=at)
    run_worker()
    assert smtp.messages == []

    with time_machine.travel(at + dt.timedelta(seconds=5)):
        run_worker()

    assert [subject(m) for m in smtp.messages] == ["New on Masthead: Election night"]


@worker_test
def test_a_post_unpublished_before_its_time_is_not_announced(
    smtp, on_commit, make_post, run_worker
):
    follow("reader@example.org")
    at = timezone.now() + dt.timedelta(hours=3)
    with on_commit():
        post = make_post("Embargoed", published_at=at)
    publishing.save_post(post, status=Status.DRAFT)

    with time_machine.travel(at + dt.timedelta(seconds=5)):
        run_worker()

    assert smtp.messages == []


# The real queue, and a mail server that is down


@worker_test
def test_the_database_worker_sends_what_a_request_queued(smtp, post, make_comment, run_worker):
    follow("first@example.org", post)
    make_comment(post)
    assert smtp.messages == []

    run_worker()

    assert [m["To"] for m in smtp.messages] == ["first@example.org"]
    assert send_tasks().get().status == TaskResultStatus.SUCCESSFUL


@worker_test
def test_a_mail_server_that_is_down_delays_the_email_and_keeps_the_comment(
    settings, smtp, post, make_comment, run_worker, caplog
):
    follow("first@example.org", post)
    smtp.stop()
    comment = make_comment(post)

    run_worker()

    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    failed = send_tasks().get(status=TaskResultStatus.FAILED)
    retry = send_tasks().get(status=TaskResultStatus.READY)
    # The same email tried again: a second attempt, under the first one's Message-ID.
    first_id = failed.args_kwargs["kwargs"]["message_id"]
    assert retry.args_kwargs["kwargs"] == {"attempt": 2, "message_id": first_id}
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=50)
    assert "ConnectionRefusedError" in failed.traceback
    assert "Could not send comment email (attempt 1 of 5)" in caplog.text

    smtp.start(settings)
    with time_machine.travel(retry.run_after + dt.timedelta(seconds=1)):
        run_worker()

    assert [m["To"] for m in smtp.messages] == ["first@example.org"]
    assert smtp.messages[0]["Message-ID"] == first_id


def test_retries_back_off_and_stop_after_five_attempts(smtp, post, make_comment):
    follow("first@example.org", post)
    comment = make_comment(post)
    params = {"comment": comment.pk, "subscription": Subscription.objects.get().pk}
    smtp.stop()

    with pytest.raises(ConnectionRefusedError):
        tasks.send_message.call("comment", params, attempt=4)
    [retry] = send_tasks()
    assert retry.run_after - timezone.now() > dt.timedelta(minutes=119)

    with pytest.raises(ConnectionRefusedError):
        tasks.send_message.call("comment", params, attempt=5)
    assert send_tasks().count() == 1


def test_an_address_the_server_refuses_is_not_retried(smtp, post, make_comment):
    follow("first@example.org", post)
    comment = make_comment(post)
    params = {"comment": comment.pk, "subscription": Subscription.objects.get().pk}
    smtp.reply = "550 5.1.1 No such mailbox"

    with pytest.raises(Exception, match="No such mailbox"):
        tasks.send_message.call("comment", params)

    assert not send_tasks().exists()


def test_an_email_that_no_longer_applies_is_skipped(smtp, post, make_comment):
    subscription = follow("first@example.org", post)
    comment = make_comment(post)
    subscriptions.unsubscribe(subscription.token)

    params = {"comment": comment.pk, "subscription": subscription.pk}

    result = tasks.send_message.call("comment", params)

    assert result == "skipped"
    assert smtp.messages == []
