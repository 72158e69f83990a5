"""``salesrelay worker``: the background jobs' process (the web import), django-q2's cluster.

    salesrelay worker        # runs until stopped (Ctrl-C or SIGTERM), on the database of
                             # SALESRELAY_DATABASE_URL, like the server

Its queue is a table of the same database (the ORM broker), so it needs nothing else: start one
worker beside the servers (several may run, on any machines reaching the database).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background jobs (web imports) until stopped: django-q2's cluster."

    def handle(self, *args, **options):
        from django.conf import settings

        self.stdout.write(f"SalesRelay worker ({settings.Q_CLUSTER['workers']} process(es)); "
                          "Ctrl-C stops it")
        self.stdout.flush()
        call_command("qcluster")
