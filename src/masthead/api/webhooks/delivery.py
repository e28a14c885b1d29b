"""Sending one delivery from the background worker, and what a failure leads to: the
next attempt after a backoff, and a hook that has failed for days disabled.

Each attempt is its own ``Delivery`` row, so the desk shows every answer a
receiver gave. The request is made outside any transaction (a slow receiver must
not hold the database), and its outcome is then recorded by an UPDATE that claims
the pending row: a task run twice by a restarted worker records one outcome.
"""

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.api.webhooks import signing
from masthead.api.webhooks.models import PING, Delivery, DeliveryStatus, Webhook
from masthead.lib import outbound
from masthead.lib.retries import retry_delay
from masthead.lib.tasks import run_later

logger = logging.getLogger(__name__)

TIMEOUT = 10.0
# An answer this large is read no further; the status code is what counts.
MAX_ANSWER = 256 * 1024


def disable_after() -> dt.timedelta:
    return dt.timedelta(days=settings.MASTHEAD_WEBHOOK_DISABLE_AFTER_DAYS)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    body: str = ""
    error: str = ""
    duration_ms: int = 0


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def headers_for(delivery: Delivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": f"Masthead-Webhooks (+{settings.SITE_URL})",
        "Masthead-Event": delivery.event,
        "Masthead-Delivery": str(delivery.pk),
        signing.HEADER: signing.signature_header(delivery.hook.secret, body),
    }


def send(delivery: Delivery) -> Outcome:
    """POST the delivery once; any answer but 2xx, and any refusal or timeout, fails."""
    body = body_of(delivery)
    started = time.monotonic()
    try:
        answer = outbound.request(
            "POST",
            delivery.hook.url,
            body=body,
            headers=headers_for(delivery, body),
            timeout=TIMEOUT,
            max_bytes=MAX_ANSWER,
        )
    except outbound.Refused as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(ok=False, error=outbound.excerpt(str(exc)), duration_ms=elapsed)
    elapsed = int((time.monotonic() - started) * 1000)
    text = outbound.excerpt(answer.body)
    error = "" if answer.ok else f"The receiver answered {answer.status}."
    return Outcome(answer.ok, answer.status, text, error, elapsed)


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at a pending delivery; what became of it."""
    delivery = (
        Delivery.objects.select_related("hook")
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None:
        return "gone"
    if not delivery.hook.active and delivery.event != PING:
        _finish(delivery, DeliveryStatus.GIVEN_UP, Outcome(False, error="The hook is disabled."))
        return DeliveryStatus.GIVEN_UP
    return record(delivery, send(delivery))


@transaction.atomic
def record(delivery: Delivery, outcome: Outcome) -> str:
    """Store the attempt's outcome; after a failure, queue the next attempt or disable."""
    if outcome.ok:
        if not _finish(delivery, DeliveryStatus.DELIVERED, outcome):
            return "gone"
        if delivery.event != PING:
            Webhook.objects.filter(pk=delivery.hook_id).update(failing_since=None)
        return DeliveryStatus.DELIVERED
    if delivery.event == PING:
        _finish(delivery, DeliveryStatus.FAILED, outcome)
        return DeliveryStatus.FAILED
    hook = Webhook.objects.select_for_update().filter(pk=delivery.hook_id).first()
    if hook is None:  # deleted while the request was out, its log with it
        return "gone"
    now = timezone.now()
    if hook.failing_since is None:
        hook.failing_since = now
        hook.save(update_fields=["failing_since"])
    overdue = hook.active and now - hook.failing_since >= disable_after()
    retry = hook.active and not overdue
    status = DeliveryStatus.FAILED if retry else DeliveryStatus.GIVEN_UP
    if not _finish(delivery, status, outcome, retry=retry):
        return "gone"
    if retry:
        _queue_retry(delivery)
    if overdue:
        disable(hook, outcome.error)
    logger.warning(
        "Webhook %s: %s attempt %d failed: %s",
        hook.pk,
        delivery.event,
        delivery.attempt,
        outcome.error,
    )
    return status


def _finish(delivery: Delivery, status: str, outcome: Outcome, *, retry: bool = False) -> bool:
    """Claim the pending row for its outcome; False when another run recorded one."""
    now = timezone.now()
    delivery.status = status
    delivery.next_attempt_at = now + retry_delay(delivery.attempt) if retry else None
    delivery.finished_at = now
    fields = {
        "status": status,
        "response_status": outcome.status,
        "response_body": outcome.body,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
        "next_attempt_at": delivery.next_attempt_at,
        "finished_at": now,
    }
    pending = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING)
    return bool(pending.update(**fields))


def _queue_retry(failed: Delivery) -> Delivery:
    retry = Delivery.objects.create(
        hook_id=failed.hook_id,
        event=failed.event,
        event_id=failed.event_id,
        payload=failed.payload,
        attempt=failed.attempt + 1,
        next_attempt_at=failed.next_attempt_at,
    )
    run_later(deliver, retry.pk, when=failed.next_attempt_at)
    return retry


def disable(hook: Webhook, last_error: str) -> None:
    """Turn the hook off, drop what it still had to send, and tell people (once)."""
    from masthead.api.webhooks import mail

    days = settings.MASTHEAD_WEBHOOK_DISABLE_AFTER_DAYS
    since = timezone.localtime(hook.failing_since).strftime("%Y-%m-%d %H:%M %Z")
    reason = f"Every delivery failed for {days} days, since {since}. Last error: {last_error}"
    hook.active = False
    hook.disabled_at = timezone.now()
    hook.disabled_reason = reason[:300]
    hook.save(update_fields=["active", "disabled_at", "disabled_reason"])
    Delivery.objects.filter(hook=hook, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.GIVEN_UP,
        finished_at=hook.disabled_at,
        error="The hook was disabled.",
    )
    run_later(mail.send_disabled_notice, hook.pk)
