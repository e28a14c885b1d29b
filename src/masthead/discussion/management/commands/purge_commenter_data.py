"""``masthead purge_commenter_data``: forget who wrote a comment once it is no longer needed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.discussion import privacy


class Command(BaseCommand):
    help = (
        "Blank the IP address and browser of comments older than the retention period "
        "(MASTHEAD_COMMENT_IP_DAYS, 30 days unless set) and forget unconfirmed subscriptions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=getattr(settings, "MASTHEAD_COMMENT_IP_DAYS", 30),
            help="keep them this many days (default: %(default)s)",
        )

    def handle(self, *, days, **options):
        purged = privacy.purge_commenter_data(days)
        self.stdout.write(f"Blanked the IP address and browser of {purged} comment(s).")
