from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesrelay.backups import BackupError, inspect, restore


class Command(BaseCommand):
    help = ("Replace the whole database with a backup made by `salesrelay backup`; without --yes, "
            "say what the backup holds and stop.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true",
                            help="confirm that everything recorded since the backup is lost")

    def handle(self, *args, file, yes, **options):
        try:
            if not yes:
                self.stdout.write(inspect(file).describe())
                raise CommandError("restore replaces the whole database with this backup; "
                                   "run it again with --yes to confirm")
            info = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored from {file}")
        self.stdout.write(info.describe())
