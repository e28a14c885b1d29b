"""Discussion emails, built from template trios at send time so they carry current data.

A builder returns None when its email no longer makes sense (the comment was
removed, the reader unsubscribed), and the task then sends nothing.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from masthead.discussion import tokens
from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.lib.urls import absolute
from masthead.publishing.models import Post


def link(name: str, *args) -> str:
    return absolute(reverse(f"discussion:{name}", args=args))


def compose(
    template: str, context: dict, to: str, *, unsubscribe_url: str | None = None
) -> EmailMultiAlternatives:
    """A text and HTML email from ``discussion/email/<template>-{subject,body}``."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    prefix = f"discussion/email/{template}"
    subject = " ".join(render_to_string(f"{prefix}-subject.txt", context).split())
    # Sent by a machine: vacation responders must not answer it (RFC 3834).
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this URL.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{prefix}-body.txt", context), to=[to], headers=headers
    )
    message.attach_alternative(render_to_string(f"{prefix}-body.html", context), "text/html")
    return message


def _confirmed(pk: int, **filters) -> Subscription | None:
    return Subscription.objects.filter(pk=pk, confirmed_at__isnull=False, **filters).first()


def confirmation(subscription: int) -> EmailMultiAlternatives | None:
    sub = Subscription.objects.select_related("post", "page").filter(pk=subscription).first()
    if sub is None or sub.confirmed:
        return None
    # "post": what is followed, an article or a standing page; None for new posts.
    context = {
        "post": sub.target,
        "post_url": absolute(sub.target.get_absolute_url()) if sub.target else None,
        "confirm_url": link("confirm-subscription", sub.token),
    }
    unsubscribe_url = link("unsubscribe", sub.token)
    return compose("confirm-subscription", context, sub.email, unsubscribe_url=unsubscribe_url)


def comment_notice(comment: int, subscription: int) -> EmailMultiAlternatives | None:
    """A new comment for a follower; a reply notice when it answers the follower."""
    comment_ = (
        Comment.objects.select_related("post", "page", "parent")
        .counted()
        .filter(pk=comment)
        .first()
    )
    sub = _confirmed(subscription)
    if comment_ is None or sub is None:
        return None
    if (sub.post_id, sub.page_id) != (comment_.post_id, comment_.page_id):
        return None
    parent = comment_.parent
    is_reply = parent is not None and parent.author_email == sub.email
    context = {
        "comment": comment_,
        "post": comment_.target,
        "comment_url": absolute(comment_.get_absolute_url()),
        "parent": parent if is_reply else None,
    }
    template = "comment-reply" if is_reply else "new-comment"
    return compose(template, context, sub.email, unsubscribe_url=link("unsubscribe", sub.token))


def post_notice(post: int, subscription: int) -> EmailMultiAlternatives | None:
    post_ = Post.objects.published().filter(pk=post).first()
    sub = _confirmed(subscription, post=None, page=None)
    if post_ is None or sub is None:
        return None
    context = {"post": post_, "post_url": absolute(post_.get_absolute_url())}
    return compose("new-post", context, sub.email, unsubscribe_url=link("unsubscribe", sub.token))


def moderation_request(
    to: str, comment: int | None = None, comments: list[int] | None = None
) -> EmailMultiAlternatives | None:
    """The held comments still held, why, and links that approve or reject each.

    One comment gets the full email; a burst gets one digest listing them.
    ``comment`` is one id, as notices queued before digests named it.
    """
    ids = comments if comments is not None else [comment]
    held = list(
        Comment.objects.select_related("post", "page")
        .prefetch_related("revisions")
        .filter(pk__in=ids, status=CommentStatus.PENDING)
        .order_by("pk")
    )
    if not held:
        return None
    context = {"valid_days": tokens.MODERATION_MAX_AGE.days}
    if len(held) == 1:
        return compose("moderate-comment", {**context, **_held(held[0])}, to)
    context |= {
        "held": [_held(c) for c in held[:DIGEST_LISTS]],
        "count": len(held),
        "unlisted": max(len(held) - DIGEST_LISTS, 0),
        "queue_url": absolute(reverse("desk:moderation")),
    }
    return compose("moderate-comments", context, to)


# A digest names this many held comments, then points to the queue for the rest.
DIGEST_LISTS = 50


def _held(comment: Comment) -> dict:
    review_url = link("moderate-comment", tokens.moderation_token(comment))
    # An edit held again: what was approved before, beside what it says now.
    previous = comment.revisions.all()[:1]
    return {
        "comment": comment,
        "post": comment.target,
        "post_url": absolute(comment.target.get_absolute_url()),
        "approve_url": f"{review_url}?action=approve",
        "spam_url": f"{review_url}?action=spam",
        "admin_url": absolute(reverse("admin:discussion_comment_change", args=[comment.pk])),
        "previous_text": previous[0].body if previous else "",
    }


def privacy_link(email: str) -> EmailMultiAlternatives | None:
    context = {
        "privacy_url": link("privacy", tokens.privacy_token(email)),
        "valid_hours": int(tokens.PRIVACY_MAX_AGE.total_seconds() // 3600),
    }
    return compose("privacy-link", context, email)


BUILDERS = {
    "confirmation": confirmation,
    "comment": comment_notice,
    "post": post_notice,
    "moderation": moderation_request,
    "privacy": privacy_link,
}


def build(kind: str, **params) -> EmailMultiAlternatives | None:
    return BUILDERS[kind](**params)
