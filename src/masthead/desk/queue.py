"""What the moderation queue shows, in a fixed number of queries however long it is."""

from django.db.models import Count

from masthead.desk.filters import STATUSES, QueueFilters
from masthead.discussion.models import Comment
from masthead.publishing.models import Post

PER_PAGE = 25


def comments(filters: QueueFilters):
    """Newest first, with what a row shows joined in."""
    rows = Comment.objects.filter(status=filters.status).select_related("post", "page", "user")
    if filters.post:
        rows = rows.filter(post_id=filters.post)
    return rows.order_by("-created_at", "-pk")


def status_counts(post: int | None = None) -> dict[str, int]:
    """How many comments sit in each status, site-wide or on one post: one query."""
    rows = Comment.objects.filter(post_id=post) if post else Comment.objects.all()
    found = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in STATUSES}


def filtered_post(filters: QueueFilters) -> Post | None:
    if not filters.post:
        return None
    return Post.objects.filter(pk=filters.post).only("title", "slug", "published_at").first()


def comments_by_id(ids: list[int]):
    return Comment.objects.filter(pk__in=ids).select_related("post", "page", "user").order_by("-pk")
