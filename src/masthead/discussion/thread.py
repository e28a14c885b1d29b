"""A post's or standing page's comments as a tree, fetched in one query."""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import F, Q

from masthead.discussion.models import Comment
from masthead.discussion.querysets import (
    HELD_TO_AUTHOR,
    VISIBLE,
    ReaderView,
    commenter_role,
    is_visible,
)

# What a thread shows of each comment (see discussion/_comment_cards.jinja); the rest
# (addresses, moderation notes, the markdown source) stays in the database.
# commenter_role is added from the account: see querysets.commenter_role; avatar_url
# from AVATARS below.
SHOWN = (
    *("id", "post_id", "parent_id", "user_id", "provider", "status", "depth", "author_name"),
    *("author_url", "body_html", "like_count", "created_at", "edited_at", "deleted_at"),
)

# The picture the site holds of the commenter, found in the same query: a member's
# upload, or the local copy of a Fediverse actor's icon (federation.avatars). Never
# a remote address: readers' browsers load images from this site only.
AVATARS = {
    "member_avatar": F("user__profile__avatar"),
    "remote_avatar": F("remote_note__actor__avatar"),
}


def _with_avatar_url(row: dict) -> None:
    """Replace the AVATARS columns of ``row`` with the address of the one it has."""
    name = row.pop("member_avatar", None) or row.pop("remote_avatar", None)
    row.pop("remote_avatar", None)
    row["avatar_url"] = default_storage.url(name) if name else ""


class ShownComment(ReaderView):
    """A comment's shown columns as attributes. Plain rows, not model instances:
    building 500 models cost more than rendering them."""

    def __init__(self, row: dict, *, hidden: bool):
        self.__dict__.update(row, hidden=hidden)

    @property
    def pk(self) -> int:
        return self.id


def shown_comment(comment: Comment) -> ShownComment:
    """One comment, held or not, as a thread shows it: for the page's script to insert."""
    row = {name: getattr(comment, name) for name in SHOWN}
    row["commenter_role"] = ""  # a guest's, without asking for the byline
    # A guest (no account, no provider) has no picture: no query on a guest's POST.
    if comment.user_id is not None or comment.provider:
        row.update(Comment.objects.filter(pk=comment.pk).values(**AVATARS).first() or {})
    _with_avatar_url(row)
    if comment.user_id is not None:
        bylines = _byline_users(comment.target)
        row["commenter_role"] = commenter_role(comment.user_id, comment.user.is_staff, bylines)
    return ShownComment(row, hidden=False)


def _byline_users(post) -> set[int]:
    """The accounts in the post's byline (from its prefetched bylines when it has them);
    a standing page has no byline."""
    if not hasattr(post, "ordered_authors"):
        return set()
    return {author.user_id for author in post.ordered_authors() if author.user_id}


@dataclass
class Node:
    comment: ShownComment
    replies: list["Node"] = field(default_factory=list)


def build_thread(post, *, include_pending: Collection[int] = ()) -> list[Node]:
    """Visible comments oldest first, in their threads.

    A withdrawn comment, or one held or marked spam after others replied to it,
    keeps its place as a placeholder while a visible reply hangs from it, so
    replies never lose their thread. ``include_pending`` adds held comments, each
    shown only to its author.
    """
    visible = Comment.objects.visible().on(post)
    wanted = Q(status=VISIBLE) | Q(pk__in=visible.filter(parent__isnull=False).values("parent_id"))
    if include_pending:
        wanted |= Q(pk__in=list(include_pending), status__in=HELD_TO_AUTHOR)
    rows = (
        Comment.objects.on(post)
        .filter(wanted)
        .values(*SHOWN, is_staff=F("user__is_staff"), **AVATARS)
        .order_by("created_at", "id")
    )
    bylines = _byline_users(post)
    nodes = {}
    for row in rows:
        row["commenter_role"] = commenter_role(row["user_id"], row.pop("is_staff"), bylines)
        _with_avatar_url(row)
        hidden = not is_visible(row["status"]) and row["id"] not in include_pending
        nodes[row["id"]] = Node(ShownComment(row, hidden=hidden))
    roots = []
    for node in nodes.values():
        parent_id = node.comment.parent_id
        if parent_id is None:
            roots.append(node)
        elif parent_id in nodes:
            nodes[parent_id].replies.append(node)
        # else: under a hidden comment that is itself hidden from view; not shown.
    return [n for n in roots if _keep(n)]


def _keep(node: Node) -> bool:
    # A placeholder stays only as long as something under it does.
    node.replies = [n for n in node.replies if _keep(n)]
    placeholder = node.comment.is_deleted or node.comment.hidden
    return not placeholder or bool(node.replies)
