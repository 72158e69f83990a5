"""``salesrelay collected``: the stored roll-ups of the allocations (``Deal.received``,
the collections by owner) compared with what the allocations and the ownerships give; exit 1
with each difference printed. ``--rebuild`` states both again from the allocations."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from salesrelay.payments import collected


class Command(BaseCommand):
    help = "Check (or rebuild) Deal.received and the collections by owner against the allocations."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="state both again from the allocations, then check")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            with transaction.atomic():
                collected.refresh_received()
                rows = collected.rebuild()
            self.stdout.write(f"collections by owner: {rows} rows")
        found = collected.differences()
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(f"{len(found)} differences")
        self.stdout.write("the roll-ups agree with the allocations")
