"""The Disqus sample into two posts, checked against the XML itself."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError

from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing.models import Post

DSQ = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


@pytest.fixture
def disqus_file(sample):
    return sample("disqus", "isso-disqus.xml")


@pytest.fixture
def posts(post_at):
    """One post per thread in the sample, at the links the sample gives."""
    return {
        "2": post_at("http://example.org/", title="Hello, World!"),
        # The file links to .../redacted/index.html: the same page as .../redacted/.
        "7": post_at("http://localhost:4000/blog/2013/02/12/redacted/", title="Redacted"),
    }


def file_posts(path) -> dict[str, ET.Element]:
    return {p.get(DSQ_ID): p for p in ET.parse(path).getroot().iter(f"{DSQ}post")}


def ref(element, name):
    child = element.find(f"{DSQ}{name}")
    return child.get(DSQ_ID) if child is not None else None


def test_it_imports_every_comment_into_its_thread_and_skips_the_orphan(
    disqus_file, posts, run_import, imported
):
    out = run_import("disqus", disqus_file)

    comments = imported("disqus")
    in_file = file_posts(disqus_file)
    threads = {key: post.pk for key, post in posts.items()}
    # Every comment of a thread in the file, and only those: post 6 names thread 1337.
    placed = {key for key, p in in_file.items() if ref(p, "thread") in threads}
    assert set(comments) == placed == {"4", "5", "8", "9", "11"}
    for key, comment in comments.items():
        assert comment.post_id == threads[ref(in_file[key], "thread")]
    assert "imported 5, updated 0, unchanged 0, skipped 1, on 2 posts" in out
    assert "skipped 1: its thread is not in the file" in out


def test_replies_hang_from_the_comments_the_file_names(disqus_file, posts, run_import, imported):
    run_import("disqus", disqus_file)

    comments = imported("disqus")
    for key, element in file_posts(disqus_file).items():
        if key in comments:
            parent = comments[key].parent
            assert (parent.legacy_id if parent else None) == (
                f"disqus:{ref(element, 'parent')}" if ref(element, "parent") else None
            )
    assert comments["5"].parent == comments["4"]
    assert comments["5"].depth == 1


def test_a_deleted_comment_with_a_reply_stays_as_a_placeholder(
    disqus_file, posts, run_import, imported
):
    out = run_import("disqus", disqus_file)

    deleted, reply = imported("disqus")["9"], imported("disqus")["11"]
    assert deleted.is_deleted and deleted.body == deleted.body_html == ""
    assert reply.parent == deleted and reply.body == "Hello, World."
    assert "1 kept as placeholders for their replies" in out
    # Readers see the placeholder, and the count leaves it out: 4, 5 and 11.
    assert Post.objects.get(pk=posts["2"].pk).comment_count == 3
    assert Post.objects.get(pk=posts["7"].pk).comment_count == 1


def test_authors_dates_addresses_and_html_are_kept(disqus_file, posts, run_import, imported):
    run_import("disqus", disqus_file)

    comments = imported("disqus")
    first, empty = comments["4"], comments["8"]
    assert (first.author_name, first.author_email) == ("peter", "foo@bar.com")
    assert str(first.ip_address) == "127.0.0.1"
    assert first.created_at == dt.datetime(2013, 10, 10, 19, 20, 29, tzinfo=dt.UTC)
    assert first.status == CommentStatus.APPROVED
    # The message is HTML in the file, Markdown source here, rendered like a reader's.
    assert empty.body == "Message from thread with empty title and id"
    assert empty.body_html == "<p>Message from thread with empty title and id</p>\n"
    assert empty.author_name == "Empty"


def test_running_it_again_changes_nothing(disqus_file, posts, run_import):
    run_import("disqus", disqus_file)
    before = list(Comment.objects.values_list("pk", "legacy_id", "parent_id", "body_html"))

    out = run_import("disqus", disqus_file)

    assert list(Comment.objects.values_list("pk", "legacy_id", "parent_id", "body_html")) == before
    assert "imported 0, updated 0, unchanged 5" in out


def test_a_comment_changed_in_the_file_is_updated_in_place(
    disqus_file, posts, run_import, imported, tmp_path
):
    run_import("disqus", disqus_file)
    changed = tmp_path / "again.xml"
    text = disqus_file.read_text()
    changed.write_text(text.replace("<isSpam>false</isSpam>", "<isSpam>true</isSpam>", 2))

    out = run_import("disqus", changed)

    assert "imported 0, updated 2, unchanged 3" in out
    assert imported("disqus")["4"].status == CommentStatus.SPAM
    assert Comment.objects.count() == 5


def test_spam_and_unapproved_comments_never_become_public(
    disqus_file, posts, run_import, imported, tmp_path
):
    text = disqus_file.read_text()
    spam = text.replace("<isSpam>false</isSpam>", "<isSpam>true</isSpam>", 1)
    held = spam.replace(
        "<isSpam>false</isSpam>", "<isSpam>false</isSpam><isApproved>false</isApproved>", 1
    )
    (tmp_path / "flagged.xml").write_text(held)

    run_import("disqus", tmp_path / "flagged.xml")

    comments = imported("disqus")
    assert comments["4"].status == CommentStatus.SPAM
    assert comments["5"].status == CommentStatus.PENDING
    assert not Comment.objects.visible().filter(pk__in=[comments["4"].pk, comments["5"].pk])
    assert Post.objects.get(pk=posts["2"].pk).comment_count == 1


def test_threads_without_a_post_are_reported_with_the_reason(disqus_file, post_at, run_import):
    post_at("http://example.org/")

    out = run_import("disqus", disqus_file)

    assert (
        "thread 7 matched no post: no post at "
        "http://localhost:4000/blog/2013/02/12/redacted/index.html" in out
    )
    assert "skipped 1: its thread matched no post" in out


def test_a_dry_run_reports_and_stores_nothing(disqus_file, posts, run_import):
    out = run_import("disqus", disqus_file, "--dry-run")

    assert "would import 5" in out and "Dry run: nothing was stored." in out
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=posts["2"].pk).comment_count == 0


def test_a_missing_file_is_a_clear_error(run_import, tmp_path, db):
    with pytest.raises(CommandError, match="No such file"):
        run_import("disqus", tmp_path / "nowhere.xml")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE disqus [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="2"><link>http://example.org/</link></thread>
  <post dsq:id="4"><message>&lol4;</message><createdAt>2013-10-10T19:20:29Z</createdAt>
    <thread dsq:id="2"/></post>
</disqus>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="2"><link>http://example.org/</link></thread>
  <post dsq:id="4"><message>&secret;</message><createdAt>2013-10-10T19:20:29Z</createdAt>
    <thread dsq:id="2"/></post>
</disqus>
"""


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_entities_are_refused_and_nothing_is_stored(attack, posts, run_import, tmp_path):
    (tmp_path / "attack.xml").write_text(attack)

    with pytest.raises(CommandError, match="refused, the file declares a DTD"):
        run_import("disqus", tmp_path / "attack.xml")
    assert not Comment.objects.exists()


