import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus


@pytest.fixture
def post(make_post):
    return make_post(slug="harbour-ferry-returns")


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("comments", *args, stdout=out)
    return out.getvalue().splitlines()


def statuses():
    return dict(Comment.objects.values_list("pk", "status"))


def test_list_prints_one_line_per_comment_oldest_first(say):
    late = say("Second thoughts.")
    early = say("First *thoughts*\non two lines.", name="Ola", email="ola@example.net")
    Comment.objects.filter(pk=early.pk).update(
        created_at=timezone.make_aware(dt.datetime(2024, 5, 1, 9, 30))
    )
    lines = run("list")
    assert lines[0].split("\t") == [
        str(early.pk),
        "pending",
        "2024-05-01 09:30",
        "Ola <ola@example.net>",
        "harbour-ferry-returns",
        "First thoughts on two lines.",
    ]
    assert lines[1].startswith(f"{late.pk}\tpending\t")
    assert len(lines) == 2


def test_list_shortens_long_comments_to_one_line(say):
    say("word " * 100)
    excerpt = run("list")[0].split("\t")[-1]
    assert len(excerpt) <= 60 and excerpt.endswith("…")


def test_list_filters_by_status_and_post(say, make_post):
    held = say("Held.")
    shown = say("Shown.", status=CommentStatus.APPROVED)
    elsewhere = say("Elsewhere.", post=make_post(title="Tram strike", slug="tram-strike"))
    assert [line.split("\t")[0] for line in run("list", "--status", "approved")] == [str(shown.pk)]
    on_tram = run("list", "--post", "tram-strike")
    assert [line.split("\t")[0] for line in on_tram] == [str(elsewhere.pk)]
    both = run("list", "--status", "pending", "--post", "harbour-ferry-returns")
    assert [line.split("\t")[0] for line in both] == [str(held.pk)]


def test_list_refuses_an_unknown_post_or_status(say):
    with pytest.raises(CommandError, match="No post with slug 'nowhere'"):
        run("list", "--post", "nowhere")
    with pytest.raises(CommandError):
        run("list", "--status", "published")


def test_approve_by_id_makes_the_comments_visible(say):
    first, second, other = say("One."), say("Two."), say("Three.")
    assert run("approve", str(first.pk), str(second.pk)) == [
        f"Approved comment {first.pk}.",
        f"Approved comment {second.pk}.",
    ]
    assert set(Comment.objects.visible()) == {first, second}
    assert statuses()[other.pk] == CommentStatus.PENDING


def test_spam_and_trash_by_id(say):
    junk, stale = say("Pills."), say("Old news.")
    assert run("spam", str(junk.pk)) == [f"Marked comment {junk.pk} as spam."]
    assert run("trash", str(stale.pk)) == [f"Moved comment {stale.pk} to the trash."]
    assert statuses() == {junk.pk: "spam", stale.pk: "trash"}


def test_an_unknown_id_fails_and_changes_nothing(say):
    known = say()
    with pytest.raises(CommandError, match="No comment with id 9998, 9999; nothing was changed"):
        run("approve", str(known.pk), "9998", "9999")
    assert statuses() == {known.pk: CommentStatus.PENDING}


def test_a_malformed_id_fails(say):
    with pytest.raises(CommandError):
        run("approve", "twelve")


def test_all_pending_acts_on_every_held_comment_only(say):
    held = [say("One."), say("Two.")]
    junk = say("Pills.", status=CommentStatus.SPAM)
    assert run("approve", "--all-pending") == [f"Approved comment {c.pk}." for c in held]
    assert statuses() == {held[0].pk: "approved", held[1].pk: "approved", junk.pk: "spam"}


def test_all_pending_with_nothing_held_says_so(say):
    say(status=CommentStatus.APPROVED)
    assert run("spam", "--all-pending") == ["No comments to act on."]


def test_ids_and_all_pending_are_one_or_the_other(say):
    comment = say()
    with pytest.raises(CommandError, match="either comment ids or --all-pending"):
        run("trash")
    with pytest.raises(CommandError, match="either comment ids or --all-pending"):
        run("trash", str(comment.pk), "--all-pending")


def test_delete_removes_a_lone_comment_and_withdraws_one_with_replies(say):
    parent = say("Opening remark.", status=CommentStatus.APPROVED)
    reply = say("A reply.", parent=parent, status=CommentStatus.APPROVED)
    loner = say("Nobody answered.")
    assert run("delete", str(parent.pk), str(loner.pk)) == [
        f"Withdrew comment {parent.pk}: it has replies, so its place stays.",
        f"Deleted comment {loner.pk}.",
    ]
    parent.refresh_from_db()
    assert parent.is_deleted and list(parent.replies.all()) == [reply]
    assert not Comment.objects.filter(pk=loner.pk).exists()


def test_delete_takes_replies_first_so_a_whole_thread_goes(say):
    parent = say("Opening remark.")
    reply = say("A reply.", parent=parent)
    assert run("delete", "--all-pending") == [
        f"Deleted comment {reply.pk}.",
        f"Deleted comment {parent.pk}.",
    ]
    assert not Comment.objects.exists()


def test_withdrawn_comments_list_without_their_text(say):
    parent = say("Opening remark.")
    say("A reply.", parent=parent)
    services.delete_comment(parent)
    assert run("list")[0].endswith("\t(deleted)")


def test_count_prints_every_status(say):
    say()
    say()
    say(status=CommentStatus.SPAM)
    assert run("count") == ["pending\t2", "approved\t0", "spam\t1", "trash\t0"]
