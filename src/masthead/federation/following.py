"""The publication as a follower: following an account by its handle or address, what
its server answers, and liking and replying to its articles from the desk. Every
activity goes out signed, in the background, through the deliveries' retries."""

import json
import re
import secrets
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from masthead.federation import blocks, documents, outbound, remote
from masthead.federation.documents import ident
from masthead.federation.models import (
    Following,
    FollowingState,
    LocalNote,
    RemoteActor,
    RemoteArticle,
)
from masthead.lib import outbound as guarded
from masthead.publishing import markup, sanitize

HANDLE = re.compile(r"@?([^@\s/?#]+)@([^@\s/?#]+)")
ASK_FOR = "Give an account as @someone@social.example, or the address of its profile."
MAX_REPLY = 5000


def webfinger(user: str, host: str) -> str:
    """The actor address ``host`` gives for ``user@host``. Servers speak HTTPS; plain
    HTTP is tried too only where private addresses are allowed (loopback servers in
    development and tests)."""
    resource = quote(f"acct:{user}@{host}", safe=":@")
    schemes = ["https", "http"] if guarded.private_allowed() else ["https"]
    for scheme in schemes:
        try:
            answer = guarded.request(
                "GET",
                f"{scheme}://{host}/.well-known/webfinger?resource={resource}",
                headers={"Accept": "application/jrd+json, application/json"},
                max_bytes=64 * 1024,
            )
            break
        except guarded.Refused as exc:
            failure = exc
    else:
        raise ValidationError(f"{host} could not be reached: {failure}")
    if answer.status in (404, 410):
        raise ValidationError(f"{host} knows no account {user}@{host}.")
    if not answer.ok:
        raise ValidationError(f"{host} answered {answer.status} when asked about {user}.")
    try:
        doc = json.loads(answer.body)
    except ValueError:
        raise ValidationError(f"{host} did not answer with WebFinger JSON.") from None
    links = doc.get("links") if isinstance(doc, dict) else None
    for item in links if isinstance(links, list) else []:
        if not isinstance(item, dict) or item.get("rel") != "self":
            continue
        href, kind = item.get("href"), str(item.get("type", ""))
        activity = kind.startswith(("application/activity+json", "application/ld+json"))
        if activity and isinstance(href, str) and href.startswith(("https://", "http://")):
            return href
    raise ValidationError(f"{host} gave no ActivityPub address for {user}@{host}.")


def resolve(target: str) -> RemoteActor:
    """The actor a typed handle or address names, fetched; a ValidationError says why
    not, for staff. Blocked servers are not asked anything."""
    target = target.strip()
    if target.startswith(("https://", "http://")):
        url = target
    else:
        handle = HANDLE.fullmatch(target)
        if handle is None:
            raise ValidationError(ASK_FOR)
        _refuse_blocked(f"https://{handle[2]}/")
        url = webfinger(handle[1], handle[2])
    _refuse_blocked(url)
    try:
        actor = remote.fetch_actor(url)
    except remote.Unreachable as exc:
        raise ValidationError(f"That account could not be read: {exc}") from None
    _refuse_blocked(actor.uri)
    return actor


def _refuse_blocked(url: str) -> None:
    if blocks.is_blocked(url):
        raise ValidationError(f"{urlsplit(url).hostname} is blocked on this site.")


def follow(target: str) -> Following:
    """Ask to follow an account; it stays pending until its server accepts."""
    actor = resolve(target)
    if actor.uri == documents.actor_id():
        raise ValidationError("That is this publication itself.")
    activity_id = f"{documents.actor_id()}#follows/{secrets.token_hex(8)}"
    with transaction.atomic():
        known = Following.objects.select_for_update().filter(actor=actor).first()
        if known is not None and known.state != FollowingState.REJECTED:
            raise ValidationError(
                f"The publication already follows {actor} ({known.get_state_display().lower()})."
            )
        found, _ = Following.objects.update_or_create(
            actor=actor,
            defaults={
                "state": FollowingState.PENDING,
                "follow_id": activity_id,
                "created_at": timezone.now(),
            },
        )
        outbound.queue(_follow(found), actor.inbox)
    return found


