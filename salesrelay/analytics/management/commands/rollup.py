"""``salesrelay rollup --rebuild``: the monthly roll-up calculated for every month of the history
that no period stores, ahead of the analytics pages (after a big import, say)."""

from django.core.management.base import BaseCommand, CommandError

from salesrelay.analytics import rollup


class Command(BaseCommand):
    help = "Calculate the analytics' monthly roll-up for every month no period stores."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="forget what is stored and calculate every month again")

    def handle(self, *args, **options):
        if not options["rebuild"]:
            raise CommandError("say --rebuild to calculate the roll-up again")
        stored = rollup.rebuild(progress=lambda text: self.stderr.write(text))
        self.stdout.write(f"{stored} months stored")
