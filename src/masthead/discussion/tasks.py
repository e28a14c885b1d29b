"""Background work for discussion emails; nothing here runs inside a reader's request.

Each email is its own task, so a mail server that is down delays that email
and nothing else: the attempt is logged and queued again later, up to
``MAX_ATTEMPTS`` times.

A worker can die at any moment (``masthead serve`` queues again what a dead
worker was running). The tasks that queue emails do so in one transaction
with the mark that they ran, so each email is queued once. Sending cannot be
part of a database transaction: a worker killed after the mail server took a
message and before its task was marked done sends it again on the next run.
The repeat carries the first one's Message-ID, which mail systems use to
drop a copy they already hold; that short window is the only way an email
goes out twice.
"""

import datetime as dt
import logging
import smtplib
from email.utils import make_msgid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.discussion import akismet, mail, precedents
from masthead.discussion.models import (
    Announcement,
    Comment,
    DiscussionSettings,
    Subscription,
)
from masthead.lib.tasks import enqueue_at, run_later
from masthead.publishing.models import Post

logger = logging.getLogger(__name__)

# The wait before attempts 2, 3, 4 and 5.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
SMTP_FAILURES = (smtplib.SMTPException, OSError)

RESEND_AFTER = dt.timedelta(minutes=15)

# A held comment younger than this, still unannounced, has a notice on its way.
NOTICE_WINDOW = dt.timedelta(minutes=1)
# After a notice, one more look for comments committed while it claimed.
NOTICE_FOLLOW_UP = dt.timedelta(seconds=30)

# A post public for longer than this is old news (an import, a backdated piece).
ANNOUNCE_WINDOW = dt.timedelta(days=2)


def send_later(kind: str, **params) -> None:
    """Queue one email when the current transaction commits."""
    run_later(send_message, kind, params, message_id=new_message_id())


def new_message_id() -> str:
    """Chosen when the email is queued, so every attempt at sending it carries the same."""
    return make_msgid(domain=DNS_NAME)


def send_later_once(kind: str, key, **params) -> bool:
    """Queue the email unless one of this kind went to ``key`` within ``RESEND_AFTER``:
    an address gets one confirmation or privacy link per window, however often it is typed in."""
    if not cache.add(f"masthead:mail:{kind}:{key}", True, RESEND_AFTER.total_seconds()):
        return False
    send_later(kind, **params)
    return True


@task()
def send_message(kind: str, params: dict, attempt: int = 1, message_id: str = "") -> str:
    """Build one email from current data and send it; failures come back later."""
    message = mail.build(kind, **params)
    if message is None:
        return "skipped"
    if message_id:
        message.extra_headers["Message-ID"] = message_id
    try:
        message.send()
    except SMTP_FAILURES as exc:
        _retry(kind, params, attempt, exc, message_id)
        raise
    return "sent"


def _retry(kind: str, params: dict, attempt: int, exc: Exception, message_id: str) -> None:
    if attempt >= MAX_ATTEMPTS or _is_permanent(exc):
        logger.error("Gave up on %s email after attempt %d: %r", kind, attempt, exc)
        return
    when = timezone.now() + RETRY_DELAYS[attempt - 1]
    logger.warning(
        "Could not send %s email (attempt %d of %d): %r; next try at %s",
        kind,
        attempt,
        MAX_ATTEMPTS,
        exc,
        when.isoformat(timespec="seconds"),
    )
    enqueue_at(send_message, when, kind, params, attempt=attempt + 1, message_id=message_id)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx reply will be the same next time; bad credentials get fixed, so they retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def moderator_addresses() -> list[str]:
    """The addresses in the discussion settings, else every active superuser's."""
    listed = DiscussionSettings.current().moderator_emails.splitlines()
    addresses = [line.strip() for line in listed if line.strip()]
    if not addresses:
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        addresses = list(admins.exclude(email="").values_list("email", flat=True))
    return list(dict.fromkeys(a.lower() for a in addresses))


def queue_moderator_notice(comment: Comment) -> None:
    """Queue a moderators' notice for a held comment, unless one is on its way already.

    A held comment that arrived within ``NOTICE_WINDOW`` and still waits means a
    notice is queued, and that notice will carry this comment too: a burst of
    held comments reaches each moderator as one email, not hundreds. The window
    bounds the wait if that notice never runs.
    """
    since = timezone.now() - NOTICE_WINDOW
    if not precedents.notice_on_its_way(since=since, other_than=comment.pk):
        run_later(notify_moderators)


@task()
def notify_moderators(comment_id: int | None = None) -> int:
    """Email each moderator every held comment no notice has carried yet, in one message.

    The comments are claimed in the transaction that queues the emails, so a
    comment goes out in one notice. A comment whose sender committed just after
    the claim is caught by the follow-up run, which stops once it finds nothing.
    ``comment_id`` is accepted from notices queued before comments were gathered.
    """
    with transaction.atomic():
        waiting = (
            Comment.objects.awaiting_moderators()
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        claimed = list(waiting)
        if not claimed:
            return 0
        Comment.objects.filter(pk__in=claimed).update(moderators_notified_at=timezone.now())
        for address in moderator_addresses():
            send_later("moderation", comments=claimed, to=address)
        if notify_moderators.get_backend().supports_defer:
            run_later(notify_moderators, when=timezone.now() + NOTICE_FOLLOW_UP)
    return len(claimed)


@task()
def notify_followers(comment_id: int) -> int:
    """One email per confirmed follower of the post, except the comment's author; once."""
    approved = Comment.objects.visible().filter(pk=comment_id)
    # Claiming the comment in one UPDATE keeps a re-approval or a second worker quiet;
    # the emails commit with the claim, so a worker killed in between queues them all later.
    with transaction.atomic():
        if not approved.filter(followers_notified_at__isnull=True).update(
            followers_notified_at=timezone.now()
        ):
            return 0
        comment = approved.get()
        followers = list(
            Subscription.objects.filter(post_id=comment.post_id, confirmed_at__isnull=False)
            .exclude(email=comment.author_email)
            .values_list("pk", flat=True)
        )
        for pk in followers:
            send_later("comment", comment=comment_id, subscription=pk)
    return len(followers)


@task()
def report_to_akismet(comment_id: int, is_spam: bool) -> bool:
    """A moderator's spam or ham decision, passed on to Akismet when a key is set."""
    key = DiscussionSettings.current().akismet_key
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if not key or comment is None:
        return False
    return akismet.report(comment, key, is_spam=is_spam)


def is_news(post: Post) -> bool:
    return post.published_at is not None and post.published_at > timezone.now() - ANNOUNCE_WINDOW


@task()
def announce_post(post_id: int) -> int:
    """Tell site-wide subscribers about a post once it is public, only once."""
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None or not is_news(post):
        return 0
    with transaction.atomic():
        _, created = Announcement.objects.get_or_create(post=post)
        if not created:
            return 0
        readers = list(
            Subscription.objects.filter(post=None, confirmed_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        for pk in readers:
            send_later("post", post=post_id, subscription=pk)
    return len(readers)
