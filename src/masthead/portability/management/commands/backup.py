"""``masthead backup DIR``: the database and media of the running site, verified."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.portability.backup import BackupError, create_backup
from masthead.portability.pgtools import ToolError


class Command(BaseCommand):
    help = "Back up the database and media into DIR (new or empty) while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("dir")

    def handle(self, dir, **options):
        try:
            manifest = create_backup(Path(dir))
        except (BackupError, ToolError) as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{n} {k}" for k, n in manifest["counts"].items())
        self.stdout.write(
            f"Backed up the {manifest['engine']} database ({counts}) and "
            f"{len(manifest['media'])} media files to {dir}; verified."
        )
