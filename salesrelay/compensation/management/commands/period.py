from django.core.management.base import BaseCommand, CommandError

from salesrelay.compensation.actions import approve_period, lock_period
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.errors import ActionError


class Command(BaseCommand):
    help = "Approve or lock a calculated pay period: `period approve|lock YYYY-MM`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["approve", "lock"])
        parser.add_argument("month", help="YYYY-MM")

    def handle(self, *args, action, month, **options):
        try:
            period = Month.parse(month)
            done = (approve_period if action == "approve" else lock_period)(period)
        except (PeriodError, ActionError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{done}: {done.get_status_display().lower()}")
