"""Requests to addresses other people gave the site: webhooks, Fediverse servers.

A name is resolved once, every address it gives is checked, and the connection
goes to the address that was checked. A webhook or an actor URL therefore cannot
point the site at its own network, whether directly, through a name that
resolves inside it, or through a name whose answer changes between the check and
the connection. Redirects are never followed, and an answer is read only up to a
size limit.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import urllib3
from django.conf import settings

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1024 * 1024
# What the desk keeps of an answer or an error: enough to read the message.
EXCERPT_CHARS = 2000


class Refused(Exception):
    """The request was not made, or its answer not read; the message says why."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def excerpt(text: bytes | str) -> str:
    """The start of an answer's body or an error, as the desk shows it."""
    if isinstance(text, bytes):
        text = text[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    return text[:EXCERPT_CHARS]


def is_public_address(address: str) -> bool:
    """An address on the public internet: not loopback, private, link-local, reserved
    or multicast, IPv4 written as IPv6 included."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def private_allowed() -> bool:
    return bool(getattr(settings, "MASTHEAD_OUTBOUND_ALLOW_PRIVATE", False))


def check_url(url: str, *, allow_private: bool | None = None) -> tuple[SplitResult, str]:
    """The URL's parts and the address to connect to; Refused for any other URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Only http and https addresses with a host name are allowed.")
    if parts.username or parts.password:
        raise Refused("Addresses with a user name or password are not allowed.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise Refused("The address has an invalid port.") from exc
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"The host {parts.hostname} could not be resolved.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Refused(f"The host {parts.hostname} could not be resolved.")
    allow = private_allowed() if allow_private is None else allow_private
    if not allow:
        inside = [a for a in addresses if not is_public_address(a)]
        if inside:
            raise Refused(
                f"{parts.hostname} resolves to {inside[0]}, a loopback or private address."
            )
    return parts, addresses[0]


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
) -> Response:
    """Send one request to a checked address. Raises Refused when the address is not
    allowed, the server cannot be reached, or its answer is over ``max_bytes``."""
    parts, address = check_url(url, allow_private=allow_private)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    default_port = port == (443 if https else 80)
    sent = {"Host": parts.hostname if default_port else f"{parts.hostname}:{port}"}
    sent.update(headers or {})
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False}
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        answer = pool.urlopen(
            method, path, body=body, headers=sent, redirect=False, preload_content=False
        )
        try:
            data = answer.read(max_bytes + 1, decode_content=True)
        finally:
            answer.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise Refused(f"{parts.hostname} could not be reached: {exc}") from exc
    finally:
        pool.close()
    if len(data) > max_bytes:
        raise Refused(f"The answer from {parts.hostname} is larger than {max_bytes} bytes.")
    return Response(answer.status, dict(answer.headers.items()), data)
