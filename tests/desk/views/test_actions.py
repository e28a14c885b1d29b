"""Moderating from the queue, with and without JavaScript."""

import pytest

from masthead.discussion import signals
from masthead.discussion.models import Comment, CommentRevision, CommentStatus
from masthead.discussion.spam_models import SpamLesson

QUEUE = "/desk/moderation/"
JSON = {"HTTP_ACCEPT": "application/json"}
FILTERS = {"status": "pending", "post": "", "page": "2"}


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


@pytest.mark.parametrize(
    "verb, status",
    [("approve", "approved"), ("spam", "spam"), ("trash", "trash")],
)
def test_a_verb_moves_the_comment_and_comes_back_to_the_same_view(desk, held, verb, status):
    comment = held()
    data = {"verb": verb, "status": "pending", "post": str(comment.post_id), "page": "2"}
    response = desk.post(f"{QUEUE}{comment.pk}/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?post={comment.post_id}&page=2"
    assert status_of(comment) == status


def test_hold_puts_an_approved_comment_back_in_the_queue(desk, held):
    comment = held(status=CommentStatus.APPROVED)
    response = desk.post(f"{QUEUE}{comment.pk}/", {"verb": "hold", "status": "approved"})
    assert response["Location"] == f"{QUEUE}?status=approved"
    assert status_of(comment) == CommentStatus.PENDING


def test_the_outcome_is_said_on_the_next_page(desk, held):
    comment = held()
    response = desk.post(f"{QUEUE}{comment.pk}/", {"verb": "approve"}, follow=True)
    assert "Comment by Nils Berg approved." in response.content.decode()


def test_a_decision_teaches_the_classifier_and_is_heard_as_the_moderator(
    desk, held, moderator, django_capture_on_commit_callbacks
):
    comment = held()
    heard = []

    def listen(sender, comment, previous, by, **kwargs):
        heard.append((comment.pk, previous, by))

    signals.comment_status_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            desk.post(f"{QUEUE}{comment.pk}/", {"verb": "spam"})
    finally:
        signals.comment_status_changed.disconnect(listen)
    assert heard == [(comment.pk, "pending", moderator)]
    assert SpamLesson.objects.filter(comment=comment).exists()


def test_an_unknown_verb_changes_nothing(desk, held):
    comment = held()
    response = desk.post(f"{QUEUE}{comment.pk}/", {"verb": "delete"}, **JSON)
    assert response.status_code == 400
    assert status_of(comment) == CommentStatus.PENDING


def test_actions_take_only_posts(desk, held):
    comment = held()
    assert desk.get(f"{QUEUE}{comment.pk}/?verb=approve").status_code == 405
    assert status_of(comment) == CommentStatus.PENDING


def test_with_javascript_it_answers_with_the_new_row_and_counts(desk, held):
    comment, _ = held(), held()
    response = desk.post(f"{QUEUE}{comment.pk}/", {"verb": "approve"}, **JSON)
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == "Comment by Nils Berg approved."
    assert data["counts"]["pending"] == 1 and data["counts"]["approved"] == 1
    row = data["rows"][str(comment.pk)]
    assert f'id="desk-comment-{comment.pk}"' in row
    assert 'data-status="approved"' in row
    assert 'value="hold"' in row and 'value="approve"' not in row


def test_bulk_moderates_only_the_selected(desk, held):
    first, second, left = held(), held(), held()
    data = {**FILTERS, "verb": "trash", "selected": [first.pk, second.pk]}
    response = desk.post(f"{QUEUE}bulk/", data)
    assert response["Location"] == f"{QUEUE}?page=2"
    assert [status_of(c) for c in (first, second, left)] == ["trash", "trash", "pending"]


def test_bulk_in_json_mode_answers_every_row(desk, held):
    first, second = held(), held()
    data = {"verb": "approve", "selected": [first.pk, second.pk]}
    result = desk.post(f"{QUEUE}bulk/", data, **JSON).json()
    assert result["message"] == "2 comments approved."
    assert set(result["rows"]) == {str(first.pk), str(second.pk)}


def test_bulk_with_nothing_selected_says_so(desk, held):
    held()
    response = desk.post(f"{QUEUE}bulk/", {"verb": "approve"}, follow=True)
    assert "Select at least one comment first." in response.content.decode()
    assert not Comment.objects.exclude(status=CommentStatus.PENDING).exists()


def test_an_edit_keeps_the_earlier_text(desk, held):
    comment = held("Teh ferry is late.")
    response = desk.post(f"{QUEUE}{comment.pk}/edit/", {**FILTERS, "body": "The ferry is *late*."})
    assert response["Location"] == f"{QUEUE}?page=2"
    comment.refresh_from_db()
    assert comment.body == "The ferry is *late*."
    assert "<em>late</em>" in comment.body_html
    assert comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["Teh ferry is late."]


def test_an_empty_edit_is_refused(desk, held):
    comment = held("Keep me.")
    result = desk.post(f"{QUEUE}{comment.pk}/edit/", {"body": "   "}, **JSON)
    assert result.status_code == 400
    assert result.json()["message"] == "Please write a comment."
    comment.refresh_from_db()
    assert comment.body == "Keep me."


def test_a_reply_is_published_under_the_comment_as_the_staff_member(
    desk, held, hold_all, moderator
):
    moderator.first_name, moderator.last_name = "Molly", "Quist"
    moderator.save()
    parent = held()
    response = desk.post(f"{QUEUE}{parent.pk}/reply/", {**FILTERS, "body": "Yes, from May."})
    assert response["Location"] == f"{QUEUE}?page=2"
    reply = Comment.objects.get(parent=parent)
    assert reply.status == CommentStatus.APPROVED
    assert reply.user == moderator
    assert reply.author_name == "Molly Quist"
    assert reply.author_email == "molly@example.org"
    assert reply.post == parent.post
    assert reply.depth == 1
    # Answering a held comment approves it, as WordPress's "Approve and reply" does.
    assert status_of(parent) == CommentStatus.APPROVED


def test_a_reply_in_json_mode_says_it_was_published(desk, held, hold_all):
    parent = held()
    result = desk.post(f"{QUEUE}{parent.pk}/reply/", {"body": "Thanks."}, **JSON).json()
    assert result["ok"] is True
    assert result["message"] == (
        "Your reply to Nils Berg was published and their comment approved."
    )
    assert "Approve and reply" not in result["rows"][str(parent.pk)]


def test_a_held_comment_offers_approve_and_reply_and_an_approved_one_reply(desk, held):
    held()
    approved = held(status=CommentStatus.APPROVED)
    html = desk.get(QUEUE).content.decode()
    assert "Approve and reply" in html
    html = desk.get(QUEUE, {"status": "approved"}).content.decode()
    assert f'id="desk-reply-{approved.pk}"' in html and "Approve and reply" not in html


def test_replying_to_an_approved_comment_leaves_it_as_it_is(desk, held):
    parent = held(status=CommentStatus.APPROVED)
    result = desk.post(f"{QUEUE}{parent.pk}/reply/", {"body": "Thanks."}, **JSON).json()
    assert result["message"] == "Your reply to Nils Berg was published."
    assert status_of(parent) == CommentStatus.APPROVED


def test_replying_to_spam_does_not_approve_it(desk, held):
    parent = held(status=CommentStatus.SPAM)
    desk.post(f"{QUEUE}{parent.pk}/reply/", {"body": "Not here."}, **JSON)
    assert status_of(parent) == CommentStatus.SPAM


def test_a_reply_on_a_closed_post_is_refused(desk, held, post):
    post.comment_status = "closed"
    post.save(update_fields=["comment_status"])
    parent = held()
    response = desk.post(f"{QUEUE}{parent.pk}/reply/", {"body": "Hi."}, **JSON)
    assert response.status_code == 400
    assert not Comment.objects.filter(parent=parent).exists()
    # The refused answer approves nothing.
    assert status_of(parent) == CommentStatus.PENDING


def test_empty_spam_asks_first(desk, held):
    held(status=CommentStatus.SPAM)
    response = desk.get(f"{QUEUE}empty-spam/")
    assert "Delete 1 spam comment" in response.content.decode()
    assert Comment.objects.filter(status=CommentStatus.SPAM).count() == 1


def test_empty_spam_deletes_only_spam(desk, held):
    spam = [held(status=CommentStatus.SPAM) for _ in range(3)]
    kept = [held(status=status) for status in ("pending", "approved", "trash")]
    response = desk.post(f"{QUEUE}empty-spam/", {"status": "spam"}, follow=True)
    assert "3 spam comments deleted for good." in response.content.decode()
    assert not Comment.objects.filter(pk__in=[c.pk for c in spam]).exists()
    assert set(Comment.objects.values_list("pk", flat=True)) == {c.pk for c in kept}
