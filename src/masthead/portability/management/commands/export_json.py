"""``masthead export_json FILE``: the whole site as one JSON document."""

from pathlib import Path

from django.core.management.base import BaseCommand

from masthead.portability.export_json import write_export


class Command(BaseCommand):
    help = "Write every author, term, figure, post, page and comment to FILE as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write; '-' for standard output.")
        parser.add_argument(
            "--embed-media",
            action="store_true",
            help="Carry the media files inside the JSON (base64) instead of by path only.",
        )

    def handle(self, file, embed_media=False, **options):
        if file == "-":
            counts = write_export(self.stdout, embed_media=embed_media)
            return
        target = Path(file)
        partial = target.with_name(target.name + ".part")
        with partial.open("w", encoding="utf-8") as out:
            counts = write_export(out, embed_media=embed_media)
        # A reader never finds half a file under the final name.
        partial.replace(target)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stderr.write(f"Exported {summary} to {target}.")
