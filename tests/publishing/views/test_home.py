import datetime as dt

import pytest
from django.utils import timezone

from masthead.publishing.models import Status


@pytest.fixture
def many_posts(make_post):
    now = timezone.now()
    return [
        make_post(title=f"Story number {i}", published_at=now - dt.timedelta(hours=i))
        for i in range(1, 24)
    ]


def test_it_lists_the_latest_posts_newest_first(client, make_post):
    make_post(title="Older story", published_at=timezone.now() - dt.timedelta(days=3))
    make_post(title="Newer story", published_at=timezone.now() - dt.timedelta(days=1))
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Older story")


def test_anonymous_readers_never_see_drafts_or_scheduled_posts(client, make_post):
    make_post(title="Unfinished draft", status=Status.DRAFT, published_at=None)
    make_post(title="Tomorrow's story", published_at=timezone.now() + dt.timedelta(days=1))
    html = client.get("/").content.decode()
    assert "Unfinished draft" not in html
    assert "Tomorrow" not in html


def test_sticky_posts_lead_the_home_page(client, make_post):
    make_post(
        title="Pinned explainer", sticky=True, published_at=timezone.now() - dt.timedelta(days=9)
    )
    make_post(title="Fresh news")
    html = client.get("/").content.decode()
    assert html.index("Pinned explainer") < html.index("Fresh news")


def test_it_paginates_ten_to_a_page(client, many_posts):
    first = client.get("/").content.decode()
    third = client.get("/?page=3").content.decode()
    assert "Story number 1<" in first and "Story number 11<" not in first
    assert "Story number 21<" in third
    assert "Page 3 of 3" in third


@pytest.mark.parametrize("junk", ["abc", "-1", "0", "", "1e3", "%00"])
def test_a_malformed_page_number_shows_the_first_page(client, many_posts, junk):
    response = client.get(f"/?page={junk}")
    assert response.status_code == 200
    assert "Page 1 of 3" in response.content.decode()


@pytest.mark.parametrize("beyond", ["4", "99999999999999999999"])
def test_a_page_past_the_end_is_not_found(client, many_posts, beyond):
    assert client.get(f"/?page={beyond}").status_code == 404


def test_the_home_page_costs_the_same_queries_for_3_or_23_posts(
    client, make_post, django_assert_max_num_queries, django_assert_num_queries
):
    now = timezone.now()
    for i in range(3):
        make_post(title=f"Early {i}", published_at=now - dt.timedelta(days=30 + i))
    client.get("/")
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    for i in range(20):
        make_post(title=f"Later {i}", published_at=now - dt.timedelta(hours=i + 1))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/")


def test_wordpress_search_links_are_redirected(client):
    response = client.get("/?s=ferry")
    assert response.status_code == 302
    assert response["Location"] == "/search/?s=ferry"


def test_pages_make_no_request_to_another_host(client, make_post):
    response = client.get("/")
    html = response.content.decode()
    assert "https://" not in html.replace("http://testserver", "")
    assert "default-src 'self'" in response["Content-Security-Policy"]
