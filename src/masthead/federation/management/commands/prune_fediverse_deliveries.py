"""``masthead prune_fediverse_deliveries``: forget old records of Fediverse deliveries."""

from django.core.management.base import BaseCommand

from masthead.federation import deliveries


class Command(BaseCommand):
    help = (
        "Delete the records of Fediverse deliveries finished more than --days ago; "
        "those still being tried are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=deliveries.KEEP_DAYS,
            help="keep them this many days (default: %(default)s)",
        )

    def handle(self, *, days, **options):
        pruned = deliveries.prune(days)
        self.stdout.write(f"Forgot {pruned} Fediverse deliveries.")
