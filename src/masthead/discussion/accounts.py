"""What happens to a person's comments when they delete their account."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.dispatch import receiver

from masthead.discussion import services, signals
from masthead.discussion.models import Comment, CommentRevision, Subscription
from masthead.identity.services import FORMER_READER
from masthead.identity.signals import account_deleting
from masthead.lib.emails import normalize_email

ANONYMOUS = {
    "user": None,
    "provider": "",
    "author_email": "",
    "author_url": "",
    "ip_address": None,
    "user_agent": "",
}


@receiver(account_deleting)
def forget_author(sender, user, mode, **kwargs):
    comments = Comment.objects.filter(user=user)
    keys = {comment.target_key for comment in comments.only("post_id", "page_id")}
    if mode == "delete":
        _delete(comments)
        comments.update(author_name="", **ANONYMOUS)
    else:
        comments.update(author_name=FORMER_READER, **ANONYMOUS)
    _unsubscribe(user)
    for key in keys:
        transaction.on_commit(lambda key=key: signals.discussion_changed.send(Comment, key=key))


def _unsubscribe(user) -> None:
    """No more email to any address the account proved it owns.

    An address typed into an account but never verified may be someone else's,
    and their subscriptions are theirs to keep.
    """
    verified = EmailAddress.objects.filter(user=user, verified=True)
    addresses = {normalize_email(email) for email in verified.values_list("email", flat=True)}
    addresses.discard("")
    Subscription.objects.filter(email__in=addresses).delete()


def _delete(comments) -> None:
    """Deepest first, so a thread of one's own goes whole; answered ones stay as placeholders."""
    for comment in comments.order_by("-depth", "-created_at"):
        services.delete_comment(comment)
    CommentRevision.objects.filter(comment__in=comments).delete()
