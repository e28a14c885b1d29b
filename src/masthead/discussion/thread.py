"""A post's comments as a tree, fetched in one query."""

from dataclasses import dataclass, field

from django.db.models import Q

from masthead.discussion.models import Comment, CommentStatus


@dataclass
class Node:
    comment: Comment
    replies: list["Node"] = field(default_factory=list)


def build_thread(post, *, include_pending: int | None = None) -> list[Node]:
    """Approved comments oldest first, withdrawn ones kept where replies hang from them.

    ``include_pending`` adds one held comment, shown only to its author.
    """
    wanted = Q(status=CommentStatus.APPROVED)
    if include_pending:
        wanted |= Q(pk=include_pending, status=CommentStatus.PENDING)
    comments = list(
        Comment.objects.filter(wanted, post=post)
        .select_related("user")
        .order_by("created_at", "id")
    )
    nodes = {c.pk: Node(c) for c in comments}
    roots = []
    for c in comments:
        parent = nodes.get(c.parent_id)
        (parent.replies if parent else roots).append(nodes[c.pk])
    return [n for n in roots if _keep(n)]


def _keep(node: Node) -> bool:
    # A withdrawn comment stays only as long as something under it does.
    node.replies = [n for n in node.replies if _keep(n)]
    return not node.comment.is_deleted or bool(node.replies)
