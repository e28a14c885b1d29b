"""``masthead import_json FILE``: load an export made by ``export_json`` into an empty site."""

from django.core.management.base import BaseCommand, CommandError

from masthead.portability.import_json import ImportRefused, import_site


class Command(BaseCommand):
    help = "Load a Masthead JSON export into this site, which must hold no content yet."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        try:
            with open(file, "rb") as source:
                counts = import_site(source)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except ImportRefused as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Imported {summary or 'nothing'} from {file}.")
