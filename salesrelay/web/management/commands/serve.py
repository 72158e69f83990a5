from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve SalesRelay on 127.0.0.1 (Django's server; static files from the package)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        self.stdout.write(f"SalesRelay at http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        call_command("runserver", f"{host}:{port}", use_reloader=False)
