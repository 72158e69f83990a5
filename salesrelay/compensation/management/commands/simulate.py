from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from salesrelay.compensation import simulation
from salesrelay.compensation.actions import currency
from salesrelay.compensation.plans import read_plan
from salesrelay.errors import ActionError


class Command(BaseCommand):
    help = ("Replay past months under a plan file (and, with --compare, a second one) without "
            "storing anything.")

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=Path, required=True)
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM")
        parser.add_argument("--compare", type=Path, help="a second plan file, side by side")
        parser.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
        parser.add_argument("--output", type=Path)
        parser.add_argument("--language", choices=["en", "ru"], default=None)

    def handle(self, *args, plan, first, last, compare, format, output, language, **options):
        if format == "xlsx" and output is None:
            raise CommandError("--format xlsx needs --output FILE.xlsx")
        with translation.override(language or translation.get_language()):
            try:
                plans = []
                for path in [plan, compare] if compare else [plan]:
                    try:
                        text = path.read_text(encoding="utf-8")
                    except OSError as error:
                        raise CommandError(f"cannot read {path}: {error.strerror}") from None
                    try:
                        plans.append((path.name, read_plan(text)))
                    except ActionError as error:
                        raise CommandError(f"{path}: {error.message}") from None
                start, end = simulation.parse_month(first), simulation.parse_month(last)
                self.stderr.write(f"simulating {start} to {end} under {len(plans)} plan(s)…")
                scenarios = simulation.run_simulation(plans, start, end)
            except ActionError as error:
                raise CommandError(error.message) from None
            if format == "xlsx":
                simulation.write_xlsx(scenarios, output)
                self.stderr.write(f"wrote {output}")
                return
            render = {"json": simulation.render_json, "csv": simulation.render_csv,
                      "table": simulation.render_table}[format]
            text = render(scenarios, start, end, currency())
        if output is not None:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text, ending="")
