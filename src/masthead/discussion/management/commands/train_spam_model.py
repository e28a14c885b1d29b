"""``masthead train_spam_model``: rebuild the starter spam model from labelled comments."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masthead.discussion import classifier

DEFAULT_DATA = Path(settings.BASE_DIR).parent.parent.parent / "shared" / "data"


class Command(BaseCommand):
    help = (
        "Train the starter spam model on the labelled comments in the shared data directory, "
        f"leaving out the {classifier.HELD_OUT_PERCENT}% held out for evaluation "
        "(bench/spam.py), and write it where the classifier reads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Shared data dir.")
        parser.add_argument("--output", type=Path, default=classifier.STARTER)
        parser.add_argument(
            "--min-count", type=int, default=2, help="Keep features seen this many times."
        )

    def handle(self, *args, data, output, min_count, **options):
        examples = [e for e in classifier.corpus(data) if not e.held_out]
        if all(e.origin == classifier.SEED.stem for e in examples):
            raise CommandError(f"No labelled comments under {data}")
        counts = classifier.train((classifier.features(e.text), e.is_spam) for e in examples)
        classifier.dump(counts, output, min_count=min_count, source=classifier.SOURCE)
        kept = len(classifier.load(output).table)
        self.stdout.write(
            f"Trained on {counts.docs[0]} spam and {counts.docs[1]} ham comments; "
            f"kept {kept} of {counts.vocabulary} features in {output} "
            f"({output.stat().st_size // 1024} KB)."
        )
