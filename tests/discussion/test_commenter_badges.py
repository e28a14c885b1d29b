"""The badge beside each commenter's name: Author, Staff, a provider, Member or Guest."""

import re

import pytest
from django.core.cache import cache

from masthead.discussion.models import Comment, DiscussionSettings, Policy
from masthead.publishing.models import Author
from tests.discussion.views.test_post_comment import ORIGIN, form_data

BADGE = re.compile(r'<span class="badge badge--(\w+)"[^>]*title="([^"]+)"[^>]*>([^<]+)</span>')


@pytest.fixture
def article(make_post):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    return make_post(title="Night ferry timetable", body="Evening sailings double.")


@pytest.fixture
def writer(author_user, byline):
    """The article's byline author, logged in as a staff user of their own."""
    byline.user = author_user
    byline.save()
    return author_user


def said(post, user=None, name="Ines", provider="", **extra):
    return Comment.objects.create(
        post=post,
        user=user,
        provider=provider,
        author_name=name,
        author_email="someone@example.org",
        body="Thanks.",
        body_html="<p>Thanks.</p>",
        status="approved",
        **extra,
    )


def badges(client, post) -> list[tuple[str, str, str]]:
    """(kind, title, text) of each badge on the article, in page order."""
    cache.clear()
    html = client.get(post.get_absolute_url()).content.decode()
    return BADGE.findall(html)


def test_the_byline_author_replying_is_badged_author(client, article, writer):
    question = said(article)
    said(article, writer, "Mara Lindqvist", "local", parent=question, depth=1)

    assert badges(client, article) == [
        ("guest", "Not logged in: the name is the commenter's own claim", "Guest"),
        ("author", "Wrote this article", "Author"),
    ]


def test_other_staff_are_badged_staff(client, article, editor, admin_user):
    said(article, editor, "Eddie", "local")
    said(article, admin_user, "Ada", "twitter")

    kinds = [(kind, text) for kind, _, text in badges(client, article)]
    assert kinds == [("staff", "Staff"), ("staff", "Staff")]
    assert badges(client, article)[0][1] == "Works for this publication"


def test_the_author_of_another_article_is_staff_here(client, article, make_post, author_user):
    own = Author.objects.create(display_name="Aurora Sund", slug="aurora-sund", user=author_user)
    make_post(title="Quay lights", authors=[own])
    said(article, author_user, "Aurora Sund", "local")

    assert [kind for kind, _, _ in badges(client, article)] == ["staff"]


def test_readers_stay_members_and_provider_users(client, article, reader):
    said(article, reader, "Rita", "local")
    said(article, reader, "Rita", "wordpress_com")

    assert [(kind, text) for kind, _, text in badges(client, article)] == [
        ("provider", "Member"),
        ("provider", "Wordpress Com"),
    ]


def test_the_authors_own_reply_comes_back_badged_author(client, article, writer):
    client.force_login(writer)
    data = form_data(article, author="", email="")

    response = client.post("/comments/post/", data, HTTP_ACCEPT="application/json", **ORIGIN)

    assert response.status_code == 200
    assert 'class="badge badge--author"' in response.json()["html"]


def test_badges_cost_no_query_per_comment(
    client,
    article,
    writer,
    editor,
    reader,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    people = [(writer, "local"), (editor, "local"), (reader, "twitter"), (None, "")]

    def add(count):
        for i in range(count):
            user, provider = people[i % len(people)]
            said(article, user, f"Person {i}", provider)

    add(4)
    client.get(article.get_absolute_url())
    # 10 since corrections and updates: one prefetch for the post's notes;
    # 11 since the Fediverse's likes and boosts are counted on the page.
    with django_assert_max_num_queries(11) as few:
        client.get(article.get_absolute_url())
    add(36)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(article.get_absolute_url()).content.decode()
    assert [kind for kind, _, _ in BADGE.findall(html)] == [
        "author",
        "staff",
        "provider",
        "guest",
    ] * 10
