"""Whom a block covers: one actor by its address, or a domain with its subdomains."""

from urllib.parse import urlsplit

from masthead.federation.models import Block


def is_blocked(uri: str) -> bool:
    """Whether the actor, or its domain or a parent domain of it, is blocked."""
    domain = (urlsplit(uri).hostname or "").lower()
    parents = {".".join(domain.split(".")[i:]) for i in range(len(domain.split(".")))}
    return (
        Block.objects.filter(actor_uri=uri).exists()
        or Block.objects.filter(domain__in=parents).exclude(domain="").exists()
    )


def covers(block: Block, uri: str) -> bool:
    host = (urlsplit(uri).hostname or "").lower()
    return uri == block.actor_uri or bool(
        block.domain and (host == block.domain or host.endswith("." + block.domain))
    )
