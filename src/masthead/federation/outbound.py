"""Deliveries to followers: Create, Update and Delete of articles as they go public,
change or go away, and staff replies to the remote authors they answer. Each is a
background task, signed with the publication's key and retried with backoff."""

import datetime as dt
import json
import logging

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from masthead.discussion import signals as discussion_signals
from masthead.discussion.models import Comment
from masthead.federation import documents, signatures
from masthead.federation.keys import site_key
from masthead.federation.models import Follower, RemoteNote
from masthead.lib import outbound
from masthead.lib.tasks import run_later
from masthead.publishing import signals

logger = logging.getLogger(__name__)
# Waits before each further try: about a day and a half in all.
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 480, 1440)]


def follower_inboxes() -> list[str]:
    """One inbox per server where it has a shared one."""
    inboxes = Follower.objects.values_list("actor__shared_inbox", "actor__inbox")
    return sorted({shared or own for shared, own in inboxes})


@task()
def fan_out(activity: dict) -> int:
    inboxes = follower_inboxes()
    for inbox in inboxes:
        run_later(deliver, activity, inbox)
    return len(inboxes)


@task()
def deliver(activity: dict, inbox: str, attempt: int = 0) -> int:
    """POST one activity to one inbox; a failure is tried again later, a few times."""
    body = json.dumps(activity).encode()
    headers = {"Content-Type": documents.CONTENT_TYPE, "Accept": documents.CONTENT_TYPE}
    headers.update(
        signatures.sign_headers(
            "POST", inbox, key_id=documents.key_id(), private_pem=site_key().private_pem, body=body
        )
    )
    try:
        answer = outbound.request("POST", inbox, body=body, headers=headers, max_bytes=64 * 1024)
        status = answer.status
    except outbound.Refused as exc:
        logger.warning("Delivery of %s to %s failed: %s", activity.get("id"), inbox, exc)
        status = 0
    if 200 <= status < 300:
        return status
    permanent = status in (400, 401, 403, 404, 410, 422)
    if not permanent and attempt < len(BACKOFF):
        run_later(deliver, activity, inbox, attempt + 1, when=timezone.now() + BACKOFF[attempt])
    logger.warning("Delivery of %s to %s answered %s", activity.get("id"), inbox, status)
    return status


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
    note = documents.comment_note(comment, in_reply_to=answered.uri, to=[answered.actor.uri])
    create = documents.activity("Create", note)
    create["to"], create["cc"] = note["to"], note["cc"]
    run_later(deliver, create, answered.actor.inbox)


@receiver(discussion_signals.comment_submitted, dispatch_uid="masthead.federation.reply")
def _submitted(sender, comment, **kwargs):
    reply_to_remote(comment)


@receiver(discussion_signals.comment_status_changed, dispatch_uid="masthead.federation.approved")
def _approved(sender, comment, previous, **kwargs):
    reply_to_remote(comment)
