"""The record of every delivery to a Fediverse inbox, and of the servers that keep
failing. A server every delivery to which has failed for
MASTHEAD_FEDERATION_DEAD_AFTER_DAYS is marked unreachable: nothing more is sent to it
until it is heard from again or staff retry it.

Each outcome is recorded by an UPDATE that claims the row as it was read, so a task
run twice by a restarted worker records one outcome and queues one retry.
"""

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from masthead.federation.models import UNDELIVERED, Delivery, DeliveryState, RemoteServer
from masthead.lib import outbound
from masthead.lib.retries import retry_delay

logger = logging.getLogger(__name__)
# A refusal that no retry changes: the server is up, it does not want this activity.
PERMANENT = frozenset((400, 401, 403, 404, 410, 422))
# A task run a little early (clocks, a deferred queue's granularity) is still on time.
EARLY = dt.timedelta(seconds=30)
KEEP_DAYS = 30


def dead_after() -> dt.timedelta:
    return dt.timedelta(days=settings.MASTHEAD_FEDERATION_DEAD_AFTER_DAYS)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_unreachable(host: str) -> bool:
    return RemoteServer.objects.filter(host=host, unreachable_since__isnull=False).exists()


def start(activity: dict, inbox: str) -> Delivery:
    """The record of a new delivery; skipped at once when its server is unreachable."""
    host = host_of(inbox)
    skipped = is_unreachable(host)
    return Delivery.objects.create(
        activity=activity,
        activity_id=str(activity.get("id", ""))[:500],
        activity_type=str(activity.get("type", ""))[:40],
        inbox=inbox,
        host=host,
        state=DeliveryState.SKIPPED if skipped else DeliveryState.PENDING,
        last_error="The server is marked unreachable." if skipped else "",
    )


def due(delivery_id: int) -> Delivery | None:
    """The delivery, if an attempt at it is due now; None for one delivered, given up,
    or already rescheduled by a later retry."""
    delivery = Delivery.objects.filter(
        pk=delivery_id, state__in=(DeliveryState.PENDING, DeliveryState.FAILED)
    ).first()
    if delivery is None:
        return None
    if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now() + EARLY:
        return None
    return delivery


def _claim(delivery: Delivery, **fields) -> bool:
    """Write the outcome over the row as it was read; False when another run did first."""
    fields.setdefault("updated_at", timezone.now())
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=delivery.state, attempts=delivery.attempts
    ).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return bool(claimed)


def skip(delivery: Delivery) -> bool:
    return _claim(
        delivery,
        state=DeliveryState.SKIPPED,
        next_attempt_at=None,
        last_error="The server is marked unreachable.",
    )


def answer_text(status: int, body: bytes) -> str:
    said = outbound.excerpt(body).strip()
    return outbound.excerpt(f"The server answered {status}: {said}" if said else "") or (
        f"The server answered {status}."
    )


@transaction.atomic
def record(delivery: Delivery, status: int | None, error: str) -> str:
    """Store one attempt's outcome: delivered, given up, or failed with its next attempt
    due (the caller queues it). A failure that outlasts the limit marks the server."""
    now = timezone.now()
    attempts = delivery.attempts + 1
    error = outbound.excerpt(error)
    if status is not None and 200 <= status < 300:
        if not _claim(
            delivery,
            state=DeliveryState.DELIVERED,
            activity={},  # never sent again: a whole article per server need not stay
            attempts=attempts,
            last_status=status,
            last_error=error,
            next_attempt_at=None,
        ):
            return "gone"
        RemoteServer.objects.filter(host=delivery.host).delete()
        return DeliveryState.DELIVERED
    if status in PERMANENT:
        claimed = _claim(
            delivery,
            state=DeliveryState.GIVEN_UP,
            attempts=attempts,
            last_status=status,
            last_error=error,
            next_attempt_at=None,
        )
        return DeliveryState.GIVEN_UP if claimed else "gone"
    server, _ = RemoteServer.objects.get_or_create(host=delivery.host)
    server = RemoteServer.objects.select_for_update().get(pk=server.pk)
    server.failing_since = server.failing_since or now
    server.last_error = error
    dead = now - server.failing_since >= dead_after()
    if not _claim(
        delivery,
        state=DeliveryState.GIVEN_UP if dead else DeliveryState.FAILED,
        attempts=attempts,
        last_status=status,
        last_error=error,
        next_attempt_at=None if dead else now + retry_delay(attempts),
    ):
        return "gone"
    if dead and server.unreachable_since is None:
        server.unreachable_since = now
        _skip_waiting(delivery.host, now)
        logger.warning("Fediverse server %s marked unreachable: %s", server.host, error)
    server.save(update_fields=["failing_since", "last_error", "unreachable_since"])
    return delivery.state


def _skip_waiting(host: str, now: dt.datetime) -> None:
    """Retries still waiting for a server taken for gone are not made."""
    Delivery.objects.filter(
        host=host, state__in=(DeliveryState.PENDING, DeliveryState.FAILED)
    ).update(
        state=DeliveryState.SKIPPED,
        next_attempt_at=None,
        last_error="The server is marked unreachable.",
        updated_at=now,
    )


def heard_from(host: str) -> None:
    """A server that sent a good activity is up: its failures stop counting."""
    found = RemoteServer.objects.filter(host=host)
    if found.exists():  # a read first: the inbox's hot path writes nothing most times
        found.delete()


def prune(days: int = KEEP_DAYS) -> int:
    """Forget deliveries finished more than ``days`` ago; those still being tried stay."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    finished = Delivery.objects.filter(updated_at__lt=cutoff).exclude(
        state__in=(DeliveryState.PENDING, DeliveryState.FAILED)
    )
    deleted, _ = finished.delete()
    return deleted


def failing_servers() -> list[RemoteServer]:
    """Servers failing now, the unreachable first, each with ``undelivered`` (how many
    of the deliveries kept have not arrived) and ``attempts`` (the tries they took)."""
    servers = list(
        RemoteServer.objects.order_by(
            models.F("unreachable_since").asc(nulls_last=True), "failing_since", "host"
        )
    )
    totals = (
        Delivery.objects.filter(host__in=[s.host for s in servers], state__in=UNDELIVERED)
        .values("host")
        .annotate(undelivered=models.Count("id"), attempts=models.Sum("attempts"))
    )
    by_host = {row["host"]: row for row in totals}
    for server in servers:
        found = by_host.get(server.host, {})
        server.undelivered = found.get("undelivered", 0)
        server.attempts = found.get("attempts") or 0
    return servers