def test_a_truncated_file_names_where_it_breaks_and_keeps_the_earlier_import(
    disqus_file, posts, run_import, tmp_path
):
    run_import("disqus", disqus_file)
    before = list(Comment.objects.values_list("pk", "status", "body"))
    text = disqus_file.read_text()
    cut = text[: text.index("<!-- deleted post -->")]
    (tmp_path / "cut.xml").write_text(cut)

    with pytest.raises(CommandError, match=r"cut.xml: line \d+, column \d+: no element found"):
        run_import("disqus", tmp_path / "cut.xml")
    assert list(Comment.objects.values_list("pk", "status", "body")) == before


def test_another_xml_file_is_not_taken_for_an_export(run_import, tmp_path, db):
    (tmp_path / "feed.xml").write_text("<rss><channel/></rss>")

    with pytest.raises(CommandError, match="not a Disqus export"):
        run_import("disqus", tmp_path / "feed.xml")


def test_bytes_that_are_not_the_declared_encoding_are_reported(run_import, tmp_path, db):
    (tmp_path / "latin.xml").write_bytes(b'<?xml version="1.0"?>\n<disqus>\xe9\xff</disqus>')

    with pytest.raises(CommandError, match=r"latin.xml: line 2, column \d+"):
        run_import("disqus", tmp_path / "latin.xml")


def test_readers_see_the_thread_on_a_page_cached_before_the_import(
    disqus_file, posts, run_import, wsgi, django_capture_on_commit_callbacks
):
    url = posts["2"].get_absolute_url()
    assert "Hello, World." not in wsgi(url).text

    with django_capture_on_commit_callbacks(execute=True):
        run_import("disqus", disqus_file)

    page = wsgi(url).text
    assert page.count("Hello, World.") >= 2  # the reply to 4 and the reply to the deleted 9
    assert "This comment was deleted." in page
    assert "peter" in page
