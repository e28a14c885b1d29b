"""What every import shares: silence, statuses, counts, threads and all-or-nothing."""

import json

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    SpamLesson,
    Subscription,
)
from masthead.portability.comment_imports import import_comments
from masthead.portability.comment_imports.store import legacy_id
from masthead.publishing.models import Post


def isso_file(tmp_path, comments, thread="/ferry/"):
    path = tmp_path / "isso.json"
    path.write_text(json.dumps([{"id": thread, "comments": comments}]))
    return path


def item(n, text="A fine point.", **extra):
    return {"id": n, "created": f"2020-01-0{n} 10:00:00", "text": text, **extra}


@pytest.fixture
def watched(post_at, smtp, immediate_tasks, on_commit_run):
    """A post with a confirmed follower, and moderators who hear of held comments."""
    post = post_at("/ferry/")
    Subscription.objects.create(email="fan@example.org", post=post, confirmed_at=timezone.now())
    config = DiscussionSettings.current()
    config.moderator_emails = "mod@example.org"
    config.save()
    return post


@pytest.fixture
def on_commit_run(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_import_sends_no_email_and_teaches_the_classifier_nothing(
    watched, smtp, tmp_path, on_commit_run
):
    file = isso_file(tmp_path, [item(1), item(2, mode=2), item(3, parent=1)])

    with on_commit_run():
        import_comments("isso", file, site="old.example")

    assert Comment.objects.count() == 3
    assert smtp.messages == []
    assert not SpamLesson.objects.exists()


def test_approving_an_imported_held_comment_later_tells_no_follower(
    watched, smtp, tmp_path, on_commit_run, moderator
):
    with on_commit_run():
        import_comments("isso", isso_file(tmp_path, [item(1, mode=2)]), site="old.example")
    held = Comment.objects.get()

    with on_commit_run():
        services.approve_comment(held, by=moderator)

    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert smtp.messages == []


def test_the_post_count_follows_the_file(post_at, tmp_path):
    post = post_at("/ferry/")
    import_comments(
        "isso", isso_file(tmp_path, [item(1), item(2), item(3, mode=2)]), site="old.example"
    )
    assert Post.objects.get(pk=post.pk).comment_count == 2

    import_comments(
        "isso", isso_file(tmp_path, [item(1), item(2, mode=2), item(3, mode=2)]), site="old.example"
    )

    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_text_goes_through_the_comment_sanitizer(post_at, tmp_path):
    post_at("/ferry/")
    attack = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"

    import_comments("isso", isso_file(tmp_path, [item(1, text=attack)]), site="old.example")

    html = Comment.objects.get().body_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_a_failure_midway_stores_nothing(post_at, tmp_path, monkeypatch):
    post_at("/ferry/")
    import_comments("isso", isso_file(tmp_path, [item(1, text="kept")]), site="old.example")

    def broken(source):
        if source == "the reply":
            raise RuntimeError("disk full")
        return f"<p>{source}</p>"

    monkeypatch.setattr("masthead.publishing.markup.render_comment", broken)
    file = isso_file(tmp_path, [item(1, text="changed"), item(2, text="the reply", parent=1)])
    with pytest.raises(RuntimeError):
        import_comments("isso", file, site="old.example")

    assert list(Comment.objects.values_list("body", flat=True)) == ["kept"]


def test_replies_past_the_deepest_level_hang_from_the_deepest_allowed(post_at, tmp_path):
    post_at("/ferry/")
    config = DiscussionSettings.current()
    config.max_depth = 2
    config.save()
    chain = [item(1)] + [item(n, parent=n - 1) for n in range(2, 5)]

    import_comments("isso", isso_file(tmp_path, chain), site="old.example")

    depths = {c.legacy_id: (c.depth, c.parent_id) for c in Comment.objects.all()}
    first = Comment.objects.get(legacy_id=legacy_id("isso", "/ferry/#1", "old.example"))
    second = Comment.objects.get(legacy_id=legacy_id("isso", "/ferry/#2", "old.example"))
    assert depths[legacy_id("isso", "/ferry/#4", "old.example")] == (1, first.pk)
    assert second.parent == first


def test_a_loop_of_replies_is_broken_not_followed(post_at, tmp_path):
    post_at("/ferry/")
    loop = [item(1, parent=2), item(2, parent=1)]

    report = import_comments("isso", isso_file(tmp_path, loop), site="old.example")

    assert Comment.objects.count() == 2
    assert report.notes["replies in a loop of replies, kept as new threads"] >= 1


def test_the_same_file_twice_in_one_go_of_two_formats_does_not_collide(post_at, tmp_path):
    post_at("/ferry/")
    import_comments("isso", isso_file(tmp_path, [item(1)]), site="old.example")
    path = tmp_path / "commento.json"
    path.write_text(
        json.dumps(
            {
                "comments": [
                    {
                        "commentHex": "/ferry/#1",
                        "url": "/ferry/",
                        "parentHex": "root",
                        "markdown": "Other system",
                        "state": "approved",
                        "creationDate": "2021-01-01T00:00:00Z",
                    }
                ]
            }
        )
    )

    import_comments("commento", path, site="old.example")

    assert Comment.objects.count() == 2


def remark42_file(tmp_path, url, *ids, name="remark42.json"):
    comments = [
        {
            "id": wp_id,
            "pid": "",
            "orig": f"Comment {wp_id} on {url}",
            "user": {"name": "Lena"},
            "locator": {"site": "remark", "url": url},
            "time": "2019-05-01T08:00:00Z",
        }
        for wp_id in ids
    ]
    path = tmp_path / name
    path.write_text(json.dumps(comments))
    return path


def test_two_sites_with_the_same_comment_ids_keep_both_discussions(post_at, run_import, tmp_path):
    ferry = post_at("https://old.example/ferry/", title="Ferry")
    market = post_at("https://sister.example/market/", title="Market")
    first = remark42_file(tmp_path, "https://old.example/ferry/", "1", "2", name="a.json")
    second = remark42_file(tmp_path, "https://WWW.Sister.example/market/", "1", name="b.json")

    run_import("remark42", first, site=None)
    out = run_import("remark42", second, site=None)
    again = run_import("remark42", second, site=None)

    assert "imported 1, updated 0, unchanged 0" in out
    assert "imported 0, updated 0, unchanged 1" in again
    assert sorted(ferry.comments.values_list("body", flat=True)) == [
        "Comment 1 on https://old.example/ferry/",
        "Comment 2 on https://old.example/ferry/",
    ]
    assert market.comments.get().legacy_id == "remark42:sister.example:1"


def test_a_file_that_names_no_site_asks_for_site_and_stores_nothing(post_at, run_import, tmp_path):
    post_at("/ferry/")
    file = isso_file(tmp_path, [item(1)])

    with pytest.raises(CommandError, match=r"which site thread '/ferry/' was on; pass --site"):
        run_import("isso", file, site=None)
    with pytest.raises(CommandError, match=r"--site 'not a host' is not a host name"):
        run_import("isso", file, site="not a host")
    assert not Comment.objects.exists()

    run_import("isso", file, site="https://Old.Example/")
    assert Comment.objects.get().legacy_id == "isso:old.example:/ferry/#1"


def test_comments_stored_under_the_old_id_form_are_found_again_not_doubled(
    post_at, run_import, tmp_path
):
    ferry, other = post_at("/ferry/", title="Ferry"), post_at("/other/", title="Other")
    run_import("isso", isso_file(tmp_path, [item(1), item(2, parent=1)]))
    # As an earlier version stored them: no site in the id.
    for comment in Comment.objects.all():
        comment.legacy_id = comment.legacy_id.replace("isso:old.example:", "isso:")
        comment.save(update_fields=["legacy_id"])
    elsewhere = Comment.objects.create(
        post=other, author_name="Ines", body="Another site's", legacy_id="isso:/ferry/#3"
    )

    out = run_import("isso", isso_file(tmp_path, [item(1), item(2, parent=1), item(3)]))

    assert "imported 1, updated 0, unchanged 2" in out
    assert "2 stored by an earlier version, now named by their site" in out
    assert sorted(ferry.comments.values_list("legacy_id", flat=True)) == [
        "isso:old.example:/ferry/#1",
        "isso:old.example:/ferry/#2",
        "isso:old.example:/ferry/#3",
    ]
    elsewhere.refresh_from_db()
    assert (elsewhere.post, elsewhere.legacy_id) == (other, "isso:/ferry/#3")
