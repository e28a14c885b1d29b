"""The JSON documents the site shows the Fediverse: plain JSON with the ActivityStreams
context, as Mastodon sends and reads it."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from masthead.federation.keys import site_key

AS = "https://www.w3.org/ns/activitystreams"
SECURITY = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTENT_TYPE = "application/activity+json"


def username() -> str:
    return getattr(settings, "MASTHEAD_FEDERATION_USERNAME", "news")


def host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def actor_id() -> str:
    return absolute(reverse("federation:actor"))


def key_id() -> str:
    return actor_id() + "#main-key"


def post_id(post) -> str:
    """An article's id is its public address, so a search for the link finds it."""
    return absolute(post.get_absolute_url())


def comment_id(comment) -> str:
    return absolute(reverse("federation:comment", args=[comment.pk]))


def ident(value) -> str:
    """An object's id, whether the object is embedded or given by its id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def stamp(when) -> str | None:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def actor() -> dict:
    url = absolute("/")
    return {
        "@context": [AS, SECURITY],
        "id": actor_id(),
        "type": "Service",
        "preferredUsername": username(),
        "name": settings.SITE_NAME,
        "summary": getattr(settings, "MASTHEAD_FEDERATION_SUMMARY", "")
        or f"Articles from {settings.SITE_NAME}. Reply to one and your reply is shown "
        "under it on the site once a moderator approves it.",
        "url": url,
        "icon": {"type": "Image", "mediaType": "image/png", "url": absolute("/favicon.ico")},
        "inbox": absolute(reverse("federation:inbox")),
        "outbox": absolute(reverse("federation:outbox")),
        "followers": absolute(reverse("federation:followers")),
        "endpoints": {"sharedInbox": absolute(reverse("federation:inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {"id": key_id(), "owner": actor_id(), "publicKeyPem": site_key().public_pem},
    }


def article(post) -> dict:
    url = post_id(post)
    doc = {
        "@context": AS,
        "id": url,
        "type": "Article",
        "name": post.title,
        "summary": post.excerpt or None,
        "content": post.body_html,
        "url": url,
        "attributedTo": actor_id(),
        "published": stamp(post.published_at),
        "updated": stamp(post.updated_at) if post.was_updated else None,
        "to": [PUBLIC],
        "cc": [absolute(reverse("federation:followers"))],
        # Embedded, as Mastodon does: some readers take a bare link for no collection.
        "replies": {
            "id": absolute(reverse("federation:replies", args=[post.pk])),
            "type": "OrderedCollection",
            "totalItems": post.comment_count,
        },
    }
    figure = post.lead_figure
    if figure is not None and figure.image:
        doc["image"] = {
            "type": "Image",
            "url": absolute(figure.image.url),
            "name": figure.alt_text,
        }
    return {k: v for k, v in doc.items() if v is not None}


def activity(kind: str, obj, *, suffix: str = "") -> dict:
    ident = obj["id"] if isinstance(obj, dict) else obj
    return {
        "@context": AS,
        "id": f"{ident}#{kind.lower()}{suffix}",
        "type": kind,
        "actor": actor_id(),
        "to": [PUBLIC],
        "cc": [absolute(reverse("federation:followers"))],
        "object": obj,
    }


def tombstone(url: str) -> dict:
    return {"id": url, "type": "Tombstone"}


def comment_note(comment, *, in_reply_to: str, to: list[str], mention=None) -> dict:
    """A comment on the site as a note; ``mention``, the remote actor a staff reply
    answers, is named at the start of the text, as Mastodon users write a reply."""
    doc = {
        "@context": AS,
        "id": comment_id(comment),
        "type": "Note",
        "attributedTo": actor_id(),
        "inReplyTo": in_reply_to,
        "content": comment.body_html,
        "url": absolute(comment.target.get_absolute_url()) + f"#comment-{comment.pk}",
        "published": stamp(comment.created_at),
        "to": to,
        "cc": [PUBLIC],
    }
    if mention is not None:
        tag = {"type": "Mention", "href": mention.uri}
        if mention.handle:
            tag["name"] = mention.handle
        doc["tag"] = [tag]
        doc["content"] = mention_first(mention, comment.body_html)
    return doc


def mention_first(actor, body_html: str) -> str:
    """``body_html`` opening with a link to the actor by handle, inside its first paragraph."""
    name = escape(actor.handle or actor.uri)
    link = f'<span class="h-card"><a href="{escape(actor.profile_url or actor.uri)}"'
    link += f' class="u-url mention">{name}</a></span> '
    if body_html.startswith("<p>"):
        return "<p>" + link + body_html.removeprefix("<p>")
    return f"<p>{link}</p>{body_html}"


def collection(ident: str, items: list, *, total: int | None = None) -> dict:
    return {
        "@context": AS,
        "id": ident,
        "type": "OrderedCollection",
        "totalItems": len(items) if total is None else total,
        "orderedItems": items,
    }


def local_note_id(note) -> str:
    return absolute(reverse("federation:note", args=[note.pk]))


def local_note(note) -> dict:
    """A reply the publication sent from the desk: public, to the author it mentions."""
    mention = {"type": "Mention", "href": note.mention_uri}
    if note.mention_handle:
        mention["name"] = note.mention_handle
    doc = {
        "@context": AS,
        "id": local_note_id(note),
        "type": "Note",
        "attributedTo": actor_id(),
        "inReplyTo": note.in_reply_to,
        "content": note.body_html,
        "published": stamp(note.created_at),
        "to": [PUBLIC],
        "cc": [note.mention_uri],
        "tag": [mention],
    }
    if note.updated_at:
        doc["updated"] = stamp(note.updated_at)
    return doc


def addressed(kind: str, obj, activity_id: str, *, to: list[str], cc=()) -> dict:
    """An activity of the publication's to the given actors only (not to its followers)."""
    return {
        "@context": AS,
        "id": activity_id,
        "type": kind,
        "actor": actor_id(),
        "to": to,
        "cc": list(cc),
        "object": obj,
    }
