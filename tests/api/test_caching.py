"""Anonymous reads are cached like the pages, and renewed by what renews them."""

import pytest

from masthead.discussion import services
from masthead.publishing import services as publishing


@pytest.fixture
def article(make_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_post(title="Ferry timetable")


def test_a_repeated_read_is_served_from_the_cache(api, article, django_assert_num_queries):
    first = api.get("/posts")
    with django_assert_num_queries(0):
        again = api.get("/posts")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_client_holding_the_current_etag_gets_a_304(api, article):
    etag = api.get(f"/posts/{article.pk}")["ETag"]
    reply = api.get(f"/posts/{article.pk}", HTTP_IF_NONE_MATCH=etag)
    assert reply.status_code == 304
    assert reply.content == b""


def test_a_publish_renews_the_lists(api, article, make_post, django_capture_on_commit_callbacks):
    assert len(api.get("/posts").json()["items"]) == 1
    etag = api.get("/posts")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_post(title="Night ferry", status="draft", published_at=None)
    assert len(api.get("/posts").json()["items"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(draft)
    reply = api.get("/posts", HTTP_IF_NONE_MATCH=etag)
    assert reply.status_code == 200
    assert [p["title"] for p in reply.json()["items"]] == ["Night ferry", "Ferry timetable"]


def test_an_approved_comment_renews_its_discussion(
    api, article, make_comment, django_capture_on_commit_callbacks
):
    held = make_comment(article, approve=False)
    assert api.get(f"/posts/{article.pk}/comments").json()["items"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comment(held)
    assert [c["id"] for c in api.get(f"/posts/{article.pk}/comments").json()["items"]] == [held.pk]


def test_a_held_comment_keeps_the_cache(api, article, make_comment, django_assert_num_queries):
    api.get(f"/posts/{article.pk}/comments")
    make_comment(article, approve=False)
    # One query: the post is looked up before its discussion is served.
    with django_assert_num_queries(1):
        api.get(f"/posts/{article.pk}/comments")


def test_a_staff_read_is_never_cached(api_as, moderator, make_comment):
    api = api_as(moderator)
    assert api.get("/moderation/comments").json()["items"] == []
    held = make_comment(approve=False)
    assert [c["id"] for c in api.get("/moderation/comments").json()["items"]] == [held.pk]
    assert "public" not in api.get("/moderation/comments").get("Cache-Control", "")
