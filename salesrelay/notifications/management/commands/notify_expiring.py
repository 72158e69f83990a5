from django.core.management.base import BaseCommand

from salesrelay.clients.actions import warn_expiring_prospects


class Command(BaseCommand):
    help = ("Tell each hunter of their prospects that return to the free pool within N days "
            "(default SALESRELAY_POOL_NOTICE_DAYS) unless an activity is done; once per return "
            "date, so it is safe to run every day (cron).")

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=None)

    def handle(self, *args, within, **options):
        warned = warn_expiring_prospects(within=within)
        self.stdout.write(f"{len(warned)} prospects about to return to the free pool: hunters told")
