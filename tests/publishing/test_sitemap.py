import datetime as dt

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from masthead.publishing import services
from masthead.publishing.models import Author, Category, Status, Tag

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://testserver"


def fetch(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


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


def test_it_lists_published_posts_with_their_last_change(client, make_post):
    post = make_post()

    urls = fetch(client)

    entry = urls[SITE + post.get_absolute_url()]
    lastmod = dt.date.fromisoformat(entry.findtext("sm:lastmod", namespaces=NS))
    assert lastmod == timezone.localdate(post.updated_at)


def test_it_lists_home_pages_categories_tags_and_authors(client, make_post, byline, category, tag):
    page = services.save_page(title="About us", status=Status.PUBLISHED)
    services.save_page(title="Unfinished", status=Status.DRAFT)
    make_post(categories=[category], tags=[tag])
    Tag.objects.create(name="Unused", slug="unused")

    assert {
        f"{SITE}/",
        SITE + page.get_absolute_url(),
        SITE + category.get_absolute_url(),
        SITE + tag.get_absolute_url(),
        SITE + byline.get_absolute_url(),
    } < locs(client)
    assert f"{SITE}/unfinished/" not in locs(client)
    assert f"{SITE}/tag/unused/" not in locs(client)


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


def test_every_location_is_absolute_to_site_url(client, settings, make_post, category):
    settings.SITE_URL = "https://news.example.org"
    make_post(categories=[category])

    found = locs(client)

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


def test_query_count_does_not_grow_with_content(
    client, make_post, category, tag, django_assert_max_num_queries
):
    def queries_after_adding(count):
        for i in range(count):
            author = Author.objects.create(display_name=f"Writer {i}", slug=f"w-{count}-{i}")
            services.save_page(title=f"Page {count}-{i}", status=Status.PUBLISHED)
            make_post(f"Item {i}", categories=[category], tags=[tag], authors=[author])
        with django_assert_max_num_queries(12) as captured:
            fetch(client)
        return len(captured)

    assert queries_after_adding(3) == queries_after_adding(9)
