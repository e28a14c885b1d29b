"""What the dashboard shows, each panel one query however much there is."""

from django.db.models import Prefetch
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.publishing import permissions
from masthead.publishing.models import Byline, Status

HELD = 5
RECENT = 5
POSTS = 10


def held_comments():
    return (
        Comment.objects.pending()
        .select_related("post", "page")
        .order_by("-created_at", "-pk")[:HELD]
    )


def recent_comments():
    return (
        Comment.objects.visible()
        .select_related("post", "page")
        .order_by("-created_at", "-pk")[:RECENT]
    )


def _posts(user):
    # The admin's own rule: editors reach every post, authors only those in their byline.
    bylines = Prefetch("bylines", Byline.objects.select_related("author"))
    posts = permissions.editable_posts(user).defer("body", "body_html", "excerpt")
    return posts.prefetch_related(bylines)


def drafts(user):
    return _posts(user).filter(status=Status.DRAFT).order_by("-updated_at", "-pk")[:POSTS]


def scheduled(user):
    """What goes out next, soonest first; a scheduled post whose time has come is public."""
    upcoming = _posts(user).filter(status=Status.SCHEDULED, published_at__gt=timezone.now())
    return upcoming.order_by("published_at", "pk")[:POSTS]
