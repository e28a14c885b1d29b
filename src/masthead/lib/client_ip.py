"""The reader's own address when Masthead runs behind reverse proxies.

Forwarding headers are believed only from a peer in MASTHEAD_TRUSTED_PROXIES,
and read from the right: each proxy appends the address it saw, while the
client can write anything it likes to the left.
"""

import ipaddress
import re
from collections.abc import Iterator, Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 7239 obfuscated identifiers ("_hidden") and ports ("_p1"), hiding a hop.
OBFUSCATED = re.compile(r"_[A-Za-z0-9._-]+")
PORT = re.compile(r"\d{1,5}|_[A-Za-z0-9._-]+")


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """Networks from comma-separated CIDRs or addresses; a typo stops the start
    rather than silently trusting nobody (or everybody)."""
    networks = []
    for entry in filter(None, (part.strip() for part in value.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"MASTHEAD_TRUSTED_PROXIES: {entry!r} is not an address or a network"
            ) from None
    return tuple(networks)


def client_address(peer: str, headers: Mapping[str, str], trusted: tuple[Network, ...]) -> str:
    """The right-most hop no trusted proxy accounts for; the peer when nothing is believable."""
    try:
        if not _is_trusted(_address(peer), trusted):
            return peer
        client = peer
        for hop in _hops(headers):
            if hop is None:  # the chain ends at a hidden hop: keep the last one we saw
                break
            client = str(hop)
            if not _is_trusted(hop, trusted):
                break
    except ValueError:  # a peer with no IP (a unix socket), or garbage from a trusted proxy
        return peer
    return client


def _hops(headers: Mapping[str, str]) -> Iterator[Address | None]:
    """The forwarding chain, nearest hop first; None for a hop that hid its address.

    Values are split on every comma and semicolon, quotes or not: no valid
    address holds either, and a quote the client leaves open must not swallow
    the hops our proxies appended after it. Only the hops actually reached are
    parsed, so junk on the client's side of the chain changes nothing.
    """
    # X-Forwarded-For first: it is what nginx and nearly every load balancer
    # append to, and they pass a client's own Forwarded header through untouched.
    forwarded_for = headers.get("X-Forwarded-For", "").strip()
    if forwarded_for:
        for entry in reversed(forwarded_for.split(",")):
            yield _node(entry)
        return
    forwarded = headers.get("Forwarded", "").strip()
    for element in reversed(forwarded.split(",")) if forwarded else ():
        yield _node(_for_value(element))


def _for_value(element: str) -> str:
    for pair in element.split(";"):
        name, equals, value = pair.partition("=")
        if not equals:
            raise ValueError(f"not a forwarded-pair: {pair!r}")
        if name.strip().lower() == "for":
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value
    return "unknown"  # a hop that names no client hides it


def _node(text: str) -> Address | None:
    """An address with or without a port, IPv6 bracketed or bare; None when hidden."""
    text = text.strip()
    if text.lower() == "unknown" or OBFUSCATED.fullmatch(text):
        return None
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest[0] == ":" and PORT.fullmatch(rest[1:]))):
            raise ValueError(f"not a bracketed address: {text!r}")
        return _address(host, version=6)
    if text.count(":") == 1:  # IPv4 with a port
        host, port = text.split(":")
        if not PORT.fullmatch(port):
            raise ValueError(f"not a port: {port!r}")
        return _address(host, version=4)
    return _address(text)


def _address(text: str, version: int | None = None) -> Address:
    """The address, IPv4-mapped IPv6 (::ffff:10.0.0.1) taken as the IPv4 it carries."""
    address = ipaddress.ip_address(text)
    if version and address.version != version:
        raise ValueError(f"not an IPv{version} address: {text!r}")
    mapped = getattr(address, "ipv4_mapped", None)
    return address if mapped is None else mapped


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted)


def _peer_trusted(peer: str, trusted: tuple[Network, ...]) -> bool:
    try:
        return _is_trusted(_address(peer), trusted)
    except ValueError:
        return False


def request_scheme(environ) -> str:
    """The scheme Django will take a WSGI request to have, read before Django sees it.

    The forwarded scheme counts, as SECURE_PROXY_SSL_HEADER says, only when no
    proxy list is set or the peer is on it (the middleware below drops it otherwise).
    """
    header = settings.SECURE_PROXY_SSL_HEADER
    trusted = tuple(settings.MASTHEAD_TRUSTED_PROXIES)
    believed = not trusted or _peer_trusted(environ.get("REMOTE_ADDR", ""), trusted)
    if header and header[0] in environ and believed:
        said = environ[header[0]].split(",", 1)[0].strip()
        return "https" if said == header[1] else "http"
    return environ.get("wsgi.url_scheme", "http")


class TrustedProxyMiddleware:
    """Puts the reader's address in REMOTE_ADDR, the peer's in MASTHEAD_PEER_ADDR.

    Everything that reads REMOTE_ADDR (rate limits, blocked addresses, stored
    comment addresses, allauth) then sees the reader, not the proxy. First in
    MIDDLEWARE so nothing reads the address before it is right.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Parsed in settings.py; read once per handler, i.e. once per worker.
        self.trusted = tuple(settings.MASTHEAD_TRUSTED_PROXIES)

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        request.META["MASTHEAD_PEER_ADDR"] = peer
        if self.trusted and not _peer_trusted(peer, self.trusted):
            # Otherwise anyone could claim HTTPS past SECURE_PROXY_SSL_HEADER.
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        request.META["REMOTE_ADDR"] = client_address(peer, request.headers, self.trusted)
        return self.get_response(request)
