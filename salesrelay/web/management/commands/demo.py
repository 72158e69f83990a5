from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from salesrelay.clients.models import Client
from salesrelay.web.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo company (a hydromassage-bath manufacturer, 18 months of history)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already has clients")

    def handle(self, *args, if_empty: bool, **options):
        if Client.objects.exists():
            if if_empty:
                self.stdout.write("the database already has data; demo not loaded")
                self._print_logins(None)
                return
            raise CommandError("the database already has clients; the demo loads into an empty one")
        # The demo's past months notify their people in the app as any calculation does; their
        # mails are not news to anybody, and would bury the address and the logins printed below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            logins = load_demo(progress=lambda m: self.stderr.write(m))
        self.stdout.write("demo company loaded")
        self._print_logins(logins)

    def _print_logins(self, logins):
        from salesrelay.web.demo import LOGINS, PASSWORD

        self.stdout.write(f"logins (password for all: {PASSWORD}):")
        for login, _ref, what in LOGINS:
            self.stdout.write(f"  {login:<18} {what}")
