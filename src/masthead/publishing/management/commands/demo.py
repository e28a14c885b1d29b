"""``masthead demo``: a working site with something to read, in one command."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from masthead.publishing.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create or update the database schema, then add the demo publication's authors, "
        "categories, tags, figure, articles and pages that are not there yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-migrate", action="store_true", help="Load the content without migrating first."
        )

    def handle(self, *args, no_migrate=False, verbosity=1, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write(load_demo().summary())
