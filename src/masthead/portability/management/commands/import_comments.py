"""``masthead import_comments --format isso|remark42|commento FILE [--site HOST]``."""

from django.core.management.base import BaseCommand, CommandError

from masthead.portability.comment_imports import READERS, BadFile, import_comments, parsed


class Command(BaseCommand):
    help = "Import comments from another comment system's export into the matching posts."
    formats = sorted(set(READERS) - {"disqus"})

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=self.formats)
        parser.add_argument("file")
        parser.add_argument(
            "--site",
            default="",
            help="The old site's host (old.example), naming where the comments come from; "
            "needed when the file gives only paths, and it wins over the host in the file.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; store nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        site = options.get("site", "")
        if site and not parsed.site_name(site):
            message = f"--site {site!r} is not a host name (old.example). Nothing was imported."
            raise CommandError(message)
        try:
            report = import_comments(
                options["format"], file, site=parsed.site_name(site), dry_run=dry_run
            )
        except BadFile as error:
            raise CommandError(f"{error}. Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
