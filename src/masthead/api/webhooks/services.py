"""Registering hooks and queueing events for them; every entry point (the desk, the
signal receivers, later the API) goes through these."""

import datetime as dt
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from masthead.api.webhooks import payloads
from masthead.api.webhooks.delivery import deliver
from masthead.api.webhooks.models import PING, Delivery, DeliveryStatus, Event, Webhook, new_secret
from masthead.lib.tasks import run_later


@transaction.atomic
def create_hook(*, url: str, events: list[str], description: str = "", by=None) -> Webhook:
    return Webhook.objects.create(
        url=url, events=_known(events), description=description, created_by=by
    )


@transaction.atomic
def update_hook(hook: Webhook, *, url: str, events: list[str], description: str = "") -> Webhook:
    hook.url, hook.events, hook.description = url, _known(events), description
    hook.save(update_fields=["url", "events", "description"])
    return hook


@transaction.atomic
def delete_hook(hook: Webhook) -> None:
    hook.delete()


@transaction.atomic
def reenable_hook(hook: Webhook) -> Webhook:
    """On again with a clean record: the next failure starts a new count of days."""
    hook.active = True
    hook.failing_since = hook.disabled_at = None
    hook.disabled_reason = ""
    hook.save(update_fields=["active", "failing_since", "disabled_at", "disabled_reason"])
    return hook


@transaction.atomic
def new_hook_secret(hook: Webhook) -> Webhook:
    """A fresh secret (one lost or leaked); deliveries signed from now on use it."""
    hook.secret = new_secret()
    hook.save(update_fields=["secret"])
    return hook


@transaction.atomic
def send_ping(hook: Webhook) -> Delivery:
    """A signed test event, sent once by the worker whether or not the hook is on."""
    return _queue(hook, payloads.envelope(PING, payloads.ping_data()))


def queue_event(event: str, data: Callable[[], dict]) -> list[Delivery]:
    """One delivery per active hook that asked for ``event``, all with the same event id,
    committed with the change that caused them. ``data`` builds the payload's data,
    only when some hook listens."""
    hooks = Webhook.objects.listening(event)
    if not hooks:
        return []
    payload = payloads.envelope(event, data(), event_id=uuid.uuid4())
    with transaction.atomic():
        return [_queue(hook, payload) for hook in hooks]


def _queue(hook: Webhook, payload: dict) -> Delivery:
    delivery = Delivery.objects.create(
        hook=hook, event=payload["event"], event_id=payload["id"], payload=payload
    )
    run_later(deliver, delivery.pk)
    return delivery


def _known(events: list[str]) -> list[str]:
    return [e for e in Event.values if e in events]


# The desk shows a hook's recent answers; older records only grow the database.
KEEP_DAYS = 30


def prune_deliveries(days: int = KEEP_DAYS) -> int:
    """Forget delivery records older than ``days``; one still waiting to be sent stays."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING)
    deleted, _ = old.delete()
    return deleted
