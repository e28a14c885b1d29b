"""What a receiver is told: the public face of a post or comment, never a commenter's
email, IP address or user agent. Built when the event happens, so a retry sends what
was true then, and a deleted post can still be announced."""

import uuid

from django.utils import timezone

from masthead.lib.urls import absolute


def envelope(event: str, data: dict, *, event_id: uuid.UUID | None = None) -> dict:
    return {
        "id": str(event_id or uuid.uuid4()),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def post_data(post) -> dict:
    return {
        "id": post.pk,
        "title": post.title,
        "url": absolute(post.get_absolute_url()) if post.published_at else None,
        "excerpt": post.excerpt,
        "published_at": _iso(post.published_at),
        "authors": [author.display_name for author in post.ordered_authors()],
    }


def comment_data(comment) -> dict:
    post = comment.post
    return {
        "id": comment.pk,
        "url": absolute(comment.get_absolute_url()),
        "post": {"id": post.pk, "title": post.title, "url": absolute(post.get_absolute_url())},
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "body_html": comment.body_html,
        "status": comment.status,
        "created_at": _iso(comment.created_at),
    }


def ping_data() -> dict:
    return {"message": "A test ping from the desk."}
