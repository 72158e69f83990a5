from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from salesrelay.compensation.actions import calculate_period, period_report
from salesrelay.compensation.formats import FORMATS, render_csv, render_json, render_table, write_xlsx
from salesrelay.compensation.plans import read_plan
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.errors import ActionError


class Command(BaseCommand):
    help = ("Calculate a month's pay (stored as the period's draft unless it is locked; with "
            "--plan, a plan file is tried and nothing is stored).")
    # The system checks import every view and the URL configuration (DRF, the API schema...) to
    # check them: most of this command's start-up. ``salesrelay check``, the deployment and the
    # suite run them; a payroll run needs only the models.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--plan", type=Path, help="calculate with this plan file, store nothing")
        parser.add_argument("--format", choices=FORMATS, default="table")
        parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
        parser.add_argument("--language", choices=["en", "ru"], default=None,
                            help="language of the explanations (default: the installation's)")

    def handle(self, *args, month, plan, format, output, language, **options):
        try:
            period = Month.parse(month)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if format == "xlsx" and output is None:
            raise CommandError("--format xlsx needs --output FILE.xlsx")
        with translation.override(language or translation.get_language()):
            try:
                if plan is not None:
                    try:
                        text = plan.read_text(encoding="utf-8")
                    except OSError as error:
                        raise CommandError(f"cannot read {plan}: {error.strerror}") from None
                    report = period_report(period, plans=read_plan(text))
                else:
                    report = calculate_period(period)
            except ActionError as error:
                raise CommandError(f"{plan or period}: {error.message}") from None
            if format == "xlsx":
                write_xlsx([report], output)
                self.stderr.write(f"wrote {output}")
                return
            text = {"json": render_json, "csv": render_csv, "table": render_table}[format](report)
        if output is not None:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text, ending="")
