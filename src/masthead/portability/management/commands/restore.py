"""``masthead restore DIR``: put a backup made by ``masthead backup`` in place."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.portability.backup import BackupError, restore_backup, verify_backup
from masthead.portability.pgtools import ToolError


class Command(BaseCommand):
    help = "Restore the database and media from a backup into this (empty) site."

    def add_arguments(self, parser):
        parser.add_argument("dir")
        parser.add_argument(
            "--force", action="store_true", help="Replace a site that already holds content."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only verify the backup; change nothing."
        )

    def handle(self, dir, force=False, check=False, **options):
        try:
            source = Path(dir)
            manifest = verify_backup(source) if check else restore_backup(source, force=force)
        except (BackupError, ToolError) as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{n} {k}" for k, n in manifest["counts"].items())
        done = "is sound" if check else "restored"
        self.stdout.write(
            f"Backup of {manifest['created_at']} ({counts}, "
            f"{len(manifest['media'])} media files) {done}."
        )
        if not check:
            key = " and the secret key" if manifest.get("secret_key") else ""
            self.stdout.write(
                f"Restart the site's processes so they open the restored database{key}."
            )
