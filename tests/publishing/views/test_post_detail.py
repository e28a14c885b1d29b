import datetime as dt

import pytest
from django.utils import timezone

from masthead.publishing.models import Post, Status


@pytest.fixture
def article(make_post, category, tag):
    return make_post(
        title="Night ferry returns after twelve years",
        excerpt="The harbour's overnight crossing is back on the timetable.",
        body="The first sailing left at 23:40.",
        categories=[category],
        tags=[tag],
        published_at=timezone.make_aware(dt.datetime(2026, 3, 14, 9, 30)),
    )


def test_it_serves_an_article_at_its_dated_permalink(client, article):
    assert article.get_absolute_url() == "/2026/03/14/night-ferry-returns-after-twelve-years/"
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 class="headline p-name">Night ferry returns after twelve years</h1>' in html
    assert 'By <a href="/author/mara-lindqvist/" rel="author">Mara Lindqvist</a>' in html
    assert 'datetime="2026-03-14T09:30:00+00:00"' in html
    assert 'href="/category/city/" rel="category"' in html
    assert 'href="/tag/transport/" rel="tag"' in html


def test_it_carries_canonical_and_sharing_metadata(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    url = "http://testserver/2026/03/14/night-ferry-returns-after-twelve-years/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'name="twitter:card"' in html
    assert "overnight crossing is back" in html


@pytest.mark.parametrize(
    "url",
    [
        "/2026/03/15/night-ferry-returns-after-twelve-years/",
        "/2025/03/14/night-ferry-returns-after-twelve-years/",
        "/2026/03/14/no-such-story/",
        "/2026/13/14/night-ferry-returns-after-twelve-years/",
        "/2026/02/30/",
        "/9999/99/99/x/",
    ],
)
def test_a_wrong_permalink_is_not_found(client, article, url):
    assert client.get(url).status_code == 404


def test_previous_and_next_link_neighbouring_articles(client, article, make_post):
    before = make_post(title="Earlier", published_at=article.published_at - dt.timedelta(days=1))
    after = make_post(title="Later", published_at=article.published_at + dt.timedelta(days=1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{before.get_absolute_url()}"' in html
    assert f'rel="next" href="{after.get_absolute_url()}"' in html


def test_a_scheduled_article_is_not_found_before_its_time(client, make_post):
    post = make_post(title="Embargoed", published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_without_caching(client, editor, make_post):
    post = make_post(title="Work in progress", status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "visible to staff only" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_readers_cannot_preview_drafts(client, reader, make_post):
    post = make_post(title="Work in progress", status=Status.DRAFT, published_at=None)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_an_author_previews_only_their_own_drafts(client, author_user, make_post):
    post = make_post(title="Someone else's draft", status=Status.DRAFT, published_at=None)
    client.force_login(author_user)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_an_article_page_is_a_fixed_number_of_queries(
    client, article, django_assert_max_num_queries
):
    client.get(article.get_absolute_url())  # the first view stores the discussion settings
    # 10 since corrections and updates: one prefetch for the post's notes;
    # 11 since the Fediverse's likes and boosts are counted on the page.
    with django_assert_max_num_queries(11):
        client.get(article.get_absolute_url())


def test_the_demo_article_shows_every_element_of_a_news_page(client, db):
    from masthead.publishing.demo import load_demo

    load_demo()
    post = Post.objects.get(legacy_id="demo:post:harbour-ferry-record-year")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h1 class="headline p-name">' in html
    assert html.count('rel="author"') == 2
    assert '<time class="dt-published"' in html
    assert html.count("<p>") >= 6
    assert html.count('<figure class="quote">') == 2 and "<cite>" in html
    figure = html[html.index('<figure class="figure">') :]
    assert "<figcaption>" in figure and '<small class="credit">' in figure
    assert 'srcset="' in figure and 'alt="' in figure
    assert 'href="https://en.wikipedia.org/' in html
    assert 'class="footnotes' in html or 'class="footnote' in html


def test_an_article_without_a_byline_shows_no_dangling_separator(client, make_post):
    post = make_post(title="Unsigned", authors=[])
    html = client.get(post.get_absolute_url()).content.decode()
    meta = html[html.index('<div class="meta">') :]
    meta = meta[: meta.index("</div>")]
    assert meta.startswith('<div class="meta"><time class="dt-published"')
    assert "·" not in meta and "p-author" not in meta