def _follow(following: Following) -> dict:
    return documents.addressed(
        "Follow", following.actor.uri, following.follow_id, to=[following.actor.uri]
    )


def unfollow(following: Following) -> None:
    """Stop following: the server is told (Undo), its articles leave the desk."""
    follow_ = _follow(following)
    del follow_["@context"]
    undo = documents.addressed(
        "Undo", follow_, following.follow_id + "/undo", to=[following.actor.uri]
    )
    with transaction.atomic():
        RemoteArticle.objects.filter(actor=following.actor).delete()
        following.delete()
        outbound.queue(undo, following.actor.inbox)


def on_answer(activity: dict, actor: RemoteActor) -> str:
    """Accept or Reject of the publication's Follow, from the account it asked only."""
    asked = Following.objects.filter(actor=actor, follow_id=ident(activity.get("object")))
    if not asked.exists():
        return "ignored"
    if activity.get("type") == "Accept":
        asked.update(state=FollowingState.ACCEPTED)
        return "accepted"
    with transaction.atomic():
        asked.update(state=FollowingState.REJECTED)
        RemoteArticle.objects.filter(actor=actor).delete()
    return "rejected"


def toggle_like(article: RemoteArticle) -> bool:
    """Like the article, or take the like back; True when it is liked now."""
    author = article.actor
    if article.like_id:
        like = documents.addressed("Like", article.uri, article.like_id, to=[author.uri])
        del like["@context"]
        activity = documents.addressed("Undo", like, article.like_id + "/undo", to=[author.uri])
        article.like_id = ""
    else:
        article.like_id = f"{documents.actor_id()}#likes/{secrets.token_hex(8)}"
        activity = documents.addressed("Like", article.uri, article.like_id, to=[author.uri])
    with transaction.atomic():
        article.save(update_fields=["like_id"])
        outbound.queue(activity, author.inbox)
    return bool(article.like_id)


def _checked(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError("Write the reply first.")
    if len(text) > MAX_REPLY:
        raise ValidationError(f"A reply holds at most {MAX_REPLY} characters.")
    return text


def _reply_html(author: RemoteActor, text: str) -> str:
    return sanitize.clean_comment(documents.mention_first(author, markup.render_comment(text)))


def reply(article: RemoteArticle, text: str, *, by=None) -> LocalNote:
    """A public reply from the publication, starting with the author's handle."""
    text = _checked(text)
    author = article.actor
    with transaction.atomic():
        note = LocalNote.objects.create(
            article=article,
            in_reply_to=article.uri,
            mention_uri=author.uri,
            mention_handle=author.handle,
            body=text,
            body_html=_reply_html(author, text),
            by=by,
        )
        doc = documents.local_note(note)
        create = documents.addressed(
            "Create", doc, doc["id"] + "#create", to=doc["to"], cc=doc["cc"]
        )
        outbound.queue(create, author.inbox)
    return note


def edit_reply(note: LocalNote, text: str) -> LocalNote:
    """The reply's new text, sent to the author's server as an Update of the note."""
    text = _checked(text)
    author = RemoteActor.objects.filter(uri=note.mention_uri).first()
    with transaction.atomic():
        note.body = text
        note.body_html = (
            _reply_html(author, text)
            if author
            else sanitize.clean_comment(markup.render_comment(text))
        )
        note.updated_at = timezone.now()
        note.save(update_fields=["body", "body_html", "updated_at"])
        if author is not None:
            doc = documents.local_note(note)
            update = documents.addressed(
                "Update",
                doc,
                f"{doc['id']}#update-{note.updated_at.timestamp():.0f}",
                to=doc["to"],
                cc=doc["cc"],
            )
            outbound.queue(update, author.inbox)
    return note


def delete_reply(note: LocalNote) -> None:
    """Take the reply back: its author's server is sent a Delete, and its address
    answers 404 from then on."""
    author = RemoteActor.objects.filter(uri=note.mention_uri).first()
    gone = documents.local_note_id(note)
    with transaction.atomic():
        note.delete()
        if author is not None:
            delete = documents.addressed(
                "Delete",
                documents.tombstone(gone),
                f"{gone}#delete",
                to=[documents.PUBLIC],
                cc=[author.uri],
            )
            outbound.queue(delete, author.inbox)
