"""Deliveries to followers: Create, Update and Delete of articles as they go public,
change or go away, and staff replies to the remote authors they answer. Each is a
background task, signed with the publication's key, recorded for the desk
(federation.deliveries) and retried with backoff."""

import json
import logging

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from masthead.discussion import signals as discussion_signals
from masthead.discussion.models import Comment
from masthead.federation import deliveries, documents, signatures
from masthead.federation.keys import site_key
from masthead.federation.models import Delivery, DeliveryState, Follower, RemoteNote
from masthead.lib import outbound
from masthead.lib.tasks import run_later
from masthead.publishing import signals

logger = logging.getLogger(__name__)
MAX_ANSWER = 64 * 1024


def follower_inboxes() -> list[str]:
    """One inbox per server where it has a shared one."""
    inboxes = Follower.objects.values_list("actor__shared_inbox", "actor__inbox")
    return sorted({shared or own for shared, own in inboxes})


@task()
def fan_out(activity: dict) -> int:
    inboxes = follower_inboxes()
    for inbox in inboxes:
        queue(activity, inbox)
    return len(inboxes)


def queue(activity: dict, inbox: str) -> Delivery:
    """Record a delivery and send it from the worker, unless its server is unreachable."""
    delivery = deliveries.start(activity, inbox)
    if delivery.state == DeliveryState.PENDING:
        run_later(deliver, delivery.pk)
    return delivery


@task()
def deliver(delivery_id: int, *queued_before_records) -> str:
    """One attempt at one delivery; a failure is tried again later, until its server
    has failed for days. Returns what became of it."""
    if isinstance(delivery_id, dict):
        # Queued by a release that kept no records, as (activity, inbox, attempt):
        # recorded now and sent as any other, so an upgrade loses no retry.
        return queue(delivery_id, queued_before_records[0]).state
    delivery = deliveries.due(delivery_id)
    if delivery is None:
        return "gone"
    if deliveries.is_unreachable(delivery.host):
        deliveries.skip(delivery)
        return DeliveryState.SKIPPED
    status, error = post(delivery.activity, delivery.inbox)
    state = deliveries.record(delivery, status, error)
    if state == DeliveryState.FAILED:
        run_later(deliver, delivery.pk, when=delivery.next_attempt_at)
    if state != DeliveryState.DELIVERED:
        logger.warning("Delivery of %s to %s: %s", delivery.activity_id, delivery.inbox, error)
    return state


def post(activity: dict, inbox: str) -> tuple[int | None, str]:
    """POST the activity, signed; the status (None when there was no answer) and what
    went wrong, if anything."""
    body = json.dumps(activity).encode()
    headers = {"Content-Type": documents.CONTENT_TYPE, "Accept": documents.CONTENT_TYPE}
    headers.update(
        signatures.sign_headers(
            "POST", inbox, key_id=documents.key_id(), private_pem=site_key().private_pem, body=body
        )
    )
    try:
        answer = outbound.request("POST", inbox, body=body, headers=headers, max_bytes=MAX_ANSWER)
    except outbound.Refused as exc:
        return None, str(exc)
    if answer.ok:
        return answer.status, ""
    return answer.status, deliveries.answer_text(answer.status, answer.body)


def _send(activity: dict) -> None:
    if Follower.objects.exists():
        run_later(fan_out, activity)


@receiver(signals.post_published, dispatch_uid="masthead.federation.published")
def _published(sender, post, **kwargs):
    _send(documents.activity("Create", documents.article(post)))


@receiver(signals.post_updated, dispatch_uid="masthead.federation.updated")
def _updated(sender, post, **kwargs):
    stamp = int(timezone.now().timestamp())
    _send(documents.activity("Update", documents.article(post), suffix=f"-{stamp}"))


@receiver(signals.post_unpublished, dispatch_uid="masthead.federation.unpublished")
def _unpublished(sender, post, **kwargs):
    if post.published_at is None:
        return
    url = documents.absolute(post.get_absolute_url()) if post.slug else ""
    if url:
        stamp = int(timezone.now().timestamp())
        _send(documents.activity("Delete", documents.tombstone(url), suffix=f"-{stamp}"))


def reply_to_remote(comment: Comment) -> None:
    """A staff member's visible reply to a Fediverse comment goes to its author."""
    if comment.user_id is None or not comment.is_visible or comment.parent_id is None:
        return
    if not getattr(comment.user, "is_staff", False):
        return
    answered = RemoteNote.objects.filter(comment_id=comment.parent_id).select_related("actor")
    answered = answered.first()
    if answered is None:
        return
    note = documents.comment_note(
        comment, in_reply_to=answered.uri, to=[answered.actor.uri], mention=answered.actor
    )
    create = documents.activity("Create", note)
    create["to"], create["cc"] = note["to"], note["cc"]
    queue(create, answered.actor.inbox)


@receiver(discussion_signals.comment_submitted, dispatch_uid="masthead.federation.reply")
def _submitted(sender, comment, **kwargs):
    reply_to_remote(comment)


@receiver(discussion_signals.comment_status_changed, dispatch_uid="masthead.federation.approved")
def _approved(sender, comment, previous, **kwargs):
    reply_to_remote(comment)
