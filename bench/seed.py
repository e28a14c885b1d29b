"""Add N generated published posts to the configured database, for benchmarks."""

import datetime as dt
import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from masthead.publishing import services  # noqa: E402
from masthead.publishing.models import Author, Category, Tag  # noqa: E402

WORDS = [
    *("harbour", "ferry", "council", "budget", "storm", "path", "library", "tram"),
    *("market", "festival", "quay", "timetable", "crossing", "island", "weather"),
    *("lantern", "bookshop", "school", "pier", "river"),
]


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."


def main(count: int) -> None:
    rng = random.Random(7)
    authors = list(Author.objects.all())
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all())
    now = timezone.now()
    with transaction.atomic():
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


if __name__ == "__main__":
    main(int(sys.argv[1]))
