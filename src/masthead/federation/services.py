"""Staff decisions about the Fediverse: whom the inbox refuses, and what is sent again."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from masthead.federation import avatars, following, outbound
from masthead.federation.blocks import covers
from masthead.federation.models import (
    UNDELIVERED,
    Block,
    Delivery,
    DeliveryState,
    Follower,
    Following,
    RemoteActor,
    RemoteServer,
)
from masthead.lib.tasks import run_later

DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-.")
# A server back from the dead gets its latest missed activities, not months of them.
RETRY_AT_ONCE = 100


def parse_block(target: str) -> dict:
    """A typed block target as the fields of a Block: an actor's address, or a domain.
    A ``@user@host`` handle is refused: accounts are blocked by their address, which
    is what activities name. Raises ValidationError with a message for staff."""
    target = target.strip()
    if target.startswith(("http://", "https://")):
        try:
            URLValidator()(target)
        except ValidationError:
            raise ValidationError("That is not a valid address.") from None
        return {"actor_uri": target}
    domain = target.lower().removeprefix("*.").rstrip(".")
    if not domain or "." not in domain or not set(domain) <= DOMAIN_CHARS:
        raise ValidationError(
            "Give a domain such as spam.example, or an actor's address such as "
            "https://spam.example/users/someone."
        )
    return {"domain": domain}


@transaction.atomic
def add_block(target: str, reason: str = "") -> Block:
    """Refuse a domain (with its subdomains) or one actor; their follows end too, and
    their avatars are no longer kept."""
    fields = parse_block(target)
    block, _ = Block.objects.get_or_create(**fields, defaults={"reason": reason[:300]})
    end_follows(block)
    for actor in RemoteActor.objects.exclude(avatar=""):
        if covers(block, actor.uri):
            avatars.forget(actor)
    return block


def end_follows(block: Block) -> None:
    """The blocked stop getting the site's articles, and the publication stops following
    them (their server is told)."""
    for follower in Follower.objects.select_related("actor"):
        if covers(block, follower.actor.uri):
            follower.delete()
    for followed in Following.objects.select_related("actor"):
        if covers(block, followed.actor.uri):
            following.unfollow(followed)


def remove_block(block_id: int) -> None:
    Block.objects.filter(pk=block_id).delete()


@transaction.atomic
def retry_delivery(delivery: Delivery) -> Delivery:
    """Send one undelivered activity again now; a server marked unreachable is given
    another chance with it."""
    RemoteServer.objects.filter(host=delivery.host, unreachable_since__isnull=False).delete()
    _send_again([delivery.pk])
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def retry_server(server: RemoteServer) -> int:
    """Clear a server's failures and send again what it has not received lately."""
    waiting = Delivery.objects.filter(host=server.host, state__in=UNDELIVERED)
    ids = list(waiting.order_by("-updated_at").values_list("pk", flat=True)[:RETRY_AT_ONCE])
    server.delete()
    _send_again(ids)
    return len(ids)


@transaction.atomic
def _send_again(ids: list[int]) -> None:
    again = Delivery.objects.filter(pk__in=ids, state__in=UNDELIVERED)
    ids = list(again.values_list("pk", flat=True))
    now = timezone.now()
    Delivery.objects.filter(pk__in=ids).update(
        state=DeliveryState.PENDING, next_attempt_at=now, updated_at=now
    )
    for pk in ids:
        run_later(outbound.deliver, pk)
