"""The site's published comments, taught to the classifier as ham.

What readers wrote here, and nobody called spam, is the best picture of this
site's ham the classifier can get. Teaching happens in the background, a batch
at a time: a POST only asks the shared cache whether a batch is already on its
way. A moderator who later marks such a comment spam replaces its lesson.
"""

from django.core.cache import cache
from django.dispatch import receiver
from django_tasks import task

from masthead.discussion import signals, spam
from masthead.discussion.models import Comment
from masthead.lib.tasks import run_later

BATCH = 200
# At most one batch queued per this many seconds, however busy the site.
QUEUE_EVERY = 60
QUEUED = "masthead:spam:lessons-queued"


def queue_lessons() -> None:
    if cache.add(QUEUED, True, QUEUE_EVERY):
        run_later(learn_published)


@task()
def learn_published() -> int:
    """Teach up to a batch of published comments not yet taught; queue the next batch."""
    pending = (
        Comment.objects.visible()
        .filter(spam_lesson__isnull=True, deleted_at__isnull=True)
        .select_related("post", "page")
        .order_by("pk")[:BATCH]
    )
    taught = 0
    for comment in pending:
        spam.learn(comment, is_spam=False, report=False)
        taught += 1
    if taught == BATCH:
        run_later(learn_published)
    return taught


@receiver(signals.comment_submitted, dispatch_uid="masthead.lessons_submitted")
def comment_submitted(sender, comment, **kwargs):
    if comment.is_visible:
        queue_lessons()


@receiver(signals.comment_status_changed, dispatch_uid="masthead.lessons_status_changed")
def comment_status_changed(sender, comment, previous, **kwargs):
    if comment.is_visible:
        queue_lessons()
