from django.core.management.base import BaseCommand

from salesrelay.clients.actions import release_idle_prospects


class Command(BaseCommand):
    help = "Return prospects with no activity for N days (default from settings) to the free pool."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days, **options):
        released = release_idle_prospects(idle_days=days)
        self.stdout.write(f"{len(released)} prospects returned to the free pool")
