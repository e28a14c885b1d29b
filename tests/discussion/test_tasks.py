"""Email tasks whose worker is killed mid-task: each email is queued once, and sent."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masthead.discussion import subscriptions, tasks
from masthead.lib.tasks import requeue_abandoned

# The worker manages its own connection and transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)
NODE = "web-1:0123456789ab"


@pytest.fixture
def moderator(hold_all):
    hold_all.moderator_emails = "desk@example.org"
    hold_all.save()


def follow(email, post):
    subscription = subscriptions.request_subscription(email, post=post)
    return subscriptions.confirm_subscription(subscription.token)


def killed_while_running(name: str) -> DBTaskResult:
    """A worker claims the task and runs it, and is killed before it records the end."""
    row = DBTaskResult.objects.ready().get(task_path=f"masthead.discussion.tasks.{name}")
    row.claim(NODE)
    result = row.task_result
    row.task.call(*result.args, **result.kwargs)
    return row


def restarted(run_worker) -> None:
    """``masthead serve`` starting the node's worker again."""
    requeue_abandoned(NODE)
    run_worker()


def test_followers_are_emailed_when_the_worker_dies_before_queueing(
    smtp, make_post, make_comment, run_worker, monkeypatch
):
    post = make_post()
    follow("first@example.org", post)
    make_comment(post)

    def killed(*args, **kwargs):
        raise SystemExit(-9)

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(tasks, "send_later", killed)
        killed_while_running("notify_followers")
    restarted(run_worker)

    assert [m["To"] for m in smtp.messages] == ["first@example.org"]


def test_an_email_sent_again_after_its_worker_died_keeps_its_message_id(
    smtp, moderator, make_post, make_comment, run_worker, time_machine
):
    # The clock stands still, so both sends sign their links in the same second.
    time_machine.move_to(timezone.now(), tick=False)
    make_comment(make_post(), approve=False)
    killed_while_running("notify_moderators").set_successful(1)  # this one lived to record it

    # Killed after the mail server took the message, before the task was marked sent.
    killed_while_running("send_message")
    restarted(run_worker)

    first, again = smtp.messages
    assert first["Message-ID"] == again["Message-ID"]
    assert first.get_body(("plain",)).get_content() == again.get_body(("plain",)).get_content()
