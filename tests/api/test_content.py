"""Anonymous reads: what the public may see, and nothing more."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.publishing import services
from masthead.publishing.models import Author, Category, Status


def test_it_lists_published_posts_newest_first_with_their_filing(api, make_post, category, tag):
    make_post(title="Older", published_at=timezone.now() - dt.timedelta(days=3))
    make_post(title="Newer", categories=[category], tags=[tag])
    body = api.get("/posts").json()
    assert [p["title"] for p in body["items"]] == ["Newer", "Older"]
    newer = body["items"][0]
    assert newer["categories"] == [{"id": category.pk, "name": "City", "path": "city"}]
    assert newer["tags"][0]["slug"] == "transport"
    assert newer["authors"][0]["name"] == "Mara Lindqvist"
    assert newer["url"].startswith("http://testserver/")
    assert body["next"] is None


def test_it_never_shows_drafts_or_posts_scheduled_for_later(api, make_post):
    draft = make_post(title="Draft", status=Status.DRAFT, published_at=None)
    later = make_post(title="Later", published_at=timezone.now() + dt.timedelta(days=1))
    make_post(title="Out")
    assert [p["title"] for p in api.get("/posts").json()["items"]] == ["Out"]
    for post in (draft, later):
        reply = api.get(f"/posts/{post.pk}")
        assert reply.status_code == 404
        assert reply.json() == {"detail": "No published post has that id."}


def test_it_pages_by_cursor_without_repeating_or_skipping(api, make_post):
    now = timezone.now()
    for i in range(5):
        make_post(title=f"Post {i}", published_at=now - dt.timedelta(hours=i + 1))
    # Two at the very same moment: the id breaks the tie.
    make_post(title="Twin A", published_at=now - dt.timedelta(hours=9))
    make_post(title="Twin B", published_at=now - dt.timedelta(hours=9))
    seen, url = [], "/posts?limit=2"
    while url:
        body = api.get(url).json()
        assert len(body["items"]) <= 2
        seen += [p["title"] for p in body["items"]]
        url = body["next"] and body["next"].removeprefix("http://testserver/api/v1")
    assert seen == ["Post 0", "Post 1", "Post 2", "Post 3", "Post 4", "Twin B", "Twin A"]


def test_a_forged_cursor_is_refused_with_a_reason(api, make_post):
    make_post()
    reply = api.get("/posts?cursor=made-up")
    assert reply.status_code == 422
    assert reply.json()["detail"] == "That cursor is not one this API gave out."


def test_a_cursor_from_another_list_is_refused(api, make_post, tag):
    make_post(title="One")
    make_post(title="Two", published_at=timezone.now() - dt.timedelta(days=2))
    cursor = api.get("/posts?limit=1").json()["next"].split("cursor=")[1]
    reply = api.get(f"/tags?cursor={cursor}")
    assert reply.status_code == 422
    assert "another list" in reply.json()["detail"]


def test_it_filters_posts_by_category_tag_and_author(api, make_post, category, tag):
    make_post(title="Filed", categories=[category], tags=[tag])
    make_post(title="Loose")
    assert [p["title"] for p in api.get("/posts?category=city").json()["items"]] == ["Filed"]
    assert [p["title"] for p in api.get("/posts?tag=transport").json()["items"]] == ["Filed"]
    by = api.get("/posts?author=mara-lindqvist").json()["items"]
    assert {p["title"] for p in by} == {"Filed", "Loose"}
    assert api.get("/posts?category=nowhere").status_code == 404


def test_it_gives_a_post_by_id_and_by_its_address(api, make_post):
    post = make_post(body="The **ferry** is back.")
    by_id = api.get(f"/posts/{post.pk}").json()
    assert "<strong>ferry</strong>" in by_id["body_html"]
    assert by_id["comments_url"] == f"http://testserver/api/v1/posts/{post.pk}/comments"
    by_path = api.get(f"/posts/by-path?path={post.get_absolute_url()}").json()
    assert by_path == by_id
    assert api.get("/posts/by-path?path=/2001/01/01/nothing/").status_code == 404
    assert api.get("/posts/by-path?path=/tag/transport/").status_code == 404


def test_it_gives_published_pages_only(api, db):
    about = services.save_page(title="About", body="Who we are.", status=Status.PUBLISHED)
    services.save_page(title="Plans", body="Secret.", status=Status.DRAFT)
    listed = api.get("/pages").json()["items"]
    assert [p["title"] for p in listed] == ["About"]
    assert "Who we are." in api.get(f"/pages/{about.pk}").json()["body_html"]
    assert api.get("/pages/by-path?path=/about/").json()["id"] == about.pk
    assert api.get("/pages/by-path?path=plans").status_code == 404


def test_it_lists_categories_tags_and_only_authors_the_public_has_read(
    api, make_post, category, tag
):
    Category.objects.create(name="Europe", slug="europe", parent=category)
    make_post(tags=[tag])
    hidden = Author.objects.create(display_name="Not Yet", slug="not-yet")
    make_post(title="Draft", status=Status.DRAFT, published_at=None, authors=[hidden])
    assert [c["path"] for c in api.get("/categories").json()["items"]] == ["city", "city/europe"]
    assert [t["name"] for t in api.get("/tags").json()["items"]] == ["Transport"]
    assert [a["slug"] for a in api.get("/authors").json()["items"]] == ["mara-lindqvist"]


@pytest.mark.parametrize("limit", [0, 500])
def test_a_limit_out_of_range_is_brought_into_it(api, make_post, limit):
    make_post()
    assert len(api.get(f"/posts?limit={limit}").json()["items"]) == 1


def _queries(api, path) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


def test_a_list_costs_the_same_queries_for_3_posts_as_for_12(api, make_post, category, tag):
    for i in range(3):
        make_post(title=f"Post {i}", categories=[category], tags=[tag])
    few = _queries(api, "/posts")
    for i in range(9):
        make_post(title=f"More {i}", categories=[category], tags=[tag])
    assert _queries(api, "/posts") == few


def test_an_address_under_the_api_that_is_no_endpoint_is_a_json_404(api, db):
    for path in ("/nowhere", "/posts/not-a-number", "/posts/"):
        reply = api.get(path)
        assert reply.status_code == 404
        assert reply.json() == {"detail": "No such endpoint; /api/v1/docs lists them all."}


def test_a_page_address_with_a_nul_byte_is_not_found(client, db):
    answer = client.get("/api/v1/pages/by-path", {"path": "about\x00"})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No published page has that address."
