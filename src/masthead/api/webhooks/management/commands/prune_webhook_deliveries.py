"""``masthead prune_webhook_deliveries``: forget old records of webhook deliveries."""

from django.core.management.base import BaseCommand

from masthead.api.webhooks import services


class Command(BaseCommand):
    help = (
        "Delete the records of webhook deliveries made more than --days ago; one still "
        "waiting to be sent is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.KEEP_DAYS,
            help="keep them this many days (default: %(default)s)",
        )

    def handle(self, *, days, **options):
        pruned = services.prune_deliveries(days)
        self.stdout.write(f"Forgot {pruned} webhook deliveries.")
