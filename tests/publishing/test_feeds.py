import calendar
import datetime as dt
import html
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone

from masthead.publishing.models import Author, Category, Status, Tag

SITE = "http://testserver"
RSS, ATOM = "/feed/", "/feed/atom/"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
both_formats = pytest.mark.parametrize(
    ("url", "version"), [(RSS, "rss20"), (ATOM, "atom10")], ids=["rss", "atom"]
)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def text(detail):
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


def links(feed):
    return [entry.link for entry in feed.entries]


def permalink(post):
    return SITE + post.get_absolute_url()


@pytest.fixture
def article(make_post, byline, category, tag):
    second = Author.objects.create(display_name="Jonas Berg", slug="jonas-berg")
    return make_post(
        title="Fish & chips <cheaper> at the quay",
        body="The kiosk reopens. <script>alert(1)</script>",
        excerpt="A kiosk reopens <for good>.",
        authors=[second, byline],
        categories=[category],
        tags=[tag],
    )


@both_formats
def test_it_describes_the_site(client, settings, article, url, version):
    feed = fetch(client, url)

    assert feed.version == version
    assert feed.feed.title == settings.SITE_NAME
    assert feed.feed.link == f"{SITE}/"
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {SITE + url}
    assert feed.feed.language == settings.LANGUAGE_CODE


@both_formats
def test_it_describes_each_post(client, article, byline, category, tag, url, version):
    [entry] = fetch(client, url).entries

    assert text(entry.title_detail) == "Fish & chips <cheaper> at the quay"
    assert entry.link == permalink(article)
    assert entry.id == permalink(article)
    assert calendar.timegm(entry.published_parsed) == int(article.published_at.timestamp())
    assert [a.name for a in entry.authors] == ["Jonas Berg", byline.display_name]
    assert {t.term for t in entry.tags} == {category.name, tag.name}
    assert text(entry.summary_detail) == "A kiosk reopens <for good>."
    assert entry.content[0].value == article.body_html.strip()


def test_it_marks_the_guid_as_permalink_and_keeps_it_modest_on_ttl(client, article):
    channel = ET.fromstring(client.get(RSS).content).find("channel")

    assert channel.find("item/guid").get("isPermaLink") == "true"
    assert 0 < int(channel.findtext("ttl")) <= 60


def test_it_gives_atom_entries_their_update_time(client, article):
    [entry] = fetch(client, ATOM).entries

    assert calendar.timegm(entry.updated_parsed) == int(article.updated_at.timestamp())


@both_formats
def test_it_carries_the_sanitized_body_and_nothing_executable(client, article, url, version):
    root = ET.fromstring(client.get(url).content)
    content = (
        root.find(f".//{CONTENT_NS}") if version == "rss20" else root.find(f".//{ATOM_NS}content")
    )

    assert content.text == article.body_html
    assert "kiosk reopens" in content.text
    assert "<script" not in content.text.lower()


@both_formats
def test_it_leaves_out_drafts_and_future_posts(client, make_post, url, version):
    public = make_post("On the record")
    make_post("Still a draft", status=Status.DRAFT, published_at=None)
    make_post("Not yet", published_at=timezone.now() + dt.timedelta(days=2))

    assert links(fetch(client, url)) == [permalink(public)]


@both_formats
def test_it_links_to_site_url_whatever_host_was_asked(client, settings, article, url, version):
    settings.SITE_URL = "https://news.example.org"

    feed = fetch(client, url)

    assert feed.feed.link == "https://news.example.org/"
    assert [entry.link for entry in feed.entries] == [
        "https://news.example.org" + article.get_absolute_url()
    ]
    self_links = {link.href for link in feed.feed.links if link.rel == "self"}
    assert self_links == {"https://news.example.org" + url}


def test_it_lists_the_latest_twenty_newest_first(client, make_post):
    now = timezone.now()
    posts = [
        make_post(f"Dispatch {i}", published_at=now - dt.timedelta(hours=i)) for i in range(22)
    ]

    assert links(fetch(client, RSS)) == [permalink(p) for p in posts[:20]]


def test_it_derives_a_summary_from_the_body_when_there_is_no_excerpt(client, make_post):
    make_post("Ferry notes", body="The ferry is back on its winter timetable.")

    [entry] = fetch(client, RSS).entries

    assert "ferry is back" in entry.summary


@pytest.fixture
def city_tree(make_post, category):
    harbour = Category.objects.create(name="Harbour", slug="harbour", parent=category)
    lookalike = Category.objects.create(name="City Hall", slug="city-hall")
    return {
        "own": make_post("Council meets", categories=[category]),
        "child": make_post("New pier", categories=[harbour]),
        "both": make_post("Pier opens", categories=[category, harbour]),
        "lookalike": make_post("Budget vote", categories=[lookalike]),
        "none": make_post("Weather"),
    }


@both_formats
def test_category_feed_holds_the_category_and_its_subcategories(
    client, settings, city_tree, url, version
):
    feed = fetch(client, "/category/city" + url)

    assert feed.version == version
    assert feed.feed.title == f"{settings.SITE_NAME} – City"
    assert feed.feed.link == f"{SITE}/category/city/"
    expected = {permalink(city_tree[k]) for k in ("own", "child", "both")}
    assert sorted(links(feed)) == sorted(expected)


def test_subcategory_feed_leaves_out_its_parent(client, city_tree):
    feed = fetch(client, "/category/city/harbour/feed/")

    assert feed.feed.title.endswith("– Harbour")
    assert set(links(feed)) == {permalink(city_tree["child"]), permalink(city_tree["both"])}


@both_formats
def test_tag_feed_holds_only_that_tag(client, settings, make_post, tag, url, version):
    tagged = make_post("Tram line", tags=[tag])
    make_post("Library hours", tags=[Tag.objects.create(name="Books", slug="books")])
    make_post("Weather")

    feed = fetch(client, "/tag/transport" + url)

    assert feed.version == version
    assert feed.feed.title == f"{settings.SITE_NAME} – Transport"
    assert links(feed) == [permalink(tagged)]


@pytest.mark.parametrize(
    "url",
    [f"/{base}{fmt}" for base in ("category/nowhere", "tag/nothing") for fmt in (RSS, ATOM)],
)
def test_unknown_category_or_tag_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [f"{base}{fmt}" for base in ("", "/category/city", "/tag/transport") for fmt in (RSS, ATOM)],
)
def test_query_count_does_not_grow_with_posts(
    client, make_post, category, tag, django_assert_max_num_queries, url
):
    def queries_after_adding(count):
        for i in range(count):
            make_post(f"Item {i}", categories=[category], tags=[tag])
        cache.clear()  # as after the change commits: nothing remembered from before
        # 8 since corrections and updates: one prefetch for the entries' notes.
        with django_assert_max_num_queries(8) as captured:
            fetch(client, url)
        return len(captured)

    assert queries_after_adding(3) == queries_after_adding(9)
