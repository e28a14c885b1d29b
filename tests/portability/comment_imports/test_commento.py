"""The Commento sample into two posts, checked against the JSON itself."""

import datetime as dt
import json

import pytest

from masthead.discussion.models import Comment, CommentStatus
from masthead.portability.comment_imports.store import legacy_id


@pytest.fixture
def commento_file(sample):
    return sample("commento", "commento-export.json")


@pytest.fixture
def export(commento_file):
    return json.loads(commento_file.read_text())


@pytest.fixture
def posts(export, post_at):
    urls = sorted({c["url"] for c in export["comments"]})
    return {url: post_at(f"https://{export['comments'][0]['domain']}{url}") for url in urls}


def test_every_comment_goes_to_its_post_with_its_commenter(
    commento_file, export, posts, run_import
):
    out = run_import("commento", commento_file, site=None)  # the file says: "domain"

    people = {p["commenterHex"]: p for p in export["commenters"]}
    assert Comment.objects.count() == len(export["comments"]) == 3
    for item in export["comments"]:
        comment = Comment.objects.get(
            legacy_id=legacy_id("commento", item["commentHex"], item["domain"])
        )
        assert comment.post == posts[item["url"]]
        assert comment.body == item["markdown"]
        assert comment.status == CommentStatus.APPROVED
        person = people.get(item["commenterHex"])
        assert comment.author_name == (person["name"] if person else "Anonymous")
        assert comment.author_email == (person["email"] if person else "")
        assert comment.author_url == (person["link"] if person else "")
        if item["parentHex"] == "root":
            assert comment.parent is None
        else:
            assert comment.parent.legacy_id == legacy_id(
                "commento", item["parentHex"], item["domain"]
            )
    assert "imported 3, updated 0, unchanged 0, skipped 0, on 2 posts" in out


def test_dates_with_and_without_fractions(commento_file, posts, run_import):
    run_import("commento", commento_file)

    reply = Comment.objects.get(body="Great reply!")
    assert reply.created_at == dt.datetime(2021, 5, 11, 15, 43, 1, 852651, tzinfo=dt.UTC)
    first = Comment.objects.get(body="Example comment created by user.")
    assert first.created_at == dt.datetime(2021, 3, 12, 11, 21, 56, tzinfo=dt.UTC)


def test_long_hex_ids_fit_and_a_second_run_finds_them(commento_file, posts, run_import):
    run_import("commento", commento_file)
    out = run_import("commento", commento_file)

    assert all(len(c.legacy_id) <= 64 for c in Comment.objects.all())
    assert "imported 0, updated 0, unchanged 3" in out


def test_held_flagged_and_deleted_states(export, posts, run_import, tmp_path):
    first, second, reply = export["comments"]
    first["state"] = "unapproved"
    reply["state"] = "flagged"
    second.update(deleted=True, markdown="[deleted]")
    (tmp_path / "states.json").write_text(json.dumps(export))

    run_import("commento", tmp_path / "states.json")

    by_body = {c.body: c for c in Comment.objects.all()}
    assert by_body["Example comment created by user."].status == CommentStatus.PENDING
    assert by_body["Great reply!"].status == CommentStatus.SPAM
    # The deleted comment has a reply: a placeholder, text gone.
    assert by_body[""].is_deleted
    assert by_body["Great reply!"].parent == by_body[""]
    assert not Comment.objects.counted().exists()
