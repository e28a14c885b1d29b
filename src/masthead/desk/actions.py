"""The moderator's verbs, each a call into discussion.services made as the moderator,
so their decisions teach the classifier and notifications go out as from the admin."""

from django.db import transaction

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.identity.services import display_name_for

CommentRefused = services.CommentRefused

# Verb on the button → (service, what the status line says afterwards).
MODERATION = {
    "approve": (services.approve_comment, "approved"),
    "spam": (services.mark_spam, "marked as spam"),
    "trash": (services.trash_comment, "moved to the trash"),
    "hold": (services.hold_comment, "held for moderation"),
}

# The verbs a row offers in each status: there is no approving what is approved.
OFFERED = {
    CommentStatus.PENDING: ["approve", "spam", "trash"],
    CommentStatus.APPROVED: ["hold", "spam", "trash"],
    CommentStatus.SPAM: ["approve", "trash"],
    CommentStatus.TRASH: ["approve", "spam"],
}


def moderate(comments: list[Comment], verb: str, *, by) -> str:
    """Apply one verb to each comment in turn, so every decision is heard on its own."""
    service, done = MODERATION[verb]
    for comment in comments:
        service(comment, by=by)
    return done


def empty_spam(*, by) -> int:
    """Delete every spam comment for good, replies first so threads come apart cleanly."""
    spam = list(
        Comment.objects.filter(status=CommentStatus.SPAM).order_by("-depth", "-created_at", "-pk")
    )
    with transaction.atomic():
        for comment in spam:
            services.delete_comment(comment, by=by)
    return len(spam)


def reply(parent: Comment, body: str, *, by, ip_address: str | None = None) -> Comment:
    """A staff member answers under a comment, signed with their display name.

    Through submit_comment, so it is stored, assessed and announced as any comment
    (the site's policy never holds staff); no reader rate limit for the desk. Should
    a rule or the classifier still hold it, the moderator sending it is the one who
    would approve it: it is published at once, its reasons kept in the note, and
    the classifier is not taught by a moderator vouching for their own words.

    Answering a held comment approves it first, as WordPress's "Approve and reply"
    does: a published answer to an unseen question would make no sense to readers.
    """
    submission = services.Submission(
        target=parent.target,
        body=body,
        author_name=display_name_for(by),
        author_email=by.email,
        parent=parent,
        user=by,
        ip_address=ip_address,
    )
    answer = services.submit_comment(submission)
    if not answer.is_visible:
        services.approve_comment(answer, by=by, teach=False)
    # Only once the reply is stored: a refused reply leaves the question held.
    if parent.status == CommentStatus.PENDING:
        services.approve_comment(parent, by=by)
    return answer


def edit(comment: Comment, body: str) -> Comment:
    """New text; the earlier one stays in the comment's history."""
    return services.edit_comment(comment, body)
