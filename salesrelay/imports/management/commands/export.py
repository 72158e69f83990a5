from pathlib import Path

from django.core.management.base import BaseCommand

from salesrelay.imports.exporter import export_all


class Command(BaseCommand):
    help = "Export everything as SPEC §5 files: a folder of CSV files, or PATH.xlsx."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        counts = export_all(path)
        self.stdout.write(f"exported to {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
