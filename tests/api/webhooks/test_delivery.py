"""Deliveries from the worker to a receiver on loopback: signed, retried, logged."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.api.webhooks import delivery, services
from masthead.api.webhooks.models import Delivery, DeliveryStatus, Event

pytestmark = pytest.mark.django_db


def _event(title="Harbour ferry returns"):
    return services.queue_event(Event.POST_PUBLISHED, lambda: {"id": 1, "title": title})


def test_the_receiver_gets_a_signed_event_with_its_headers(hook, receiver, run_worker):
    [queued] = _event()
    assert receiver.received == []  # nothing is sent inside the request
    run_worker()
    [(headers, body)] = receiver.received
    assert headers["Masthead-Event"] == "post.published"
    assert headers["Masthead-Delivery"] == str(queued.pk)
    assert headers["Content-Type"] == "application/json"
    assert body["event"] == "post.published"
    assert body["id"] == str(queued.event_id)
    assert body["data"] == {"id": 1, "title": "Harbour ferry returns"}
    assert dt.datetime.fromisoformat(body["created_at"]) <= timezone.now()
    done = Delivery.objects.get(pk=queued.pk)
    assert done.status == DeliveryStatus.DELIVERED
    assert done.response_status == 204
    assert done.duration_ms is not None
    assert done.finished_at is not None


def test_a_receiver_with_another_secret_refuses_it_and_it_is_retried(hook, receiver, run_worker):
    receiver.secret = "whsec_not-the-one-masthead-has"
    [first] = _event()
    run_worker()
    assert receiver.received == []
    [(_, reason)] = receiver.refused
    assert reason == "bad signature"
    first.refresh_from_db()
    assert first.status == DeliveryStatus.FAILED
    assert first.response_status == 401
    assert first.response_body == "bad signature"
    assert first.error == "The receiver answered 401."
    retry = Delivery.objects.get(status=DeliveryStatus.PENDING)
    assert retry.attempt == 2
    assert retry.event_id == first.event_id
    assert retry.next_attempt_at == first.next_attempt_at
    assert first.next_attempt_at - first.finished_at == dt.timedelta(minutes=1)


def test_a_500_is_retried_after_a_minute_and_then_delivered(
    hook, receiver, run_worker, time_machine
):
    receiver.status = 500
    _event()
    run_worker()
    receiver.status = 200
    run_worker()  # the retry waits its minute
    assert len(receiver.received) == 1
    hook.refresh_from_db()
    assert hook.failing_since is not None

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1, seconds=1))
    run_worker()
    assert len(receiver.received) == 2
    assert receiver.received[0][1] == receiver.received[1][1]  # the same event, id and all
    attempts = Delivery.objects.order_by("attempt")
    assert [(d.attempt, d.status, d.response_status) for d in attempts] == [
        (1, DeliveryStatus.FAILED, 500),
        (2, DeliveryStatus.DELIVERED, 200),
    ]
    assert attempts[0].response_body == "broken"
    hook.refresh_from_db()
    assert hook.failing_since is None


def test_backoff_grows_then_stays_at_a_day():
    waits = [delivery.retry_delay(n) for n in range(1, 10)]
    minutes = [w / dt.timedelta(minutes=1) for w in waits]
    assert minutes == [1, 5, 30, 120, 360, 720, 1440, 1440, 1440]


def test_a_receiver_that_is_down_is_logged_and_retried(hook, receiver, run_worker):
    receiver.server.shutdown()
    receiver.server.server_close()
    [first] = _event()
    run_worker()
    first.refresh_from_db()
    assert first.status == DeliveryStatus.FAILED
    assert first.response_status is None
    assert "could not be reached" in first.error
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING, attempt=2).exists()


def test_loopback_is_refused_unless_the_site_allows_it(hook, receiver, run_worker, settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False
    [first] = _event()
    run_worker()
    assert receiver.received == receiver.refused == []
    first.refresh_from_db()
    assert first.status == DeliveryStatus.FAILED
    assert "127.0.0.1, a loopback or private address" in first.error


def test_only_hooks_that_asked_for_the_event_get_it(hook, receiver, run_worker):
    services.update_hook(hook, url=hook.url, events=[Event.COMMENT_CREATED])
    assert _event() == []
    services.create_hook(url=receiver.url, events=[Event.POST_PUBLISHED]).delete()
    run_worker()
    assert receiver.received == []


def test_a_disabled_hook_gets_nothing_but_a_ping(hook, receiver, run_worker):
    [queued] = _event()
    hook.active = False
    hook.save()
    services.send_ping(hook)
    run_worker()
    assert receiver.events() == ["ping"]
    queued.refresh_from_db()
    assert queued.status == DeliveryStatus.GIVEN_UP


def test_a_failed_ping_is_not_retried_and_the_hook_is_not_failing(hook, receiver, run_worker):
    receiver.status = 503
    ping = services.send_ping(hook)
    run_worker()
    ping.refresh_from_db()
    assert ping.status == DeliveryStatus.FAILED
    assert ping.next_attempt_at is None
    assert Delivery.objects.count() == 1
    hook.refresh_from_db()
    assert hook.failing_since is None


def test_a_task_run_twice_sends_once(hook, receiver, run_worker):
    [queued] = _event()
    run_worker()
    assert delivery.deliver.call(queued.pk) == "gone"
    assert len(receiver.received) == 1


def test_a_hook_deleted_while_its_request_is_out_records_nothing(hook, receiver, monkeypatch):
    [queued] = _event()
    real_send = delivery.send

    def send_then_delete(d):
        outcome = real_send(d)
        services.delete_hook(hook)
        return outcome

    receiver.status = 500
    monkeypatch.setattr(delivery, "send", send_then_delete)
    assert delivery.deliver.call(queued.pk) == "gone"
    assert not Delivery.objects.exists()


def test_old_delivery_records_are_pruned_but_not_one_still_to_send(hook, receiver, run_worker):
    from django.core.management import call_command

    _event()
    run_worker()
    [sent] = Delivery.objects.filter(status=DeliveryStatus.DELIVERED)
    _event("Night ferry returns")
    [waiting] = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    Delivery.objects.update(created_at=timezone.now() - dt.timedelta(days=31))

    call_command("prune_webhook_deliveries", verbosity=0)
    assert list(Delivery.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert sent.pk != waiting.pk
