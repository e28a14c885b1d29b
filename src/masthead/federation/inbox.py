"""What each activity sent to the inbox does. The view has checked the signature and
that ``actor`` sent it; these check that the activity is theirs to send."""

import html
import logging
import re
from urllib.parse import urldefrag, urlsplit

import nh3
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.querysets import target_key
from masthead.federation import avatars, documents, following, timeline
from masthead.federation.documents import ident as _id
from masthead.federation.models import (
    Follower,
    Following,
    Reaction,
    RemoteActor,
    RemoteArticle,
    RemoteNote,
)
from masthead.lib import pagecache
from masthead.publishing.models import Post

logger = logging.getLogger(__name__)
REACTIONS = {"Like": "like", "Announce": "announce"}
FEDIVERSE = "fediverse"


def handle(activity: dict, actor: RemoteActor) -> str:
    """Act on one activity; a short word for the log and the tests of what was done."""
    kind = activity.get("type")
    handler = HANDLERS.get(kind)
    if handler is None:
        return "ignored"
    return handler(activity, actor)


def on_follow(activity: dict, actor: RemoteActor) -> str:
    if _id(activity.get("object")) != documents.actor_id():
        return "ignored"
    from masthead.federation import outbound

    with transaction.atomic():
        Follower.objects.update_or_create(actor=actor, defaults={"follow_id": _id(activity)[:500]})
        accept = documents.activity("Accept", activity, suffix="")
        accept["id"] = documents.actor_id() + "#accepts/" + _digest(_id(activity))
        del accept["to"], accept["cc"]
        accept["to"] = [actor.uri]
        outbound.queue(accept, actor.inbox)
    return "followed"


def on_undo(activity: dict, actor: RemoteActor) -> str:
    undone = activity.get("object")
    kind = undone.get("type") if isinstance(undone, dict) else None
    if kind == "Follow" or (
        kind is None and Follower.objects.filter(actor=actor, follow_id=_id(undone)).exists()
    ):
        Follower.objects.filter(actor=actor).delete()
        return "unfollowed"
    if kind in REACTIONS:
        post = post_for(_id(undone.get("object")))
        if post is not None:
            Reaction.objects.filter(post=post, kind=REACTIONS[kind], actor_uri=actor.uri).delete()
            pagecache.invalidate(target_key(post))
            return "unreacted"
    return "ignored"


def on_reaction(activity: dict, actor: RemoteActor) -> str:
    post = post_for(_id(activity.get("object")))
    if post is None:
        return "ignored"
    try:
        with transaction.atomic():
            Reaction.objects.create(
                post=post,
                kind=REACTIONS[activity["type"]],
                actor_uri=actor.uri,
                activity_uri=_id(activity)[:500],
            )
    except IntegrityError:
        return "ignored"
    pagecache.invalidate(target_key(post))
    return "counted"


def on_create(activity: dict, actor: RemoteActor) -> str:
    note = activity.get("object")
    if timeline.is_article(note):
        return timeline.on_create(note, actor)
    if not isinstance(note, dict) or note.get("type") != "Note":
        return "ignored"
    uri = _id(note)
    if not uri or _id(note.get("attributedTo")) != actor.uri or _host(uri) != _host(actor.uri):
        return "ignored"
    if RemoteNote.objects.filter(uri=uri).exists():
        return "ignored"
    post, parent = reply_target(_id(note.get("inReplyTo")))
    if post is None:
        return "ignored"
    sub = discussion.Submission(
        target=post,
        body=note_text(note.get("content")),
        author_name=_author_name(actor),
        author_url=actor.profile_url,
        parent=parent,
        provider=FEDIVERSE,
        user_agent=f"ActivityPub {actor.domain}",
    )
    if not sub.body.strip():
        return "ignored"
    try:
        comment = discussion.post_comment(sub)
    except discussion.CommentRefused as exc:
        logger.info("Reply %s refused: %s", uri, exc)
        return "refused"
    RemoteNote.objects.create(uri=uri[:500], comment=comment, actor=actor)
    return "commented"


