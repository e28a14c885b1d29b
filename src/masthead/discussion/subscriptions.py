"""Following a discussion or the whole site by email: ask, confirm, stop."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masthead.discussion import tasks
from masthead.discussion.models import Subscription
from masthead.discussion.querysets import target_field
from masthead.lib.emails import normalize_email
from masthead.publishing.models import Page, Post

# What a reader who ticked a "Notify me" box is told after posting.
CHECK_INBOX = (
    "Check your inbox: we sent a link to confirm you want these emails. "
    "Until you follow it, we send you nothing more."
)


def _scope(target: Post | Page | None) -> dict:
    """What a subscription follows: a post's or page's discussion, or (None) new posts."""
    if target is None:
        return {"post": None, "page": None}
    return {target_field(target): target}


@transaction.atomic
def request_subscription(
    email: str, *, target: Post | Page | None = None, post: Post | None = None
) -> Subscription:
    """Start a subscription to ``target``'s discussion (a post or page; ``post`` is the
    older name), or to new posts when neither is given; nothing is sent to it until the
    address confirms."""
    scope = _scope(target or post)
    subscription, _ = Subscription.objects.get_or_create(email=normalize_email(email), **scope)
    if not subscription.confirmed:
        tasks.send_later_once("confirmation", subscription.pk, subscription=subscription.pk)
    return subscription


@transaction.atomic
def confirm_subscription(token: str) -> Subscription | None:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is not None and not subscription.confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(token: str) -> Subscription | None:
    """Forget the subscription; the returned copy says what it was, for the page."""
    subscription = Subscription.objects.select_related("post", "page").filter(token=token).first()
    if subscription is not None:
        subscription.delete()
    return subscription


def awaiting_confirmation(
    email: str, *, target: Post | Page | None = None, site: bool = False
) -> bool:
    """Whether the address asked to follow ``target``, a post or page (or, with ``site``,
    new posts) and has yet to follow the confirmation link."""
    scopes = Q(**_scope(target)) if target is not None else Q()
    if site:
        scopes |= Q(**_scope(None))
    if not email or not scopes:
        return False
    unconfirmed = Subscription.objects.filter(confirmed_at__isnull=True)
    return unconfirmed.filter(scopes, email=normalize_email(email)).exists()
