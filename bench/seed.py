"""Fill the configured database with what the benchmarks read and write.

Adds N generated posts, two articles carrying 50 and 500 approved comments
(threaded a little), and a fresh article for the comment POST run, so posting
never disturbs the pages being measured. Comments go in with bulk_create: the
seed has to stay well under a minute. Prints what it made as one JSON line.
"""

import datetime as dt
import json
import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from masthead.discussion.forms import issue_form_token  # noqa: E402
from masthead.discussion.models import Comment, CommentStatus  # noqa: E402
from masthead.discussion.services import recount_comments  # noqa: E402
from masthead.publishing import services  # noqa: E402
from masthead.publishing.markup import render_comment  # noqa: E402
from masthead.publishing.models import Author, Category, Post, Tag  # noqa: E402

WORDS = [
    *("harbour", "ferry", "council", "budget", "storm", "path", "library", "tram"),
    *("market", "festival", "quay", "timetable", "crossing", "island", "weather"),
    *("lantern", "bookshop", "school", "pier", "river"),
]
NAMES = ["Ada", "Bram", "Cora", "Dev", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jon"]
# Share of comments at each depth: mostly top level, a few replies, depth <= 3.
DEPTH_SHARES = (0.7, 0.2, 0.07, 0.03)


def paragraph(rng: random.Random, low: int = 40, high: int = 90) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    return words.capitalize() + "."


def add_posts(rng: random.Random, count: int, now: dt.datetime) -> None:
    authors = list(Author.objects.all())
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all())
    for i in range(count):
        services.save_post(
            title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} report {i}",
            body="\n\n".join(paragraph(rng) for _ in range(6)),
            excerpt=paragraph(rng)[:200],
            status="published",
            published_at=now - dt.timedelta(hours=i * 3 + 1),
            authors=rng.sample(authors, 1),
            categories=rng.sample(categories, 1),
            tags=rng.sample(tags, 2),
        )


def add_article(rng: random.Random, title: str, published_at: dt.datetime) -> Post:
    return services.save_post(
        title=title,
        body="\n\n".join(paragraph(rng) for _ in range(8)),
        excerpt=paragraph(rng)[:200],
        status="published",
        published_at=published_at,
        authors=[Author.objects.first()],
        categories=[Category.objects.first()],
    )


def comment_body(rng: random.Random, n: int) -> str:
    text = paragraph(rng, 15, 60)
    if n % 7 == 0:
        text += f"\n\nSee *the {rng.choice(WORDS)} notes*, item {n}."
    return text


def add_comments(rng: random.Random, post: Post, count: int) -> None:
    """Approved comments, level by level so each reply's parent already has a pk."""
    start = post.published_at + dt.timedelta(minutes=5)
    made, parents = 0, []
    for depth, share in enumerate(DEPTH_SHARES):
        size = count - made if depth == len(DEPTH_SHARES) - 1 else round(count * share)
        level = []
        for _ in range(size):
            parent = rng.choice(parents) if parents else None
            after = parent.created_at if parent else start
            name = f"{rng.choice(NAMES)} {made}"
            body = comment_body(rng, made)
            level.append(
                Comment(
                    post=post,
                    parent=parent,
                    depth=depth,
                    author_name=name,
                    author_email=f"reader{made}@example.org",
                    body=body,
                    body_html=render_comment(body),
                    status=CommentStatus.APPROVED,
                    created_at=after + dt.timedelta(minutes=rng.randint(1, 600)),
                )
            )
            made += 1
        parents = Comment.objects.bulk_create(level)
    recount_comments(post)


def main(count: int) -> None:
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        add_posts(rng, count, now)
        articles = {}
        for comments in (50, 500):
            post = add_article(
                rng,
                f"Harbour timetable: {comments} readers reply",
                now - dt.timedelta(days=2, hours=comments),
            )
            add_comments(rng, post, comments)
            articles[comments] = post
        fresh = add_article(rng, "Harbour timetable: tell us", now - dt.timedelta(hours=2))
    print(
        json.dumps(
            {
                "article_50": articles[50].get_absolute_url(),
                "article_500": articles[500].get_absolute_url(),
                "fresh_id": fresh.pk,
                # Issued now, used minutes later: never "filled too fast".
                "form_token": issue_form_token(f"post:{fresh.pk}"),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
