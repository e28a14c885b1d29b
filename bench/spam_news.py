"""The news-site comment sets through the real assessment path.

Each labelled comment in bench/data/news is posted by a new guest under the
article it answers, on a throwaway site (SQLite in a temporary directory),
through ``services.submit_comment``: every rule, the classifier with the
article's vocabulary, then the policy. A comment held only because it is its
author's first is counted apart from holds by the rules.

Three runs, each on the same fresh site emptied of comments: the default
policy (hold a new email's first comment), publish at once, and publish at
once after the site learned from half of each set (the readers' comments
published and taught by the lesson task, the spam marked by a moderator),
scoring the other halves.
"""

import json
import os
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "news"
OUTCOMES = ("spam", "held", "first waits", "published")


@dataclass
class Outcome:
    item: dict
    is_spam: bool
    status: str
    note: str
    comment: object = None

    @property
    def by_classifier(self) -> bool:
        return "classifier" in self.note


def setup_site() -> None:
    """A fresh data directory and database: the bench never touches a real site."""
    for name in ("MASTHEAD_DATABASE_URL", "MASTHEAD_CACHE_URL"):
        os.environ.pop(name, None)
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-spam-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load() -> tuple[dict, list[tuple[dict, bool]]]:
    articles = json.loads((DATA / "articles.json").read_text())
    ham = json.loads((DATA / "ham.json").read_text())
    spam = json.loads((DATA / "spam.json").read_text())
    items = [(i, False) for i in ham] + [(i, True) for i in spam]
    random.Random(10).shuffle(items)
    return articles, items


def outcome_of(comment, policy_reasons: set[str]) -> str:
    from masthead.discussion.models import CommentStatus

    if comment.status == CommentStatus.SPAM:
        return "spam"
    if comment.status == CommentStatus.APPROVED:
        return "published"
    return "first waits" if comment.moderation_note in policy_reasons else "held"


def make_posts(articles: dict) -> dict:
    from masthead.publishing import services as publishing
    from masthead.publishing.models import Author, Status

    author = Author.objects.create(display_name="Desk", slug="desk")
    return {
        key: publishing.save_post(
            title=a["title"], body=a["body"], status=Status.PUBLISHED, authors=[author]
        )
        for key, a in articles.items()
    }


def fresh_site(policy: str) -> None:
    """No comments and nothing learned, under this policy."""
    from masthead.discussion.models import Comment, DiscussionSettings
    from masthead.discussion.spam_models import SpamFeature

    Comment.objects.all().delete()
    SpamFeature.objects.all().delete()
    config = DiscussionSettings.current()
    config.policy = policy
    config.save()


def teach(posts: dict, ham: list[tuple[dict, bool]], spam: list[tuple[dict, bool]]) -> None:
    """Publish the ham and let the lesson task teach it, as a worker would; a moderator
    marks the spam spam (the comments held and published alike)."""
    from django.contrib.auth import get_user_model

    from masthead.discussion import lessons, services

    run(posts, ham, first=10_000)
    while lessons.learn_published.call():
        pass
    moderator = get_user_model().objects.create(username="desk", is_staff=True)
    for outcome in run(posts, spam, first=20_000):
        services.mark_spam(outcome.comment, by=moderator)


def run(posts: dict, items: list[tuple[dict, bool]], first: int = 0) -> list[Outcome]:
    from masthead.discussion import services

    results = []
    for n, (item, is_spam) in enumerate(items, start=first):
        sub = services.Submission(
            target=posts[item["post"]],
            body=item["body"],
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.net",
            author_url=item.get("website", ""),
            ip_address=f"198.18.{n // 250}.{n % 250 + 1}",
            form_age=45,
        )
        comment = services.submit_comment(sub)
        status = outcome_of(comment, POLICY)
        results.append(Outcome(item, is_spam, status, comment.moderation_note, comment))
    return results


POLICY = {"first comment from this email"}


def table(title: str, results: list[Outcome]) -> None:
    print(f"\n## News-site comment sets, real assessment path: {title}")
    print(f"\n{'set':6} {'total':>5} " + " ".join(f"{o:>11}" for o in OUTCOMES) + "  by classifier")
    for label, is_spam in (("ham", False), ("spam", True)):
        rows = [r for r in results if r.is_spam is is_spam]
        counts = Counter(r.status for r in rows)
        classifier = sum(r.by_classifier and r.status != "published" for r in rows)
        cells = " ".join(f"{counts[o]:11d}" for o in OUTCOMES)
        print(f"{label:6} {len(rows):5d} {cells}  {classifier:13d}")
    ham = [r for r in results if not r.is_spam]
    spam = [r for r in results if r.is_spam]
    print(
        f"\nham marked spam: {sum(r.status == 'spam' for r in ham)} (target 0)"
        f"\nham held by the classifier: {_share(ham, lambda r: r.by_classifier)} (target <= 10%)"
        f"\nspam held or marked: {_share(spam, lambda r: r.status in ('spam', 'held'))} "
        "(target >= 90%; the first-comment wait not counted)"
    )
    _misses("ham held or marked by a rule", [r for r in ham if r.status in ("spam", "held")])
    passed = [r for r in spam if r.status not in ("spam", "held")]
    _misses("spam that only waited or was published", passed)


def _share(rows: list[Outcome], pick) -> str:
    hit = sum(bool(pick(r)) for r in rows)
    return f"{hit}/{len(rows)} = {hit / len(rows):.1%}"


def _misses(title: str, rows: list[Outcome]) -> None:
    if not rows:
        return
    print(f"\n{title}:")
    for r in rows:
        text = " ".join(r.item["body"].split())[:70]
        print(f"  [{r.item['kind']}] {r.status}: {text!r} ({r.note or 'no reason'})")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    setup_site()
    from masthead.discussion.models import Policy

    articles, items = load()
    posts = make_posts(articles)
    fresh_site(Policy.HOLD_UNKNOWN)
    table("new site, hold a first comment", run(posts, items))
    fresh_site(Policy.HOLD_NONE)
    table("new site, publish at once", run(posts, items))
    fresh_site(Policy.HOLD_NONE)
    ham = [pair for pair in items if not pair[1]]
    spam = [pair for pair in items if pair[1]]
    teach(posts, ham[::2], spam[::2])
    learned = f"{len(ham[::2])} published comments and {len(spam[::2])} marked spam"
    title = f"publish at once, the other halves after learning {learned}"
    table(title, run(posts, ham[1::2] + spam[1::2]))


if __name__ == "__main__":
    main()
