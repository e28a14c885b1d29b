"""The desk's Fediverse deliveries: what each server answered, failures first, servers
failing now, and "retry now"; for moderators and editors only."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.federation import outbound
from masthead.federation.models import Delivery, DeliveryState, Follower, RemoteActor, RemoteServer

PAGE = "/desk/fediverse/deliveries/"
CREATE = {"id": "https://news.example/activities/1", "type": "Create"}


@pytest.fixture
def follower(db, inbox_receiver):
    """A follower whose server is the loopback receiver."""
    actor = RemoteActor.objects.create(
        uri="http://127.0.0.1/users/ines",
        key_id="http://127.0.0.1/users/ines#k",
        public_pem="-",
        inbox=inbox_receiver.inbox,
    )
    return Follower.objects.create(actor=actor)


def row(page: str, delivery: Delivery) -> str:
    start = page.index(f'id="delivery-{delivery.pk}"')
    return page[start : page.index("</tr>", start)]


def test_a_failed_delivery_shows_its_answer_then_its_retry_shows_delivered(
    desk, follower, inbox_receiver, make_post, run_worker, django_capture_on_commit_callbacks
):
    inbox_receiver.statuses = [500, 202]
    with django_capture_on_commit_callbacks(execute=True):
        make_post(title="Night ferry returns")
    run_worker()
    delivery = Delivery.objects.get()
    page = desk.get(PAGE).content.decode()
    shown = row(page, delivery)
    assert 'data-state="failed"' in shown
    assert "HTTP 500" in shown and "the queue is full" in shown
    assert "Retry now" in shown
    assert 'data-server="127.0.0.1"' in page
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        run_worker()
    page = desk.get(PAGE).content.decode()
    shown = row(page, Delivery.objects.get())
    assert 'data-state="delivered"' in shown and "HTTP 202" in shown
    assert "Retry now" not in shown
    assert "Every server answered its last delivery." in page
    assert [path for path, _, _ in inbox_receiver.received] == ["/inbox", "/inbox"]


def test_failures_come_first_and_the_tabs_filter(desk, db):
    made = {}
    for state in ("delivered", "failed", "delivered"):
        made[state] = Delivery.objects.create(
            activity=CREATE,
            activity_id=CREATE["id"],
            activity_type="Create",
            inbox=f"https://{state}.example/inbox",
            host=f"{state}.example",
            state=state,
        )
    page = desk.get(PAGE).content.decode()
    assert page.index("failed.example/inbox") < page.index("delivered.example/inbox")
    delivered = desk.get(PAGE + "?state=delivered").content.decode()
    assert "failed.example/inbox" not in delivered and "delivered.example/inbox" in delivered
    failed = desk.get(PAGE + "?state=failed").content.decode()
    assert "failed.example/inbox" in failed and "delivered.example/inbox" not in failed


def test_an_unreachable_server_shows_and_retry_now_clears_it(
    desk, inbox_receiver, run_worker, django_capture_on_commit_callbacks
):
    since = timezone.now() - dt.timedelta(days=4)
    server = RemoteServer.objects.create(
        host="127.0.0.1",
        failing_since=since,
        unreachable_since=timezone.now(),
        last_error="The server answered 503: down for maintenance",
    )
    skipped = outbound.queue(CREATE, inbox_receiver.inbox)
    assert skipped.state == DeliveryState.SKIPPED
    page = desk.get(PAGE).content.decode()
    assert "Unreachable since" in page and "down for maintenance" in page
    assert "Retry 127.0.0.1 now" in page
    answer = desk.post(f"/desk/fediverse/servers/{server.pk}/retry/", follow=True)
    assert "127.0.0.1 is no longer marked unreachable; 1 delivery being sent again." in (
        answer.content.decode()
    )
    run_worker()
    skipped.refresh_from_db()
    assert skipped.state == DeliveryState.DELIVERED
    assert not RemoteServer.objects.exists()
    assert len(inbox_receiver.received) == 1


def test_retry_now_sends_one_failed_delivery_again(desk, inbox_receiver, run_worker):
    inbox_receiver.statuses = [503, 202]
    delivery = outbound.queue(CREATE, inbox_receiver.inbox)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    desk.post(f"/desk/fediverse/deliveries/{delivery.pk}/retry/")
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)


def test_a_delivered_one_is_not_sent_again(desk, inbox_receiver, run_worker):
    delivery = outbound.queue(CREATE, inbox_receiver.inbox)
    run_worker()
    answer = desk.post(f"/desk/fediverse/deliveries/{delivery.pk}/retry/", follow=True)
    assert "That delivery is not waiting to be retried." in answer.content.decode()
    run_worker()
    assert len(inbox_receiver.received) == 1


def test_the_fediverse_page_links_here_with_failing_servers(desk, db):
    RemoteServer.objects.create(host="down.example", failing_since=timezone.now())
    page = desk.get("/desk/fediverse/").content.decode()
    assert f'href="{PAGE}"' in page and "1 server failing" in page


def test_the_page_costs_the_same_queries_for_3_rows_as_for_23(desk, db, django_assert_num_queries):
    def fill(count):
        Delivery.objects.bulk_create(
            Delivery(
                activity=CREATE,
                activity_id=CREATE["id"],
                activity_type="Create",
                inbox=f"https://s{i}.example/inbox",
                host=f"s{i}.example",
                state="failed",
            )
            for i in range(count)
        )
        RemoteServer.objects.bulk_create(
            RemoteServer(host=f"s{i}.example", failing_since=timezone.now()) for i in range(count)
        )

    fill(3)
    desk.get(PAGE)
    with CaptureQueriesContext(connection) as three:
        desk.get(PAGE)
    Delivery.objects.all().delete()
    RemoteServer.objects.all().delete()
    fill(23)
    with django_assert_num_queries(len(three)):
        desk.get(PAGE)


def test_readers_cannot_see_or_retry(client, reader, db):
    server = RemoteServer.objects.create(host="down.example", unreachable_since=timezone.now())
    client.force_login(reader)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"/desk/fediverse/servers/{server.pk}/retry/").status_code == 403
    assert RemoteServer.objects.filter(unreachable_since__isnull=False).exists()


def test_authors_cannot_see_it(client, author_user):
    client.force_login(author_user)
    assert client.get(PAGE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(PAGE).status_code == 302
    assert client.post("/desk/fediverse/deliveries/1/retry/").status_code == 302


def test_retrying_needs_a_post(desk, db):
    assert desk.get("/desk/fediverse/deliveries/1/retry/").status_code == 405


def test_retrying_without_the_csrf_token_is_refused(moderator, db):
    server = RemoteServer.objects.create(host="down.example", unreachable_since=timezone.now())
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(f"/desk/fediverse/servers/{server.pk}/retry/").status_code == 403
    assert RemoteServer.objects.exists()
