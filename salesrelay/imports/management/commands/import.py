import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesrelay.imports.importer import run_import
from salesrelay.imports.reader import SourceError

LISTED = 1000  # problems printed in full; a file with a million bad rows is one mistake


class Command(BaseCommand):
    help = "Import a folder of SPEC §5 CSV files or a .xlsx workbook, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report without writing anything")
        parser.add_argument("--create-segments", action="store_true",
                            help="add the segments the clients name that are not known yet "
                                 "(else they are bad rows)")

    def handle(self, *args, path: Path, dry_run: bool, create_segments: bool = False, **options):
        def progress(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(message)

        try:
            report = run_import(path, dry_run=dry_run, progress=progress,
                                create_segments=create_segments)
        except SourceError as error:
            self._list(error.problems)
            raise CommandError(f"nothing imported: {error.problems[0].reason}") from None
        if not report.ok:
            self._list(report.problems)
            raise CommandError(f"nothing imported: {len(report.problems)} bad "
                               f"{'row' if len(report.problems) == 1 else 'rows'}")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb}:\n{report.summary()}")
        sys.stdout.flush()

    def _list(self, problems) -> None:
        """Every problem, up to the first LISTED of them and a count of the rest."""
        for problem in problems[:LISTED]:
            self.stderr.write(str(problem))
        if len(problems) > LISTED:
            self.stderr.write(f"… and {len(problems) - LISTED} more problems")
