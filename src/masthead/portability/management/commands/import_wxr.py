"""``masthead import_wxr FILE``: a WordPress export into this publication."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.portability.wxr.importer import import_wxr
from masthead.portability.wxr.parse import WxrError
from masthead.portability.wxr.taxonomy import AuthorMapError, read_author_map


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): posts, pages, authors, categories, tags, comments "
        "and attachments, with old links redirected. Running it again updates; nothing is "
        "kept when the file turns out to be broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, keep nothing."
        )
        parser.add_argument(
            "--authors",
            type=Path,
            help="CSV of wp_login,username: who each WordPress author is here.",
        )
        parser.add_argument(
            "--media-dir", type=Path, help="A copy of wp-content/uploads, to take the files from."
        )

    def handle(self, *args, file, dry_run, authors, media_dir, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"{media_dir}: no such folder.")
        try:
            author_map = read_author_map(authors) if authors else {}
            report = import_wxr(
                file,
                dry_run=dry_run,
                authors=author_map,
                media_dir=media_dir,
                progress=self._bar() if sys.stderr.isatty() else None,
            )
        except (WxrError, AuthorMapError, OSError) as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        if dry_run:
            self.stdout.write("Dry run: nothing was kept.")
        self.stdout.write("\n".join(report.lines()))

    def _bar(self):
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(done * 100 / total) if total else 100
            if percent != shown[0]:
                shown[0] = percent
                filled = percent // 4
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (25 - filled)}] {percent:3d}%")
                if percent == 100:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        return progress
