import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from masthead.publishing.demo import load_demo, when
from masthead.publishing.models import Author, Category, Figure, Page, Post, Status, Tag

MODELS = (Author, Category, Tag, Figure, Post, Page)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run_demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def main_article(db):
    load_demo()
    return Post.objects.get(legacy_id="demo:post:harbour-ferry-record-year")


def test_it_loads_the_same_content_when_run_twice(db):
    first = run_demo()
    loaded = counts()
    second = run_demo()
    assert counts() == loaded
    assert loaded == {"Author": 3, "Category": 5, "Tag": 7, "Figure": 1, "Post": 7, "Page": 2}
    assert "created" in first
    assert "nothing to add" in second


def test_it_leaves_what_a_person_edited_alone(main_article):
    main_article.title = "Ferry record: corrected headline"
    main_article.save()
    load_demo()
    main_article.refresh_from_db()
    assert main_article.title == "Ferry record: corrected headline"


def test_it_reuses_a_category_the_site_already_has(db):
    news = Category.objects.create(name="Local news", slug="news")
    load_demo()
    assert Category.objects.get(path="news") == news
    assert Category.objects.get(path="news/city").parent == news


def test_the_main_article_has_two_authors_and_a_figure(main_article):
    figure = main_article.lead_figure
    assert [a.slug for a in main_article.ordered_authors()] == ["tamsin-rowe", "dev-malhotra"]
    assert figure.alt_text and figure.caption and figure.credit
    assert (figure.width, figure.height) == (1600, 900)
    assert f"\n![](figure:{figure.pk})\n" in main_article.body


def test_the_main_article_has_attributed_quotes_links_and_a_footnote(main_article):
    body = main_article.body
    assert len(re.findall(r"^> — \S.+, .+$", body, re.MULTILINE)) >= 2
    assert len(re.findall(r"\]\(https://[^)]+\)", body)) >= 2
    assert "[^1]" in body
    assert "\n[^1]: " in body
    assert len([p for p in body.split("\n\n") if p[0].isalpha()]) >= 5
    assert main_article.excerpt


def test_the_main_article_is_filed_and_tagged(main_article):
    paths = {c.path for c in main_article.categories.all()}
    assert paths == {"news/transport", "news/city"}
    assert main_article.tags.count() >= 2
    assert Post.objects.published().filter(pk=main_article.pk).exists()


def test_one_article_is_scheduled_and_not_yet_public(db):
    load_demo()
    scheduled = Post.objects.get(status=Status.SCHEDULED)
    assert scheduled.published_at > timezone.now()
    assert not Post.objects.published().filter(pk=scheduled.pk).exists()
    assert Post.objects.published().count() == Post.objects.count() - 1


def test_published_articles_are_spread_over_the_last_weeks(db):
    load_demo()
    dates = [p.published_at for p in Post.objects.published()]
    assert max(dates) < timezone.now()
    assert max(dates) - min(dates) > dt.timedelta(weeks=3)


def test_the_about_and_contact_pages_are_in_the_menu(db):
    load_demo()
    menu = Page.objects.published().filter(menu_order__gt=0)
    assert [p.slug for p in menu] == ["about", "contact"]


def test_it_reads_relative_publication_times():
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 15, 0))
    assert timezone.localtime(when("-3d 07:30", now)).strftime("%m-%d %H:%M") == "03-07 07:30"
    assert when("+2d 08:00", now) > now
