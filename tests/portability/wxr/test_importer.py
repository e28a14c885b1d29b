"""What an import does with small made exports: statuses, safety, silence, re-runs."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult
from PIL import Image

from masthead.discussion import services
from masthead.discussion.models import Comment, SpamLesson, Subscription
from masthead.portability.models import ImportedMedia, ImportRun
from masthead.portability.wxr.importer import import_wxr
from masthead.publishing.models import Author, Post, Status
from tests.portability.conftest import attachment, comment, item

pytestmark = pytest.mark.django_db


def _thread():
    return "".join(
        [
            comment(1, body="<p>First, with <a href='https://ok.example'>a link</a>.</p>"),
            comment(2, parent=1, body="<script>alert(1)</script><p>Reply <b>bold</b></p>"),
            comment(3, parent=2, approved="0", body="Held reply"),
            comment(4, approved="spam", body="Buy now"),
            comment(5, approved="trash", body="Binned"),
            comment(6, kind="pingback", body="[...] linked here [...]"),
        ]
    )


def test_comments_keep_their_status_thread_and_nothing_unsafe(make_wxr):
    import_wxr(make_wxr(item(10, title="Harbour news", extra=_thread())))
    by_id = {c.legacy_id.rsplit(":", 1)[1]: c for c in Comment.objects.all()}
    assert {k: c.status for k, c in by_id.items()} == {
        "1": "approved",
        "2": "approved",
        "3": "pending",
        "4": "spam",
        "5": "trash",
        "6": "approved",
    }
    assert by_id["3"].parent == by_id["2"] and by_id["2"].parent == by_id["1"]
    assert by_id["3"].depth == 2
    assert by_id["6"].kind == "pingback"
    assert (
        '<a href="https://ok.example" rel="nofollow ugc noopener">a link</a>'
        in by_id["1"].body_html
    )
    assert (
        "<script>" not in by_id["2"].body_html and "<strong>bold</strong>" in by_id["2"].body_html
    )
    assert by_id["1"].ip_address == "203.0.113.9"
    post = Post.objects.get()
    assert post.comment_count == 3
    assert [c.pk for c in Comment.objects.visible()] == [by_id[k].pk for k in ("1", "2", "6")]


def test_an_import_sends_no_email_queues_no_task_and_teaches_no_spam(
    make_wxr, mailoutbox, django_capture_on_commit_callbacks, moderator
):
    with django_capture_on_commit_callbacks(execute=True):
        import_wxr(make_wxr(item(10, extra=_thread())))
    post = Post.objects.get()
    Subscription.objects.create(
        email="follower@example.org", post=post, confirmed_at=post.published_at
    )
    held = Comment.objects.get(status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comment(held, by=moderator)
    assert mailoutbox == []
    assert not DBTaskResult.objects.filter(task_path__endswith="notify_moderators").exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="announce_post").exists()
    # Only the moderator's own decision after the import taught the classifier.
    assert list(SpamLesson.objects.values_list("comment", flat=True)) == [held.pk]


@pytest.mark.parametrize(
    ("status", "extra"),
    [
        ("draft", ""),
        ("private", ""),
        ("future", ""),
        ("pending", ""),
        ("publish", "<wp:post_password>enter</wp:post_password>"),
    ],
)
def test_what_wordpress_kept_back_arrives_as_a_listed_draft(make_wxr, client, status, extra):
    path = make_wxr(
        item(10, title="Not yet", status=status, extra=extra).replace(
            "<wp:post_password></wp:post_password>", ""
        )
        if extra
        else item(10, title="Not yet", status=status)
    )
    report = import_wxr(path)
    post = Post.objects.get()
    assert post.status == Status.DRAFT and not post.is_public
    assert [what for what, _ in report.held_back] == ["post 10 “Not yet”"]
    assert client.get("/", {"p": 10}).status_code != 301


def test_a_second_run_updates_and_a_second_site_adds(make_wxr):
    first = make_wxr(item(10, title="Harbour news", extra=comment(1)), name="a.xml")
    import_wxr(first)
    edited = make_wxr(item(10, title="Harbour news, updated", extra=comment(1)), name="a2.xml")
    report = import_wxr(edited)
    assert list(Post.objects.values_list("title", flat=True)) == ["Harbour news, updated"]
    assert (report.created["posts"], report.updated["posts"]) == (0, 1)
    assert Comment.objects.count() == 1
    other = make_wxr(item(10, extra=comment(1)), site="https://other.example", name="b.xml")
    import_wxr(other)
    assert Post.objects.count() == 2 and Comment.objects.count() == 2
    assert Author.objects.count() == 2


def test_a_dry_run_reports_and_keeps_nothing(make_wxr):
    report = import_wxr(make_wxr(item(10, extra=comment(1))), dry_run=True)
    assert report.created["posts"] == 1 and report.created["comments"] == 1
    assert Post.objects.count() == Comment.objects.count() == 0
    assert ImportRun.objects.get().state == ImportRun.State.DRY_RUN


def test_the_rendering_workers_give_the_same_comments(make_wxr):
    path = make_wxr(item(10, extra=_thread()))
    import_wxr(path, parallel=True)
    parallel = sorted(Comment.objects.values_list("legacy_id", "body_html", "parent__legacy_id"))
    Comment.objects.all().delete()
    import_wxr(path, parallel=False)
    assert (
        sorted(Comment.objects.values_list("legacy_id", "body_html", "parent__legacy_id"))
        == parallel
    )


def test_attachment_files_found_in_the_media_folder_become_figures(make_wxr, tmp_path, client):
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG")
    (uploads / "quay.jpg").write_bytes(buffer.getvalue())
    thumb = (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>20</wp:meta_value></wp:postmeta>"
    )
    path = make_wxr(
        item(10, title="Harbour news", extra=thumb),
        attachment(20, 10, "quay.jpg"),
        attachment(21, 0, "missing.jpg"),
    )
    import_wxr(path, media_dir=tmp_path / "uploads")
    found = ImportedMedia.objects.get(legacy_id__endswith=":20")
    assert found.figure.alt_text == "Boats moored at a stone quay"
    assert found.title == "Quay at dusk" and found.description == "The old quay, long exposure."
    assert Post.objects.get().lead_figure == found.figure
    missing = ImportedMedia.objects.get(legacy_id__endswith=":21")
    assert missing.figure is None
    assert missing.url == "https://old.example/wp-content/uploads/2020/05/missing.jpg"
    post = Post.objects.get()
    moved = client.get("/", {"attachment_id": 20})
    assert (moved.status_code, moved["Location"]) == (301, post.get_absolute_url())
    old_file = client.get("/wp-content/uploads/2020/05/quay.jpg")
    assert (old_file.status_code, old_file["Location"]) == (301, found.figure.image.url)


def test_the_authors_map_gives_posts_to_people_already_here(make_wxr, tmp_path, editor):
    authors = tmp_path / "authors.csv"
    authors.write_text("wp_login,username\nkim,eddie\n")
    call_command("import_wxr", str(make_wxr(item(10))), authors=authors, stdout=io.StringIO())
    assert Post.objects.get().ordered_authors()[0].user == editor


def test_the_command_prints_the_report_and_refuses_a_broken_file(make_wxr, tmp_path):
    out = io.StringIO()
    call_command("import_wxr", str(make_wxr(item(10, extra=comment(1)))), stdout=out)
    assert "posts: 1 new, 0 updated" in out.getvalue()
    assert "comments: 1 new, 0 updated" in out.getvalue()
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>")
    with pytest.raises(CommandError, match=r"line 1, column 21.*Nothing was imported"):
        call_command("import_wxr", str(broken), stdout=io.StringIO())


def test_a_comment_id_given_twice_in_the_file_makes_one_comment(make_wxr):
    path = make_wxr(
        item(10, title="Harbour news", extra=comment(1, body="First words.")),
        item(11, title="Ferry news", extra=comment(1, body="Later words.")),
    )
    import_wxr(path)
    import_wxr(path)
    kept = Comment.objects.get()
    assert (kept.post.title, kept.body) == ("Ferry news", "Later words.")
