"""Fetching remote actors: through the SSRF-guarded client, signed (some servers ask
for that), and kept in the database so a busy inbox does not refetch them; their
icons are fetched apart, in the background (federation.avatars)."""

import datetime as dt
import json
from urllib.parse import urldefrag, urlsplit

from django.utils import timezone

from masthead.federation import avatars, documents, signatures
from masthead.federation.keys import site_key
from masthead.federation.models import RemoteActor
from masthead.lib import outbound

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
# A cached actor is refetched after this long anyway.
FRESH_FOR = dt.timedelta(days=1)
MAX_DOCUMENT = 256 * 1024


class Unreachable(Exception):
    """The remote document could not be had or read; the message says why."""


def get_json(url: str) -> dict:
    headers = {"Accept": ACCEPT}
    headers.update(
        signatures.sign_headers(
            "GET", url, key_id=documents.key_id(), private_pem=site_key().private_pem
        )
    )
    try:
        answer = outbound.request("GET", url, headers=headers, max_bytes=MAX_DOCUMENT)
    except outbound.Refused as exc:
        raise Unreachable(str(exc)) from exc
    if not answer.ok:
        raise Unreachable(f"{url} answered {answer.status}.")
    try:
        doc = json.loads(answer.body)
    except ValueError as exc:
        raise Unreachable(f"{url} did not answer with JSON.") from exc
    if not isinstance(doc, dict):
        raise Unreachable(f"{url} did not answer with a JSON object.")
    return doc


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor owning ``key_id``, from the database unless stale or ``refresh``."""
    known = RemoteActor.objects.filter(key_id=key_id).first()
    if known and not refresh and timezone.now() - known.fetched_at < FRESH_FOR:
        return known
    return fetch_actor(urldefrag(key_id).url)


def actor(uri: str) -> RemoteActor:
    known = RemoteActor.objects.filter(uri=uri).first()
    if known and timezone.now() - known.fetched_at < FRESH_FOR:
        return known
    return fetch_actor(uri)


def fetch_actor(uri: str) -> RemoteActor:
    doc = get_json(uri)
    if doc.get("type") not in ("Person", "Service", "Application", "Group", "Organization"):
        # A key document points at its owner.
        owner = doc.get("owner") or (doc.get("publicKey") or {}).get("owner")
        if not owner or owner == uri:
            raise Unreachable(f"{uri} is not an actor.")
        doc = get_json(owner)
    ident = doc.get("id")
    key = doc.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    inbox = doc.get("inbox")
    if not (isinstance(ident, str) and isinstance(inbox, str) and key.get("publicKeyPem")):
        raise Unreachable(f"{uri} lacks an id, an inbox or a public key.")
    if _host(ident) != _host(uri) or _host(key.get("id", ident)) != _host(ident):
        raise Unreachable(f"{uri} names an actor or key on another host.")
    endpoints = doc.get("endpoints") or {}
    icon = doc.get("icon") or {}
    if isinstance(icon, list):
        icon = icon[0] if icon else {}
    handle = (
        f"@{doc.get('preferredUsername', '')}@{_host(ident)}"
        if doc.get("preferredUsername")
        else ""
    )
    values = {
        "key_id": key.get("id", ident)[:500],
        "public_pem": key["publicKeyPem"],
        "inbox": inbox[:500],
        "shared_inbox": str(endpoints.get("sharedInbox") or "")[:500],
        "name": str(doc.get("name") or doc.get("preferredUsername") or "")[:200],
        "handle": handle[:200],
        "icon_url": str(icon.get("url") or "")[:500] if isinstance(icon, dict) else "",
        "profile_url": str(doc.get("url") if isinstance(doc.get("url"), str) else ident)[:500],
        "fetched_at": timezone.now(),
    }
    found, _ = RemoteActor.objects.update_or_create(uri=ident, defaults=values)
    avatars.hold_later(found)
    return found


def _host(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()
