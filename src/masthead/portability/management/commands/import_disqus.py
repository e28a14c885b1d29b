"""``masthead import_disqus FILE``: a Disqus XML export into the matching posts."""

from masthead.portability.management.commands import import_comments


class Command(import_comments.Command):
    help = "Import a Disqus XML export's comments into the matching posts."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; store nothing."
        )

    def handle(self, *args, **options):
        return super().handle(*args, format="disqus", **options)
