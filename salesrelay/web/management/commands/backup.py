from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesrelay.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back the whole database up into FILE (a SQLite copy, or a pg_dump archive)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            info = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backed up to {file} ({file.stat().st_size} bytes)")
        self.stdout.write(info.describe())
