"""``masthead export_wxr FILE``: the site as a WordPress export file (WXR 1.2)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from masthead.portability.export_wxr import write_wxr


class Command(BaseCommand):
    help = "Write posts, pages, figures, terms, authors and comments to FILE as WXR 1.2."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write; '-' for standard output.")

    def handle(self, file, **options):
        if file == "-":
            write_wxr(sys.stdout.buffer)
            return
        target = Path(file)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as out:
            counts = write_wxr(out)
        partial.replace(target)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stderr.write(f"Exported {summary} to {target}.")
