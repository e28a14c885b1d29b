import datetime as dt

import pytest
from django.utils import timezone

from masthead.publishing.models import Author, Category, Tag


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def world(db):
    news = Category.objects.create(name="News", slug="news")
    europe = Category.objects.create(name="Europe", slug="europe", parent=news)
    return news, europe


def test_a_category_archive_includes_its_subcategories(client, make_post, world):
    news, europe = world
    make_post(title="Top-level item", categories=[news])
    make_post(title="Item from Europe", categories=[europe])
    make_post(title="Unfiled item")
    html = client.get("/category/news/").content.decode()
    assert "Top-level item" in html and "Item from Europe" in html
    assert "Unfiled item" not in html
    assert europe.get_absolute_url() == "/category/news/europe/"
    child = client.get("/category/news/europe/").content.decode()
    assert "Item from Europe" in child and "Top-level item" not in child


def test_a_category_archive_advertises_its_feed(client, world):
    html = client.get("/category/news/").content.decode()
    assert 'href="/category/news/feed/"' in html


def test_a_tag_archive_lists_only_tagged_posts(client, make_post, tag):
    make_post(title="Tram strike", tags=[tag])
    make_post(title="Bake sale")
    html = client.get("/tag/transport/").content.decode()
    assert "Tram strike" in html and "Bake sale" not in html


def test_an_author_archive_shows_the_bio_and_their_posts(client, make_post, byline):
    byline.bio = "Covers the harbour and its people."
    byline.save()
    other = Author.objects.create(display_name="Ade Okafor", slug="ade-okafor")
    make_post(title="Hers", authors=[byline])
    make_post(title="His", authors=[other])
    html = client.get("/author/mara-lindqvist/").content.decode()
    assert "Covers the harbour" in html and "Hers" in html and ">His<" not in html


def test_date_archives_narrow_by_year_month_and_day(client, make_post):
    make_post(title="March the first", published_at=at(2025, 3, 1, 12))
    make_post(title="March the second", published_at=at(2025, 3, 2, 12))
    make_post(title="April story", published_at=at(2025, 4, 1, 12))
    make_post(title="Last year", published_at=at(2024, 12, 31, 23))
    year = client.get("/2025/").content.decode()
    month = client.get("/2025/03/").content.decode()
    day = client.get("/2025/03/02/").content.decode()
    assert "April story" in year and "Last year" not in year
    assert "March the first" in month and "April story" not in month
    assert "March the second" in day and "March the first" not in day
    assert "March 2, 2025" in day


@pytest.mark.parametrize("url", ["/category/nope/", "/tag/nope/", "/author/nope/", "/2025/02/30/"])
def test_unknown_archives_are_not_found(client, url, world):
    assert client.get(url).status_code == 404


def test_archives_cost_a_fixed_number_of_queries(
    client, make_post, tag, django_assert_max_num_queries
):
    for i in range(15):
        make_post(title=f"Tagged {i}", tags=[tag], published_at=at(2025, 5, 1 + i, 8))
    Tag.objects.create(name="Empty", slug="empty")
    for url in ("/tag/transport/", "/2025/05/", "/author/mara-lindqvist/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


IMPOSSIBLE_DATES = [
    "/9999/12/31/",
    "/9999/12/",
    "/9999/",
    "/0000/",
    "/0000/01/01/",
    "/0/1/1/",
    "/2026/13/",
    "/2026/00/",
    "/2026/02/30/",
    "/2026/01/32/",
    "/99999999999999999999/01/01/",
]
# The same ends of the calendar under an article slug and its comment feed.
DATED_LINKS = [
    f"{date}{tail}"
    for date in ("/0000/01/01/", "/0001/01/01/", "/9999/12/31/", "/2026/02/30/")
    for tail in ("a-story/", "a-story/feed/", "feed/")
]


@pytest.mark.parametrize("url", IMPOSSIBLE_DATES + DATED_LINKS)
def test_archives_at_the_ends_of_the_calendar_are_not_found(client, url, db):
    assert client.get(url).status_code == 404


# Samoa kept a local time east of UTC until 1892 and is west of it now, so its
# midnights at either end of the calendar lie outside the years UTC can hold.
FAR_FROM_UTC = ["/0001/", "/0001/01/01/", "/0001/01/01/a-story/", "/9999/12/31/a-story/"]


@pytest.mark.parametrize("url", FAR_FROM_UTC)
def test_a_site_far_from_utc_answers_the_calendars_ends_with_not_found(client, settings, url, db):
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    assert client.get(url).status_code == 404


def test_a_site_far_from_utc_still_finds_its_articles_by_local_date(client, settings, make_post):
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    post = make_post(title="Late edition", published_at=at(2026, 3, 14, 23, 30))
    assert post.get_absolute_url().startswith("/2026/03/14/")
    assert "Late edition" in client.get("/2026/03/14/").content.decode()
    assert "Late edition" in client.get(post.get_absolute_url()).content.decode()
    assert "Late edition" in client.get("/2026/03/").content.decode()
