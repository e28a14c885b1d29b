"""Staff decisions about the Fediverse: whom the inbox refuses."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from masthead.federation import following
from masthead.federation.models import Block, Follower, Following

DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-.")


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
    """Refuse a domain (with its subdomains) or one actor; their follows end too."""
    fields = parse_block(target)
    block, _ = Block.objects.get_or_create(**fields, defaults={"reason": reason[:300]})
    end_follows(block)
    return block


def end_follows(block: Block) -> None:
    """The blocked stop getting the site's articles, and the publication stops following
    them (their server is told)."""
    for follower in Follower.objects.select_related("actor"):
        if _covers(block, follower.actor.uri):
            follower.delete()
    for followed in Following.objects.select_related("actor"):
        if _covers(block, followed.actor.uri):
            following.unfollow(followed)


def _covers(block: Block, uri: str) -> bool:
    host = (urlsplit(uri).hostname or "").lower()
    return uri == block.actor_uri or bool(
        block.domain and (host == block.domain or host.endswith("." + block.domain))
    )


def remove_block(block_id: int) -> None:
    Block.objects.filter(pk=block_id).delete()