def on_update(activity: dict, actor: RemoteActor) -> str:
    note = activity.get("object")
    if timeline.is_article(note):
        return timeline.on_update(note, actor)
    if not isinstance(note, dict) or note.get("type") != "Note":
        return "ignored"
    known = RemoteNote.objects.filter(uri=_id(note), actor=actor).select_related("comment").first()
    if known is None or known.comment.is_deleted:
        return "ignored"
    body = note_text(note.get("content"))
    if not body.strip():
        return "ignored"
    discussion.edit_comment(known.comment, body)
    return "edited"


def on_delete(activity: dict, actor: RemoteActor) -> str:
    gone = _id(activity.get("object"))
    if gone == actor.uri:
        anonymise(actor)
        return "anonymised"
    if timeline.forget(gone, actor):
        return "removed"
    known = RemoteNote.objects.filter(uri=gone, actor=actor).select_related("comment").first()
    if known is None:
        return "ignored"
    with transaction.atomic():
        discussion.withdraw_comment(known.comment)
    return "withdrawn"


@transaction.atomic
def anonymise(actor: RemoteActor) -> None:
    """An account deleted on its server: its comments keep their place, not its identity."""
    comments = Comment.objects.filter(remote_note__actor=actor)
    keys = {comment.target_key for comment in comments.only("post_id", "page_id")}
    comments.update(author_name="Former Fediverse account", author_url="")
    Follower.objects.filter(actor=actor).delete()
    Following.objects.filter(actor=actor).delete()
    RemoteArticle.objects.filter(actor=actor).delete()
    RemoteActor.objects.filter(pk=actor.pk).update(name="", handle="", icon_url="", profile_url="")
    avatars.forget(actor)
    for key in keys:
        transaction.on_commit(lambda key=key: pagecache.invalidate(key))


HANDLERS = {
    "Follow": on_follow,
    "Undo": on_undo,
    "Like": on_reaction,
    "Announce": on_reaction,
    "Create": on_create,
    "Update": on_update,
    "Delete": on_delete,
    "Accept": following.on_answer,
    "Reject": following.on_answer,
}


def post_for(url: str) -> Post | None:
    """The public article at ``url`` on this site, or None."""
    url = urldefrag(url).url
    if not url.startswith(documents.absolute("/")):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "publishing:post":
        return None
    for post in Post.objects.published().filter(slug=match.kwargs["slug"]):
        if documents.post_id(post) == url:
            return post
    return None


COMMENT_FRAGMENT = re.compile(r"comment-(\d+)")


def reply_target(url: str) -> tuple[Post | None, Comment | None]:
    """What a note answers: a public article, or a visible comment under one."""
    known = RemoteNote.objects.filter(uri=url).select_related("comment__post").first()
    if known is not None:
        return _if_public(known.comment)
    base, fragment = urldefrag(url)
    post = post_for(base)
    if post is not None:
        number = COMMENT_FRAGMENT.fullmatch(fragment or "")
        if number is None:
            return post, None
        comment = Comment.objects.filter(pk=number[1], post=post).first()
        return _if_public(comment) if comment else (None, None)
    try:
        match = resolve(urlsplit(base).path) if base.startswith(documents.absolute("/")) else None
    except Resolver404:
        match = None
    if match is not None and match.view_name == "federation:comment":
        comment = Comment.objects.filter(pk=match.kwargs["pk"]).select_related("post").first()
        if comment is not None:
            return _if_public(comment)
    return None, None


def _if_public(comment: Comment) -> tuple[Post | None, Comment | None]:
    # Articles federate, standing pages do not: a page's comment takes no replies from there.
    if comment.post is None or not comment.is_visible or comment.is_deleted:
        return None, None
    if not comment.post.is_public:
        return None, None
    return comment.post, comment


def note_text(content) -> str:
    """A note's HTML as plain text for the comment pipeline, which renders and sanitizes
    it as it does any reader's text (so markup and scripts are never carried over)."""
    if not isinstance(content, str):
        return ""
    text = re.sub(r"(?i)<br\s*/?>", "\n", content[:20000])
    text = re.sub(r"(?i)</p\s*>", "\n\n", text)
    text = nh3.clean(text, tags=set())
    return html.unescape(text).strip()


def _author_name(actor: RemoteActor) -> str:
    handle = actor.handle or actor.uri
    name = (actor.name or "").strip()[: max(0, 97 - len(handle))]
    return f"{name} ({handle})"[:100] if name else handle[:100]


def _host(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:32]
