"""Everything that changes a discussion. Views, admin, commands and importers call these."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from masthead.discussion import ratelimit, signals, spam, subscriptions, tokens
from masthead.discussion.models import (
    Comment,
    CommentLike,
    CommentRevision,
    CommentStatus,
    DiscussionSettings,
)
from masthead.discussion.querysets import target_field
from masthead.lib.emails import normalize_email
from masthead.publishing import markup
from masthead.publishing.models import CommentStatus as PostCommentStatus
from masthead.publishing.models import Page, Post


class CommentRefused(Exception):
    """A comment not taken; the message is for the reader."""


class DiscussionClosed(CommentRefused):
    """The post or page takes no comments (closed, not public, or past its window)."""


class TooManyComments(CommentRefused):
    """Over a rate limit: the reader waits and sends the same text again."""


@dataclass
class Submission:
    """What a reader sent, plus what the request tells about them; ``target`` is the
    post or standing page commented on."""

    target: Post | Page
    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    parent: Comment | None = None
    user: object = None
    provider: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    form_age: float | None = None
    honeypot: str = ""
    # The reader also asked for follow-up comments, or for new posts, by email.
    follow_post: bool = False
    follow_site: bool = False
    extra: dict = field(default_factory=dict)


def recount_comments(target: Post | Page) -> None:
    """Keep the post's or page's count of visible comments, which lists show, in step."""
    counted = Comment.objects.counted().on(target)
    type(target).objects.filter(pk=target.pk).update(comment_count=counted.count())


def recount_for(comment: Comment) -> None:
    """``recount_comments`` for what the comment is under, without fetching it."""
    if comment.post_id is not None:
        model, column, pk = Post, "post_id", comment.post_id
    else:
        model, column, pk = Page, "page_id", comment.page_id
    counted = Comment.objects.counted().filter(**{column: pk})
    model.objects.filter(pk=pk).update(comment_count=counted.count())


def comments_open(post: Post | Page, config: DiscussionSettings | None = None) -> bool:
    if post.comment_status != PostCommentStatus.OPEN or not post.is_public:
        return False
    closing = closes_at(post, config)
    return closing is None or timezone.now() < closing


def closes_at(post: Post | Page, config: DiscussionSettings | None = None) -> dt.datetime | None:
    """When the site's age limit closes this post's comments; None when it never does."""
    config = config or DiscussionSettings.current()
    if config.close_after_days and post.published_at:
        return post.published_at + dt.timedelta(days=config.close_after_days)
    return None


def attach_point(parent: Comment | None, max_depth: int) -> Comment | None:
    """The comment a reply hangs from: past the deepest level, the deepest allowed one."""
    while parent is not None and parent.depth >= max_depth - 1:
        parent = parent.parent
    return parent


def post_comment(sub: Submission, config: DiscussionSettings | None = None) -> Comment:
    """A reader's new comment, whatever brought it (the form, its script, the API):
    open and within the rate limits, then assessed and stored, then the email
    follow-ups the reader asked for. Raises CommentRefused, with a message for them.
    ``config``: the site's discussion settings, when the caller has read them."""
    config = check_comment(sub, config)
    comment = submit_comment(sub, config)
    if sub.follow_post:
        subscriptions.request_subscription(comment.author_email, target=sub.target)
    if sub.follow_site:
        subscriptions.request_subscription(comment.author_email)
    return comment


def status_for_author(comment: Comment) -> str:
    """What the sender is told: spam is reported as held, so a bot learns nothing to tune on."""
    if comment.status == CommentStatus.SPAM:
        return CommentStatus.PENDING
    return comment.status


def check_comment(sub: Submission, config: DiscussionSettings | None = None) -> DiscussionSettings:
    """Refuse a comment the post or page does not take, or one over a rate limit (which
    it counts)."""
    config = config or DiscussionSettings.current()
    if not comments_open(sub.target, config):
        raise DiscussionClosed("Comments are closed on this article.")
    limited = ratelimit.check_rate(sub.ip_address, sub.author_email)
    if limited:
        raise TooManyComments(limited)
    return config


def submit_comment(sub: Submission, config: DiscussionSettings | None = None) -> Comment:
    """Store a comment, held or published as the rules say. Never drops one.

    The rules run before the write transaction opens: an optional remote check
    (Akismet) must not hold SQLite's write lock while it waits.
    """
    config = config or DiscussionSettings.current()
    if not comments_open(sub.target, config):
        raise DiscussionClosed("Comments are closed on this article.")
    parent = attach_point(sub.parent, config.max_depth)
    comment = Comment(
        **{target_field(sub.target): sub.target},
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        user=sub.user if getattr(sub.user, "is_authenticated", False) else None,
        provider=sub.provider,
        author_name=sub.author_name.strip(),
        author_email=normalize_email(sub.author_email),
        author_url=sub.author_url.strip(),
        body=sub.body,
        body_html=markup.render_comment(sub.body),
        ip_address=sub.ip_address,
        user_agent=sub.user_agent[:500],
    )
    verdict = assess_comment(comment, config, form_age=sub.form_age, honeypot=sub.honeypot)
    comment.status = verdict.status
    return _store(comment)


