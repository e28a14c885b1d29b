"""Events from the site's own services reach a receiver signed: publishing, comments
arriving, and a moderator's decisions."""

import pytest
from django.db import transaction

from masthead.api.webhooks.models import Delivery
from masthead.discussion import services as discussion
from masthead.discussion.models import DiscussionSettings, Policy
from masthead.publishing import services as publishing
from masthead.publishing.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Each step commits as its own request would, so what waits for the commit runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour ferry returns", excerpt="Back on Monday.")


def _submit(post, committed, **extra):
    submission = discussion.Submission(
        target=post,
        body="Is the *ferry* running on Sundays?",
        author_name="Nils Berg",
        author_email="nils@example.org",
        ip_address="203.0.113.7",
        user_agent="Firefox/140",
        form_age=10,
        **extra,
    )
    with committed():
        return discussion.submit_comment(submission)


def test_a_moderator_approving_a_comment_sends_a_signed_comment_approved(
    hold_all, post, hook, receiver, run_worker, committed, moderator
):
    comment = _submit(post, committed)
    with committed():
        discussion.approve_comment(comment, by=moderator)
    run_worker()
    assert receiver.refused == []  # every one was signed with the hook's secret
    assert receiver.events() == ["comment.created", "comment.approved"]
    headers, body = receiver.received[1]
    assert headers["Masthead-Event"] == "comment.approved"
    data = body["data"]
    assert data["id"] == comment.pk
    assert data["status"] == "approved"
    assert data["author_name"] == "Nils Berg"
    assert data["body_html"] == comment.body_html
    assert "<em>ferry</em>" in data["body_html"]
    assert data["parent_id"] is None
    assert data["post"]["id"] == post.pk
    assert data["post"]["url"] == f"http://testserver{post.get_absolute_url()}"
    assert data["url"].startswith(data["post"]["url"])


def test_what_a_commenter_keeps_private_is_never_sent(
    hold_all, post, hook, receiver, run_worker, committed
):
    _submit(post, committed)
    run_worker()
    [(_, body)] = receiver.received
    sent = str(body)
    for private in ("nils@example.org", "203.0.113.7", "Firefox"):
        assert private not in sent
    assert set(body["data"]) == {
        "id", "url", "post", "parent_id", "author_name", "body_html", "status", "created_at",
    }  # fmt: skip


def test_a_comment_published_at_once_is_created_and_approved(
    post, hook, receiver, run_worker, committed
):
    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_NONE
    config.save()
    comment = _submit(post, committed)
    assert comment.status == "approved"
    run_worker()
    assert receiver.events() == ["comment.created", "comment.approved"]


def test_spam_is_announced_on_arrival_and_when_a_moderator_marks_it(
    hold_all, post, hook, receiver, run_worker, committed, moderator
):
    _submit(post, committed, honeypot="http://cheap.example")
    held = _submit(post, committed)
    with committed():
        discussion.mark_spam(held, by=moderator)
    run_worker()
    events = receiver.events()
    assert events.count("comment.spam") == 2
    assert events.count("comment.created") == 2
    assert "comment.approved" not in events


def test_a_rolled_back_approval_sends_nothing(
    hold_all, post, hook, receiver, run_worker, committed
):
    comment = _submit(post, committed)
    Delivery.objects.all().delete()
    with pytest.raises(RuntimeError), committed(), transaction.atomic():
        discussion.approve_comment(comment)
        raise RuntimeError
    run_worker()
    assert receiver.received == []


def test_publishing_a_post_sends_post_published_with_its_public_fields(
    make_post, byline, hook, receiver, run_worker, committed
):
    draft = make_post(title="Bridge closes", excerpt="For a month.", status=Status.DRAFT,
                      published_at=None)  # fmt: skip
    with committed():
        publishing.publish(draft)
    run_worker()
    assert receiver.events() == ["post.published"]
    [(_, body)] = receiver.received
    draft.refresh_from_db()
    assert body["data"] == {
        "id": draft.pk,
        "title": "Bridge closes",
        "url": f"http://testserver{draft.get_absolute_url()}",
        "excerpt": "For a month.",
        "published_at": draft.published_at.isoformat(),
        "authors": ["Mara Lindqvist"],
    }


def test_an_edit_and_taking_a_post_back_are_sent(post, hook, receiver, run_worker, committed):
    Delivery.objects.all().delete()
    with committed():
        publishing.save_post(post, title="Harbour ferry returns on Monday")
    with committed():
        publishing.save_post(post, status=Status.DRAFT)
    run_worker()
    assert receiver.events() == ["post.updated", "post.unpublished"]
    assert receiver.received[0][1]["data"]["title"] == "Harbour ferry returns on Monday"


def test_deleting_a_public_post_still_tells_what_it_was(
    post, hook, receiver, run_worker, committed
):
    Delivery.objects.all().delete()
    pk = post.pk
    with committed():
        post.delete()
    run_worker()
    [(_, body)] = receiver.received
    assert body["event"] == "post.unpublished"
    assert body["data"]["id"] == pk
    assert body["data"]["title"] == "Harbour ferry returns"
