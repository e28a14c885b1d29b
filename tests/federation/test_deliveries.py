"""Every delivery to an inbox is recorded with what the server answered; a server that
fails for days is marked unreachable and skipped until it is heard from again."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from masthead.federation import deliveries, services
from masthead.federation import outbound as federation_outbound
from masthead.federation.models import Delivery, DeliveryState, RemoteServer

CREATE = {"id": "http://127.0.0.1:8000/federation/activities/1", "type": "Create"}


@pytest.fixture
def send_to(db, django_capture_on_commit_callbacks):
    """Queue an activity for an inbox as the site does; the attempt runs at once."""

    def send(inbox: str, activity: dict = CREATE) -> Delivery:
        with django_capture_on_commit_callbacks(execute=True):
            made = federation_outbound.queue(activity, inbox)
        made.refresh_from_db()
        return made

    return send


def test_a_failure_is_recorded_with_the_answer_and_the_retry_delivers(inbox_receiver, send_to):
    inbox_receiver.statuses = [500, 202]
    delivery = send_to(inbox_receiver.inbox)
    assert delivery.state == DeliveryState.FAILED
    assert (delivery.attempts, delivery.last_status, delivery.host) == (1, 500, "127.0.0.1")
    assert delivery.last_error == "The server answered 500: Internal error: the queue is full"
    assert delivery.activity_type == "Create" and delivery.activity_id == CREATE["id"]
    wait = delivery.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(minutes=1)
    with time_machine.travel(delivery.next_attempt_at, tick=False):
        assert federation_outbound.deliver.call(delivery.pk) == DeliveryState.DELIVERED
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 2, 202)
    assert not RemoteServer.objects.exists()


def test_a_task_run_twice_sends_once(inbox_receiver, send_to):
    delivery = send_to(inbox_receiver.inbox)
    assert delivery.state == DeliveryState.DELIVERED
    assert federation_outbound.deliver.call(delivery.pk) == "gone"
    assert len(inbox_receiver.received) == 1


def test_an_answer_is_kept_only_in_part(inbox_receiver, send_to):
    inbox_receiver.statuses = [500]
    inbox_receiver.bodies[500] = b"x" * 50_000
    delivery = send_to(inbox_receiver.inbox)
    assert len(delivery.last_error) == 2000


def test_a_refusal_gives_up_that_delivery_but_the_server_is_not_failing(inbox_receiver, send_to):
    inbox_receiver.statuses = [410]
    delivery = send_to(inbox_receiver.inbox)
    assert (delivery.state, delivery.last_status) == (DeliveryState.GIVEN_UP, 410)
    assert delivery.next_attempt_at is None
    assert not RemoteServer.objects.exists()


def test_a_server_failing_past_the_limit_is_marked_and_then_skipped(
    inbox_receiver, send_to, settings
):
    settings.MASTHEAD_FEDERATION_DEAD_AFTER_DAYS = 3
    inbox_receiver.statuses = [503]
    first = send_to(inbox_receiver.inbox)
    assert first.state == DeliveryState.FAILED
    server = RemoteServer.objects.get(host="127.0.0.1")
    assert server.unreachable_since is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        second = send_to(inbox_receiver.inbox)
        assert second.state == DeliveryState.GIVEN_UP
        server.refresh_from_db()
        assert server.unreachable_since is not None
        assert "503" in server.last_error
        first.refresh_from_db()
        assert first.state == DeliveryState.SKIPPED  # its retry is not made
        third = send_to(inbox_receiver.inbox)
    assert third.state == DeliveryState.SKIPPED
    assert third.attempts == 0
    assert len(inbox_receiver.received) == 2


def test_a_waiting_retry_is_skipped_once_its_server_is_marked(inbox_receiver, send_to):
    inbox_receiver.statuses = [503]
    delivery = send_to(inbox_receiver.inbox)
    RemoteServer.objects.filter(host="127.0.0.1").update(unreachable_since=timezone.now())
    with time_machine.travel(delivery.next_attempt_at, tick=False):
        assert federation_outbound.deliver.call(delivery.pk) == DeliveryState.SKIPPED
    assert len(inbox_receiver.received) == 1


def test_an_activity_from_the_server_clears_the_mark(send, deliveries, alice):
    RemoteServer.objects.create(
        host="social.example", failing_since=timezone.now(), unreachable_since=timezone.now()
    )
    follow = {
        "id": "https://social.example/f/9",
        "type": "Follow",
        "actor": alice.uri,
        "object": "http://127.0.0.1:8000/federation/actor",
    }
    assert send(follow).status_code == 202
    assert not RemoteServer.objects.exists()
    accept = Delivery.objects.get(activity_type="Accept")
    assert accept.state == DeliveryState.DELIVERED  # the Accept was not skipped
    assert [body["type"] for _, _, _, body in deliveries] == ["Accept"]


def test_retrying_a_server_clears_the_mark_and_sends_again(
    inbox_receiver, send_to, django_capture_on_commit_callbacks
):
    inbox_receiver.statuses = [503]
    failed = send_to(inbox_receiver.inbox)
    server = RemoteServer.objects.get()
    server.unreachable_since = timezone.now()
    server.save()
    skipped = send_to(inbox_receiver.inbox)
    assert skipped.state == DeliveryState.SKIPPED
    inbox_receiver.statuses = [202]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_server(server) == 2
    failed.refresh_from_db()
    skipped.refresh_from_db()
    assert {failed.state, skipped.state} == {DeliveryState.DELIVERED}
    assert not RemoteServer.objects.exists()
    assert len(inbox_receiver.received) == 3


def test_old_finished_records_are_pruned(inbox_receiver, send_to):
    inbox_receiver.statuses = [202]
    old = send_to(inbox_receiver.inbox)
    inbox_receiver.statuses = [503]
    still_tried = send_to(inbox_receiver.inbox)
    Delivery.objects.update(updated_at=timezone.now() - dt.timedelta(days=31))
    inbox_receiver.statuses = [202]
    recent = send_to(inbox_receiver.inbox)
    call_command("prune_fediverse_deliveries", verbosity=0)
    left = set(Delivery.objects.values_list("pk", flat=True))
    assert left == {still_tried.pk, recent.pk}
    assert old.pk not in left
    assert deliveries.prune(days=0) == 1  # the recent delivered one


def test_a_delivered_activity_is_not_kept_whole(inbox_receiver, send_to):
    delivery = send_to(inbox_receiver.inbox, {**CREATE, "object": {"content": "x" * 10_000}})
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.activity == {}
    assert (delivery.activity_type, delivery.activity_id) == ("Create", CREATE["id"])
