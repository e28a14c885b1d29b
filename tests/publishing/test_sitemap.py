import datetime as dt
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.utils import timezone

from masthead.publishing import services
from masthead.publishing.models import Author, Category, Status, Tag
from masthead.publishing.sitemaps import SITEMAPS, PostSitemap

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NS = {"sm": SM[1:-1]}
SITE = "http://testserver"


def parse(client, url, root_tag):
    # Each fetch a render from scratch, which also asks once when the next
    # scheduled post goes public (the page cache keeps the answer).
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == SM + root_tag
    return root


def index(client):
    """The index as {sitemap location: lastmod text or None}."""
    root = parse(client, "/sitemap.xml", "sitemapindex")
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }


def fetch_page(client, location):
    """One sitemap page, by the absolute location the index gives, as {loc: <url>}."""
    parts = urlsplit(location)
    root = parse(client, parts.path + (f"?{parts.query}" if parts.query else ""), "urlset")
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def fetch(client):
    """Every URL a crawler finds by following the index, page by page."""
    urls = {}
    for location in index(client):
        page = fetch_page(client, location)
        assert not set(page) & set(urls), "a URL is listed twice"
        urls.update(page)
    return urls


def locs(client):
    return set(fetch(client))


@pytest.fixture
def hidden(make_post):
    """Content nobody may see yet, with its own category, tag and author."""
    secret = Category.objects.create(name="Secret", slug="secret")
    embargo = Tag.objects.create(name="Embargo", slug="embargo")
    ghost = Author.objects.create(display_name="Ghost Writer", slug="ghost-writer")
    draft = make_post(
        "Draft",
        status=Status.DRAFT,
        published_at=None,
        categories=[secret],
        tags=[embargo],
        authors=[ghost],
    )
    future = make_post(
        "Tomorrow",
        published_at=timezone.now() + dt.timedelta(days=1),
        categories=[secret],
        tags=[embargo],
        authors=[ghost],
    )
    return draft, future


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr(PostSitemap, "limit", 3)


def make_posts(make_post, count, start=0):
    now = timezone.now()
    return [
        make_post(f"Item {i}", published_at=now - dt.timedelta(days=100 - i))
        for i in range(start, start + count)
    ]


def test_the_index_lists_every_section(client, db):
    assert set(index(client)) == {f"{SITE}/sitemap-{section}.xml" for section in SITEMAPS}


def test_the_index_dates_each_section_by_its_latest_change(
    client, make_post, byline, category, tag
):
    make_post("Older", categories=[category], tags=[tag])
    newest = make_post("Newer")
    page = services.save_page(title="About us", status=Status.PUBLISHED)

    sections = index(client)

    def changed(section):
        return dt.datetime.fromisoformat(sections[f"{SITE}/sitemap-{section}.xml"])

    assert sections[f"{SITE}/sitemap-home.xml"] is None
    assert changed("posts") == newest.updated_at
    assert changed("authors") == newest.updated_at
    assert changed("pages") == page.updated_at
    assert changed("categories") == changed("tags") < newest.updated_at


def test_robots_txt_points_at_the_index(client, db):
    robots = client.get("/robots.txt").content.decode()

    line = next(line for line in robots.splitlines() if line.startswith("Sitemap: "))

    assert line == f"Sitemap: {SITE}/sitemap.xml"
    parse(client, urlsplit(line.removeprefix("Sitemap: ")).path, "sitemapindex")


def test_the_footer_links_to_the_index(client, db):
    assert 'href="/sitemap.xml"' in client.get("/").content.decode()


def test_it_lists_published_posts_with_their_last_change(client, make_post):
    post = make_post()

    urls = fetch_page(client, "/sitemap-posts.xml")

    entry = urls[SITE + post.get_absolute_url()]
    lastmod = dt.date.fromisoformat(entry.findtext("sm:lastmod", namespaces=NS))
    assert lastmod == timezone.localdate(post.updated_at)


def test_a_section_is_paged(client, make_post, three_per_page):
    posts = make_posts(make_post, 7)
    pages = [f"{SITE}/sitemap-posts.xml", *(f"{SITE}/sitemap-posts.xml?p={n}" for n in (2, 3))]

    assert [loc for loc in index(client) if "-posts" in loc] == pages
    found = [list(fetch_page(client, page)) for page in pages]
    assert [len(urls) for urls in found] == [3, 3, 1]
    # Oldest first (all of one status): a new post lands on the last page.
    assert [loc for urls in found for loc in urls] == [
        SITE + post.get_absolute_url() for post in posts
    ]


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", "99999999999999999999"])
def test_a_page_past_the_end_or_not_a_number_is_not_found(client, make_post, three_per_page, page):
    make_posts(make_post, 7)

    assert client.get(f"/sitemap-posts.xml?p={page}").status_code == 404


def test_an_unknown_section_is_not_found(client, db):
    assert client.get("/sitemap-secrets.xml").status_code == 404


def test_drafts_and_scheduled_posts_neither_appear_nor_take_a_place(
    client, make_post, hidden, three_per_page
):
    public = make_posts(make_post, 6)

    found = locs(client)

    assert {SITE + post.get_absolute_url() for post in public} <= found
    assert not {SITE + post.get_absolute_url() for post in hidden} & found
    assert len([loc for loc in index(client) if "-posts" in loc]) == 2


