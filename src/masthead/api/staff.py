"""Staff endpoints behind a token: the moderation queue, and drafting and publishing
posts. Each goes through the services the desk and the admin use, with the roles
those apply."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja import Status as Reply
from ninja.errors import HttpError

from masthead.api import represent, schemas
from masthead.api.auth import require_moderator, require_publisher, require_writer, staff_token
from masthead.api.content import Paging, listing
from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.publishing import permissions
from masthead.publishing import services as publishing
from masthead.publishing.models import Category, Post, Status, Tag

router = Router(tags=["staff"], auth=staff_token)

NEWEST_FIRST = ("-created_at", "-id")


class QueueFilter(Paging):
    status: Literal["pending", "spam", "approved", "trash"] = "pending"


@router.get(
    "/moderation/comments",
    response=schemas.answers({200: schemas.HeldCommentList}, 401, 403, 422),
    summary="The queue",
)
def moderation_queue(request, filters: Query[QueueFilter]):
    require_moderator(request.auth)
    comments = Comment.objects.filter(status=filters.status).select_related("post")
    return listing(request, comments, NEWEST_FIRST, filters, represent.held_comment)


ACTIONS = {
    "approve": discussion.approve_comment,
    "spam": discussion.mark_spam,
    "trash": discussion.trash_comment,
}


@router.post(
    "/moderation/comments/{int:comment_id}/{action}",
    response=schemas.answers({200: schemas.HeldComment}, 401, 403, 404, 422),
    summary="Approve a comment, mark it spam, or move it to the trash",
)
def moderate(request, comment_id: int, action: Literal["approve", "spam", "trash"]):
    require_moderator(request.auth)
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    ACTIONS[action](comment, by=request.auth)
    return represent.held_comment(comment)


def _writable(user, post_id: int) -> Post:
    """A post this person may change; others' posts are not found, as in the admin."""
    posts = permissions.editable_posts(user, Post.objects.prefetch_related("tags", "categories"))
    found = posts.filter(pk=post_id).first()
    if found is None:
        raise HttpError(404, "You have no post with that id.")
    return found


def _filing(ids: list[int] | None, model, what: str):
    if ids is None:
        return None
    found = list(model.objects.filter(pk__in=ids))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:
        raise HttpError(422, f"No {what} with id {', '.join(map(str, sorted(missing)))}.")
    return found


def _fields(payload) -> tuple[dict, dict]:
    data = payload.dict(exclude_unset=True)
    filing = {
        "categories": _filing(data.pop("categories", None), Category, "category"),
        "tags": _filing(data.pop("tags", None), Tag, "tag"),
    }
    return data, {k: v for k, v in filing.items() if v is not None}


@router.post(
    "/drafts",
    response=schemas.answers({201: schemas.StaffPost}, 401, 403, 422),
    summary="Start a draft",
)
def create_draft(request, payload: schemas.DraftIn):
    user = request.auth
    require_writer(user)
    fields, filing = _fields(payload)
    fields.setdefault("comment_status", payload.comment_status)
    byline = publishing.author_for(user)
    post = publishing.save_post(by=user, status=Status.DRAFT, authors=[byline], **filing, **fields)
    return Reply(201, represent.staff_post(request, post))


@router.get(
    "/drafts/{int:post_id}",
    response=schemas.answers({200: schemas.StaffPost}, 401, 403, 404, 422),
    summary="A post you may edit",
)
def get_draft(request, post_id: int):
    require_writer(request.auth)
    return represent.staff_post(request, _writable(request.auth, post_id))


@router.patch(
    "/drafts/{int:post_id}",
    response=schemas.answers({200: schemas.StaffPost}, 401, 403, 404, 422),
    summary="Change a post",
)
def update_draft(request, post_id: int, payload: schemas.DraftPatch):
    user = request.auth
    require_writer(user)
    post = _writable(user, post_id)
    fields, filing = _fields(payload)
    post = publishing.save_post(post, by=user, **filing, **fields)
    return represent.staff_post(request, post)


@router.post(
    "/drafts/{int:post_id}/publish",
    response=schemas.answers({200: schemas.StaffPost}, 401, 403, 404, 422),
    summary="Publish a post now, or schedule it",
)
def publish_post(request, post_id: int, payload: schemas.PublishIn | None = None):
    user = request.auth
    require_writer(user)
    require_publisher(user)
    post = _writable(user, post_id)
    publishing.publish(post, at=payload.at if payload else None)
    return represent.staff_post(request, post)
