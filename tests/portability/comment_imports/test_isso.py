"""The Isso generic sample into two posts, checked against the JSON itself."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError

from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing.models import Post


@pytest.fixture
def isso_file(sample):
    return sample("isso", "isso-generic.json")


@pytest.fixture
def posts(isso_file, post_at):
    return {t["id"]: post_at(t["id"]) for t in json.loads(isso_file.read_text())}


def test_each_thread_s_comments_go_to_the_post_at_its_path(isso_file, posts, run_import, imported):
    out = run_import("isso", isso_file)

    comments = imported("isso")
    threads = json.loads(isso_file.read_text())
    assert len(comments) == sum(len(t["comments"]) for t in threads) == 2
    for thread in threads:
        for item in thread["comments"]:
            # Isso numbers comments per thread: both sample comments are id 0.
            comment = comments[f"{thread['id']}#{item['id']}"]
            assert comment.post == posts[thread["id"]]
            assert comment.author_name == item["author"]
            assert comment.body == item["text"].strip()
            assert comment.author_url == item["website"]
    assert "imported 2, updated 0, unchanged 0, skipped 0, on 2 posts" in out


def test_fields_are_kept_and_blanks_stay_blank(isso_file, posts, run_import, imported):
    run_import("isso", isso_file)

    spam = imported("isso")["/posts/0001/#0"]
    assert spam.created_at == dt.datetime(2005, 2, 24, 4, 3, 37, tzinfo=dt.UTC)
    assert spam.author_email == ""
    # 0.0.0.0 is Isso's "no address", not an address.
    assert spam.ip_address is None
    other = imported("isso")["/posts/0007/#0"]
    assert other.author_email == "105421439@87750645.com"
    assert other.body_html == "<p>Ja-make-a me crazzy mon :)</p>\n"
    assert all(p.comment_count == 1 for p in Post.objects.all())


def test_modes_replies_and_running_it_again(post_at, run_import, imported, tmp_path):
    post_at("/notes/ferry/")
    file = tmp_path / "isso.json"
    file.write_text(
        json.dumps(
            [
                {
                    "id": "/notes/ferry/",
                    "comments": [
                        {"id": 1, "author": "", "created": "2020-01-01 10:00:00", "text": "**A**"},
                        {"id": 2, "parent": 1, "created": 1577873400, "text": "B", "mode": 2},
                        {"id": 3, "parent": 9, "created": "2020-01-02 10:00:00", "text": "C"},
                        {"id": 4, "created": "2020-01-03 10:00:00", "text": "", "mode": 4},
                    ],
                }
            ]
        )
    )

    out = run_import("isso", file)
    again = run_import("isso", file)

    comments = imported("isso")
    first, held, lost = (comments[f"/notes/ferry/#{n}"] for n in (1, 2, 3))
    assert first.author_name == "Anonymous"
    assert first.body_html == "<p><strong>A</strong></p>\n"
    assert held.parent == first and held.status == CommentStatus.PENDING
    assert held.created_at == dt.datetime(2020, 1, 1, 10, 10, tzinfo=dt.UTC)
    assert lost.parent is None
    assert "skipped 1: deleted, no replies" in out
    assert "1 replies to comments not imported, kept as new threads" in out
    assert "imported 0, updated 0, unchanged 3" in again
    assert Comment.objects.count() == 3


def test_malformed_json_names_the_line_and_column(run_import, tmp_path, db):
    file = tmp_path / "broken.json"
    file.write_text('[{"id": "/a/",\n  "comments": [}]\n')

    with pytest.raises(CommandError, match=r"broken.json: line 2, column 16: .*Nothing was"):
        run_import("isso", file)


def test_a_bad_date_stores_nothing_at_all(post_at, run_import, tmp_path):
    post_at("/a/")
    file = tmp_path / "dates.json"
    good = {"id": 1, "created": "2020-01-01 10:00:00", "text": "fine"}
    bad = {"id": 2, "created": "yesterday", "text": "broken"}
    file.write_text(json.dumps([{"id": "/a/", "comments": [good, bad]}]))

    with pytest.raises(CommandError, match="thread 1, comment 2: 'yesterday' is not a date"):
        run_import("isso", file)
    assert not Comment.objects.exists()


def test_a_thread_at_a_standing_page_s_address_goes_to_that_page(
    make_page, run_import, imported, tmp_path
):
    page = make_page(title="Contact", slug="contact")
    file = tmp_path / "isso.json"
    thread = [
        {"id": 1, "created": "2020-01-01 10:00:00", "text": "Is the desk open on Sundays?"},
        {"id": 2, "parent": 1, "created": "2020-01-01 11:00:00", "text": "From noon."},
    ]
    file.write_text(json.dumps([{"id": "/contact/", "comments": thread}]))

    run_import("isso", file)

    question, answer = (imported("isso")[f"/contact/#{n}"] for n in (1, 2))
    assert question.page == page and question.post is None
    assert answer.parent == question and answer.target == page
    page.refresh_from_db()
    assert page.comment_count == 2
