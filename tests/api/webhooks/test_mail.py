"""A hook that fails for days is turned off, and people are told by email."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.api.webhooks import services
from masthead.api.webhooks.models import Delivery, DeliveryStatus, Event

pytestmark = pytest.mark.django_db


def _fail_until_disabled(hook, run_worker, time_machine, limit=20) -> list[Delivery]:
    """Let every retry come due in turn, until the hook is off; the attempts made."""
    for _ in range(limit):
        run_worker()
        hook.refresh_from_db()
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING).first()
        if not hook.active or due is None:
            break
        time_machine.move_to(due.next_attempt_at + dt.timedelta(seconds=1))
    return list(Delivery.objects.order_by("attempt"))


def test_three_days_of_failures_disable_the_hook_and_email_its_creator_and_admins(
    hook, receiver, run_worker, time_machine, smtp, admin_user, editor
):
    time_machine.move_to(timezone.now(), tick=False)
    started = timezone.now()
    receiver.status = 500
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1})
    attempts = _fail_until_disabled(hook, run_worker, time_machine)

    hook.refresh_from_db()
    assert not hook.active
    assert hook.disabled_at - started >= dt.timedelta(days=3)
    assert hook.disabled_at - started < dt.timedelta(days=4)
    assert "Every delivery failed for 3 days" in hook.disabled_reason
    assert "The receiver answered 500." in hook.disabled_reason
    # 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then a day at a time: ten attempts.
    assert [a.attempt for a in attempts] == list(range(1, 11))
    assert [a.status for a in attempts] == [DeliveryStatus.FAILED] * 9 + [DeliveryStatus.GIVEN_UP]
    assert len(receiver.received) == 10

    [message] = smtp.messages
    assert message["Subject"] == f"[Masthead] Webhook disabled: {hook.url}"
    assert message["To"] == "eddie@example.org, ada@example.org"
    text = message.get_body(("plain",)).get_content()
    assert hook.disabled_reason in text
    assert f"http://testserver/desk/webhooks/{hook.pk}/" in text

    # Off: the next event is not even queued.
    assert services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 2}) == []


def test_a_success_in_between_starts_the_count_again(
    hook, receiver, run_worker, time_machine, smtp
):
    time_machine.move_to(timezone.now(), tick=False)
    started = timezone.now()
    receiver.status = 500
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1})
    run_worker()
    time_machine.move_to(started + dt.timedelta(days=2))
    receiver.status = 200
    run_worker()  # the retry gets through
    receiver.status = 500
    services.queue_event(Event.POST_UPDATED, lambda: {"id": 1})
    run_worker()
    time_machine.move_to(started + dt.timedelta(days=4))
    run_worker()  # four days after the first failure, two after the last success
    hook.refresh_from_db()
    assert hook.active
    assert hook.failing_since == started + dt.timedelta(days=2)
    assert [d.status for d in Delivery.objects.filter(event="post.updated")] == [
        DeliveryStatus.PENDING,
        DeliveryStatus.FAILED,
        DeliveryStatus.FAILED,
    ]
    assert smtp.messages == []


def test_re_enabling_gives_a_clean_record(hook, receiver, run_worker, time_machine, smtp):
    time_machine.move_to(timezone.now(), tick=False)
    receiver.status = 500
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1})
    _fail_until_disabled(hook, run_worker, time_machine)
    hook.refresh_from_db()
    assert not hook.active

    services.reenable_hook(hook)
    hook.refresh_from_db()
    assert hook.active
    assert (hook.failing_since, hook.disabled_at, hook.disabled_reason) == (None, None, "")
    receiver.status = 200
    services.queue_event(Event.COMMENT_CREATED, lambda: {"id": 9})
    run_worker()
    assert receiver.events()[-1] == "comment.created"


def test_the_number_of_days_is_a_setting(hook, receiver, run_worker, time_machine, settings):
    settings.MASTHEAD_WEBHOOK_DISABLE_AFTER_DAYS = 1
    time_machine.move_to(timezone.now(), tick=False)
    receiver.status = 500
    services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1})
    attempts = _fail_until_disabled(hook, run_worker, time_machine)
    assert len(attempts) == 8  # the first attempt a day or more after the first failure
