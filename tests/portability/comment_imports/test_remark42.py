"""The Remark42 sample: a tree of twelve comments on one page, all without text."""

import datetime as dt
import json

import pytest

from masthead.discussion.models import Comment
from masthead.publishing.models import Post


@pytest.fixture
def tree_file(sample):
    return sample("remark42", "remark42-tree.json")


def walk(nodes):
    for node in nodes:
        yield node["comment"]
        yield from walk(node.get("replies", []))


@pytest.fixture
def file_comments(tree_file):
    return list(walk(json.loads(tree_file.read_text())["comments"]))


@pytest.fixture
def post(file_comments, post_at):
    urls = {c["locator"]["url"] for c in file_comments}
    assert urls == {"url"}
    return post_at("url")


def test_comments_without_text_and_without_replies_with_text_are_skipped(
    tree_file, file_comments, post, run_import
):
    out = run_import("remark42", tree_file)

    # Every comment in the sample is blank: nothing worth showing, nothing stored.
    assert all(c["text"] == "" for c in file_comments)
    assert f"skipped {len(file_comments)}: no text, no replies" in out
    assert not Comment.objects.exists()


def test_the_tree_is_kept_when_the_comments_say_something(
    tree_file, file_comments, post, run_import, imported, tmp_path
):
    data = json.loads(tree_file.read_text())
    for comment in walk(data["comments"]):
        comment["text"] = f"<p>Comment <b>{comment['id']}</b></p>"
    (tmp_path / "tree.json").write_text(json.dumps(data))

    out = run_import("remark42", tmp_path / "tree.json")

    comments = imported("remark42")
    assert len(comments) == len(file_comments) == 12
    for item in file_comments:
        comment = comments[item["id"]]
        assert (comment.parent.legacy_id if comment.parent else "") == (
            f"remark42:old.example:{item['pid']}" if item["pid"] else ""
        )
        assert comment.created_at == dt.datetime.fromisoformat(item["time"])
        assert comment.author_name == "Anonymous"
    assert comments["131"].depth == 2 and comments["131"].parent.parent == comments["1"]
    assert comments["13"].body == "Comment **13**"
    assert comments["13"].body_html == "<p>Comment <strong>13</strong></p>\n"
    assert Post.objects.get(pk=post.pk).comment_count == 12
    assert "imported 12, updated 0, unchanged 0, skipped 0, on 1 posts" in out


def test_a_deleted_parent_keeps_its_place_for_the_replies(
    tree_file, post, run_import, imported, tmp_path
):
    data = json.loads(tree_file.read_text())
    for comment in walk(data["comments"]):
        comment["text"] = "" if comment["id"] == "13" else f"Comment {comment['id']}"
    (tmp_path / "tree.json").write_text(json.dumps(data))

    run_import("remark42", tmp_path / "tree.json")

    comments = imported("remark42")
    assert comments["13"].is_deleted
    assert comments["131"].parent == comments["13"]
    assert Post.objects.get(pk=post.pk).comment_count == 11


def test_the_backup_format_one_comment_a_line(post_at, run_import, imported, tmp_path):
    post_at("https://old.example.net/ferry/")
    lines = [
        {"version": 1, "users": [], "posts": []},
        {
            "id": "a1",
            "pid": "",
            "text": "<p>HTML</p>",
            "orig": "*Typed*",
            "user": {"name": "Lena", "ip": "5f1b2c", "block": False},
            "locator": {"site": "old", "url": "https://old.example.net/ferry/"},
            "time": "2019-05-01T08:00:00Z",
        },
        {
            "id": "a2",
            "pid": "a1",
            "text": "<p>buy now</p>",
            "user": {"name": "Spammer", "block": True},
            "locator": {"site": "old", "url": "https://old.example.net/ferry/"},
            "time": "2019-05-01T09:00:00Z",
        },
    ]
    (tmp_path / "backup").write_text("\n".join(json.dumps(line) for line in lines))

    run_import("remark42", tmp_path / "backup")

    comments = imported("remark42")
    assert comments["a1"].body == "*Typed*" and comments["a1"].ip_address is None
    assert comments["a2"].status == "spam" and comments["a2"].parent == comments["a1"]