def assess_comment(
    comment: Comment, config: DiscussionSettings, *, form_age=None, honeypot: str = ""
) -> spam.Verdict:
    """Run the spam rules over a comment's current text and note why, for new and edited
    comments alike: an edit must face what a new comment faces."""
    verdict = spam.assess(comment, config, form_age=form_age, honeypot=honeypot)
    comment.moderation_note = "; ".join(verdict.reasons)[:300]
    comment.spam_score = verdict.score
    return verdict


@transaction.atomic
def _store(comment: Comment) -> Comment:
    comment.save()
    if comment.is_visible:
        recount_for(comment)
    # Inside the transaction: the notifications it queues commit with the comment.
    signals.comment_submitted.send(Comment, comment=comment)
    return comment


def _set_status(comment: Comment, status: str, *, by=None, teach: bool | None = None) -> Comment:
    """Move a comment between queues. A person's approve or spam decision teaches the
    classifier: ``by`` a moderator, or ``teach`` for one acting through an emailed link."""
    teach = by is not None if teach is None else teach
    previous = comment.status
    comment.status = status
    comment.save(update_fields=["status"])
    if previous != status:
        recount_for(comment)
        if status in (CommentStatus.APPROVED, CommentStatus.SPAM) and teach:
            spam.learn(comment, is_spam=status == CommentStatus.SPAM)
        transaction.on_commit(
            lambda: signals.comment_status_changed.send(
                Comment, comment=comment, previous=previous, by=by
            )
        )
    return comment


@transaction.atomic
def approve_comment(comment: Comment, *, by=None, teach: bool | None = None) -> Comment:
    return _set_status(comment, CommentStatus.APPROVED, by=by, teach=teach)


@transaction.atomic
def mark_spam(comment: Comment, *, by=None, teach: bool | None = None) -> Comment:
    return _set_status(comment, CommentStatus.SPAM, by=by, teach=teach)


@transaction.atomic
def moderate_by_link(comment: Comment, token: str, action) -> bool:
    """``action`` (approve or spam) through an emailed link, once per link, however
    the comment moves afterwards; False when the link has acted already."""
    if not tokens.claim_moderation_token(token):
        return False
    # The emailed link is a moderator's authority, so the decision teaches the classifier.
    action(comment, teach=True)
    return True


@transaction.atomic
def hold_comment(comment: Comment, *, by=None) -> Comment:
    """Back to the moderation queue, out of readers' sight."""
    return _set_status(comment, CommentStatus.PENDING, by=by)


@transaction.atomic
def trash_comment(comment: Comment, *, by=None) -> Comment:
    return _set_status(comment, CommentStatus.TRASH, by=by)


@transaction.atomic
def delete_comment(comment: Comment, *, by=None) -> None:
    """Remove for good; a comment others replied to is withdrawn instead."""
    if comment.is_deleted and comment.replies.exists():
        return
    if comment.replies.exists():
        withdraw_comment(comment)
        return
    key = comment.target_key
    comment.delete()
    recount_for(comment)
    transaction.on_commit(lambda: signals.discussion_changed.send(Comment, key=key))


def withdraw_comment(comment: Comment) -> Comment:
    """Blank a comment's text but keep its place so the replies stay threaded.

    What it said goes, earlier versions included: its author asked for that.
    """
    comment.revisions.all().delete()
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "deleted_at"])
    recount_for(comment)
    transaction.on_commit(lambda: signals.discussion_changed.send(Comment, key=comment.target_key))
    return comment


def can_still_edit(comment: Comment, config: DiscussionSettings | None = None) -> bool:
    config = config or DiscussionSettings.current()
    window = dt.timedelta(minutes=config.edit_minutes)
    return not comment.is_deleted and timezone.now() - comment.created_at < window


def edit_comment(comment: Comment, body: str) -> Comment:
    """Replace the text, keeping the old one in the comment's history.

    The new text is assessed as a new comment would be (before the write
    transaction, as in ``submit_comment``): one the rules would hold goes back to
    the moderators, even if a moderator had approved what it said before.
    """
    if body == comment.body:
        return comment
    previous_body, previous_status = comment.body, comment.status
    comment.body = body
    comment.body_html = markup.render_comment(body)
    verdict = assess_comment(comment, DiscussionSettings.current())
    if verdict.status != CommentStatus.APPROVED:
        comment.status = verdict.status
    return _store_edit(comment, previous_body, previous_status)


@transaction.atomic
def _store_edit(comment: Comment, previous_body: str, previous_status: str) -> Comment:
    CommentRevision.objects.create(comment=comment, body=previous_body)
    comment.edited_at = timezone.now()
    fields = ["body", "body_html", "edited_at", "status", "moderation_note", "spam_score"]
    if comment.status != previous_status:
        comment.moderators_notified_at = None  # the moderators hear of the new text
        fields.append("moderators_notified_at")
    comment.save(update_fields=fields)
    if comment.status != previous_status:
        recount_for(comment)
        # Held again: the moderators hear of it as of a new comment.
        transaction.on_commit(lambda: signals.comment_submitted.send(Comment, comment=comment))
    transaction.on_commit(lambda: signals.discussion_changed.send(Comment, key=comment.target_key))
    return comment


@transaction.atomic
def like_comment(comment: Comment, fingerprint: str) -> bool:
    """Count one like per reader; False when this reader already liked it."""
    _, created = CommentLike.objects.get_or_create(comment=comment, fingerprint=fingerprint)
    if created:
        # The article's cached page is renewed at most once a minute (caching.LIKES_LAG).
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    return created
