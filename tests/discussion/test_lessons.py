"""Published comments teach the classifier ham, in the background and a batch at a time."""

import pytest
from django_tasks_db.models import DBTaskResult

from masthead.discussion import services, spam
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings, Policy
from masthead.discussion.spam_models import SpamFeature, SpamLesson

TEXT = "Cheap ferry tickets for the summer season, ask at the harbour office for prices."
SIMILAR = "Cheap ferry tickets for the winter season, ask at the harbour office for prices."
# The worker runs as in production, closing its connection: each test commits for real.
worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post(make_post):
    return make_post(title="Ferry fares", body="Ferry fares rise in the summer season.")


@pytest.fixture
def submit(post, db):
    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_NONE
    config.save()

    def submit(body=TEXT, n=1):
        sub = services.Submission(
            target=post,
            body=body,
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.org",
            ip_address=f"192.0.2.{n}",
            form_age=30,
        )
        return services.submit_comment(sub)

    return submit


def score(post, body=SIMILAR):
    return spam.classify(Comment(post=post, body=body)).score


@worker_test
def test_a_published_comment_teaches_the_classifier_ham(post, submit, run_worker):
    before = score(post)
    comment = submit()
    assert comment.status == CommentStatus.APPROVED
    run_worker()
    assert SpamLesson.objects.get(comment=comment).is_spam is False
    assert SpamFeature.objects.get(feature="cheap").ham == 1
    assert score(post) < before


def test_posting_queues_one_batch_however_many_comments(submit):
    for n in range(1, 4):
        submit(f"{TEXT} Number {n}.", n=n)
    queued = DBTaskResult.objects.filter(task_path__endswith="learn_published")
    assert queued.count() == 1


@worker_test
def test_a_held_comment_teaches_nothing_until_approved(post, submit, run_worker):
    held = submit(f"{TEXT} https://a.example https://b.example https://c.example")
    assert held.status == CommentStatus.PENDING
    run_worker()
    assert not SpamLesson.objects.exists()


@worker_test
def test_a_moderator_marking_a_published_comment_spam_replaces_its_lesson(
    submit, run_worker, admin_user
):
    comment = submit()
    run_worker()
    services.mark_spam(comment, by=admin_user)
    assert SpamLesson.objects.get(comment=comment).is_spam is True
    cheap = SpamFeature.objects.get(feature="cheap")
    assert (cheap.spam, cheap.ham) == (1, 0)
