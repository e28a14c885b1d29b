"""A reader's comments and their data: export, erasure on request, and forgetting
addresses and browsers once the retention period is over."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from masthead.discussion import services, tasks
from masthead.discussion.models import Comment, CommentRevision, Subscription
from masthead.lib.emails import normalize_email

# Unconfirmed addresses are forgotten once their confirmation link could no longer matter.
UNCONFIRMED_DAYS = 7


def comments_by(email: str) -> QuerySet[Comment]:
    return Comment.objects.filter(author_email=normalize_email(email))


def request_privacy_link(email: str) -> bool:
    """Mail a download/delete link, only to an address that has comments here."""
    email = normalize_email(email)
    if not comments_by(email).exists():
        return False
    return tasks.send_later_once("privacy", email, email=email)


def export_comments(email: str) -> dict:
    """Everything stored about an address's comments and subscriptions, as plain data."""
    comments = comments_by(email).select_related("post", "page").prefetch_related("revisions")
    subscriptions = Subscription.objects.filter(email=normalize_email(email)).select_related(
        "post", "page"
    )
    return {
        "email": normalize_email(email),
        "exported_at": timezone.now().isoformat(),
        "comments": [_comment_data(c) for c in comments],
        "subscriptions": [_subscription_data(s) for s in subscriptions],
    }


def _comment_data(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "post": comment.target.title,
        "url": settings.SITE_URL + comment.get_absolute_url(),
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "body": comment.body,
        "earlier_versions": [r.body for r in comment.revisions.all()],
        "status": comment.status,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
    }


def _subscription_data(subscription: Subscription) -> dict:
    return {
        "post": subscription.target.title if subscription.target else None,
        "confirmed_at": subscription.confirmed_at.isoformat()
        if subscription.confirmed_at
        else None,
        "created_at": subscription.created_at.isoformat(),
    }


@transaction.atomic
def erase_comments(email: str) -> int:
    """Delete an address's comments and subscriptions.

    Replies go first so a thread of one's own disappears whole; a comment
    others answered stays as a placeholder, stripped of its text, its history
    and who wrote it.
    """
    email = normalize_email(email)
    comments = list(comments_by(email).order_by("-depth", "-created_at"))
    for comment in comments:
        services.delete_comment(comment)
    kept = comments_by(email)
    CommentRevision.objects.filter(comment__in=kept).delete()
    kept.update(author_name="", author_email="", author_url="", ip_address=None, user_agent="")
    Subscription.objects.filter(email=email).delete()
    return len(comments)


def purge_commenter_data(days: int | None = None) -> int:
    """Blank addresses and browsers of comments older than the retention period."""
    if days is None:
        days = getattr(settings, "MASTHEAD_COMMENT_IP_DAYS", 30)
    cutoff = timezone.now() - dt.timedelta(days=days)
    identified = Q(ip_address__isnull=False) | ~Q(user_agent="")
    purged = Comment.objects.filter(identified, created_at__lt=cutoff).update(
        ip_address=None, user_agent=""
    )
    stale = timezone.now() - dt.timedelta(days=UNCONFIRMED_DAYS)
    Subscription.objects.filter(confirmed_at=None, created_at__lt=stale).delete()
    return purged


@task()
def purge_commenter_data_task() -> int:
    """The same, from the background worker."""
    return purge_commenter_data()