def test_it_lists_home_pages_categories_tags_and_authors(client, make_post, byline, category, tag):
    page = services.save_page(title="About us", status=Status.PUBLISHED)
    services.save_page(title="Unfinished", status=Status.DRAFT)
    make_post(categories=[category], tags=[tag])
    Tag.objects.create(name="Unused", slug="unused")

    found = locs(client)

    assert {
        f"{SITE}/",
        SITE + page.get_absolute_url(),
        SITE + category.get_absolute_url(),
        SITE + tag.get_absolute_url(),
        SITE + byline.get_absolute_url(),
    } < found
    assert f"{SITE}/unfinished/" not in found
    assert f"{SITE}/tag/unused/" not in found


def test_it_leaves_out_what_is_not_public_and_what_only_it_fills(client, make_post, hidden):
    public = make_post()

    found = locs(client)

    assert SITE + public.get_absolute_url() in found
    assert not {SITE + post.get_absolute_url() for post in hidden} & found
    assert (
        not {
            f"{SITE}/category/secret/",
            f"{SITE}/tag/embargo/",
            f"{SITE}/author/ghost-writer/",
        }
        & found
    )


def test_a_parent_category_counts_its_subcategories_posts(client, make_post, category):
    harbour = Category.objects.create(name="Harbour", slug="harbour", parent=category)
    Category.objects.create(name="Empty", slug="empty", parent=category)
    make_post(categories=[harbour])

    found = locs(client)

    assert {f"{SITE}/category/city/", f"{SITE}/category/city/harbour/"} <= found
    assert f"{SITE}/category/city/empty/" not in found


def test_every_location_is_absolute_to_site_url(
    client, settings, make_post, category, three_per_page
):
    settings.SITE_URL = "https://news.example.org"
    make_posts(make_post, 4)
    make_post(categories=[category])

    sections = index(client)
    found = locs(client)

    assert len(sections) == len(SITEMAPS) + 1
    assert all(loc.startswith("https://news.example.org/sitemap-") for loc in sections)
    assert found
    assert all(loc.startswith("https://news.example.org/") for loc in found)


def test_every_entry_but_home_has_a_lastmod(client, make_post, byline, category, tag):
    make_post(categories=[category], tags=[tag])
    services.save_page(title="About us", status=Status.PUBLISHED)

    urls = fetch(client)

    assert len(urls) == 6
    assert all(
        url.findtext("sm:lastmod", namespaces=NS) for loc, url in urls.items() if loc != f"{SITE}/"
    )


def test_a_page_of_posts_costs_the_same_queries_for_3_or_23_posts(
    client, make_post, three_per_page, django_assert_max_num_queries, django_assert_num_queries
):
    make_posts(make_post, 3)
    # A COUNT, for the number of pages, and the page itself.
    with django_assert_max_num_queries(3) as few:
        fetch_page(client, "/sitemap-posts.xml")
    make_posts(make_post, 20, start=3)
    for page in ("/sitemap-posts.xml", "/sitemap-posts.xml?p=5", "/sitemap-posts.xml?p=8"):
        with django_assert_num_queries(len(few.captured_queries)):
            fetch_page(client, page)


def test_a_page_reads_only_the_columns_it_shows(client, make_post, django_assert_num_queries):
    make_post(body="A long body nobody needs in a sitemap.")

    with django_assert_num_queries(3) as captured:
        fetch_page(client, "/sitemap-posts.xml")

    page = captured.captured_queries[-1]["sql"]
    assert "body" not in page
    assert "title" not in page


def test_the_index_costs_the_same_queries_whatever_the_content(
    client, make_post, category, tag, three_per_page, django_assert_max_num_queries
):
    def queries_after_adding(count):
        for i in range(count):
            author = Author.objects.create(display_name=f"Writer {i}", slug=f"w-{count}-{i}")
            services.save_page(title=f"Page {count}-{i}", status=Status.PUBLISHED)
            make_post(f"Item {i}", categories=[category], tags=[tag], authors=[author])
        # Per section with a queryset: its newest change and its number of pages.
        with django_assert_max_num_queries(2 * (len(SITEMAPS) - 1) + 1) as captured:
            index(client)
        # Aggregates only: no section is loaded row by row to find its newest change.
        assert all(
            "COUNT(" in q["sql"].upper() or "MAX(" in q["sql"].upper() or "MIN(" in q["sql"].upper()
            for q in captured.captured_queries
        )
        return len(captured)

    assert queries_after_adding(3) == queries_after_adding(20)


def test_each_section_page_costs_the_same_queries_whatever_the_content(
    client, make_post, category, tag, django_assert_max_num_queries
):
    def queries_after_adding(count):
        for i in range(count):
            author = Author.objects.create(display_name=f"Writer {i}", slug=f"w-{count}-{i}")
            services.save_page(title=f"Page {count}-{i}", status=Status.PUBLISHED)
            make_post(f"Item {i}", categories=[category], tags=[tag], authors=[author])
        counts = {}
        for section in SITEMAPS:
            with django_assert_max_num_queries(3) as captured:
                fetch_page(client, f"/sitemap-{section}.xml")
            counts[section] = len(captured)
        return counts

    assert queries_after_adding(3) == queries_after_adding(9)
