"""How well the shipped starter spam model sorts comments it never saw.

Scores the held-out quarter of the labelled data (the split ``masthead
train_spam_model`` leaves out) with src/masthead/discussion/starter_model.json,
then trains on two YouTube videos and tests on the third, to see how far the
model carries to comments on something else. Prints precision, recall, F1 and
the confusion matrix for the SPAM verdict and for "SPAM or held". Last, the
news-site comment sets go through the site's whole assessment (spam_news.py).
"""

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import spam_news  # noqa: E402

from masthead.discussion import classifier  # noqa: E402

THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)


@dataclass
class Matrix:
    """Counts of a yes/no verdict against the labels."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @classmethod
    def of(cls, results: list["Scored"], flag: Callable[["Scored"], bool]) -> "Matrix":
        m = cls()
        for r in results:
            flagged = flag(r)
            m.tp += flagged and r.is_spam
            m.fp += flagged and not r.is_spam
            m.fn += not flagged and r.is_spam
            m.tn += not flagged and not r.is_spam
        return m

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        return f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}"

    def table(self) -> str:
        return (
            "                 flagged  passed\n"
            f"    spam (label)  {self.tp:7d}  {self.fn:6d}\n"
            f"    ham (label)   {self.fp:7d}  {self.tn:6d}"
        )


@dataclass
class Scored:
    score: float
    links: int
    is_spam: bool

    @property
    def verdict(self) -> str | None:
        return classifier.judge(self.score, self.links)


def scored(model: classifier.Counts, examples: list[classifier.Example]) -> list[Scored]:
    results = []
    for e in examples:
        score = classifier.probability(classifier.features(e.text), model)
        results.append(Scored(score, classifier.count_links(e.text), e.is_spam))
    return results


SEVERAL = f"{classifier.SEVERAL_LINKS}+ links"
VERDICTS = (
    (f"SPAM verdict (score >= {classifier.SPAM_AT} and {SEVERAL})", lambda r: r.verdict == "spam"),
    (f"Score >= {classifier.SPAM_AT} alone", lambda r: r.score >= classifier.SPAM_AT),
    (f"SPAM or held (score >= {classifier.HOLD_AT})", lambda r: r.verdict is not None),
)


def report(title: str, results: list[Scored]) -> None:
    spam = sum(r.is_spam for r in results)
    print(f"\n## {title}: {len(results)} comments, {spam} spam, {len(results) - spam} ham")
    for label, flag in VERDICTS:
        matrix = Matrix.of(results, flag)
        print(f"\n{label}: {matrix.summary()}\n{matrix.table()}")


def sweep(results: list[Scored]) -> None:
    print("\nthreshold  precision  recall  F1   (score alone)")
    for threshold in THRESHOLDS:
        m = Matrix.of(results, lambda r, t=threshold: r.score >= t)
        print(f"{threshold:9}  {m.precision:9.3f}  {m.recall:6.3f}  {m.f1:.3f}")


def train(examples: list[classifier.Example]) -> classifier.Counts:
    """As the command does: count, then keep features seen at least twice."""
    counts = classifier.train((classifier.features(e.text), e.is_spam) for e in examples)
    kept = {k: v for k, v in counts.table.items() if sum(v) >= 2}
    return classifier.Counts(counts.docs, counts.tokens, counts.vocabulary, kept)


def held_out(examples: list[classifier.Example]) -> None:
    model = classifier.starter()
    trained_on = [e for e in examples if not e.held_out]
    if sum(model.docs) != len(trained_on):
        print(
            f"warning: starter model counts {sum(model.docs)} comments, split has "
            f"{len(trained_on)}; run `masthead train_spam_model`"
        )
    results = scored(model, [e for e in examples if e.held_out])
    report("Shipped starter model on the held-out split", results)
    sweep(results)


def cross_video(examples: list[classifier.Example], pick: Callable[[str], bool]) -> None:
    videos = sorted({e.origin for e in examples if pick(e.origin)})
    pooled = []
    for video in videos:
        model = train([e for e in examples if e.origin != video])
        results = scored(model, [e for e in examples if e.origin == video])
        pooled += results
        report(f"Cross-video: trained without {video}, tested on it", results)
    report("Cross-video, all three tests pooled", pooled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shared = os.environ.get("MASTHEAD_SHARED_DATA") or ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared)
    args = parser.parse_args()
    examples = classifier.corpus(args.data)
    print(f"Spam thresholds: SPAM at {classifier.SPAM_AT}, held at {classifier.HOLD_AT}")
    if any(e.origin.startswith("Youtube") for e in examples):
        held_out(examples)
        cross_video(examples, lambda origin: origin.startswith("Youtube"))
    else:
        print(f"No YouTube comments under {args.data} (set MASTHEAD_SHARED_DATA): skipped")
    spam_news.main()


if __name__ == "__main__":
    main()
