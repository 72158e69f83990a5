from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from salesrelay.compensation import design, simulation
from salesrelay.errors import ActionError


class Command(BaseCommand):
    help = ("Search the plan in force's parameters on the history of a range for the plans that "
            "pay hunters the multiple of market salary with the best operating result.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM")
        parser.add_argument("--hunter-multiple", default="2.0",
                            help="the hunters' median and lowest pay ÷ market (default 2.0)")
        parser.add_argument("--output", type=Path, help="write the chosen plan file here")
        parser.add_argument("--language", choices=["en", "ru"], default=None)

    def handle(self, *args, first, last, hunter_multiple, output, language, **options):
        with translation.override(language or translation.get_language()):
            try:
                start, end = simulation.parse_month(first), simulation.parse_month(last)
                multiple = design.parse_multiple(hunter_multiple)
                if output is not None and not output.parent.is_dir():
                    raise CommandError(f"cannot write {output}: {output.parent} is not a folder")
                result = design.run_design(start, end, multiple,
                                           progress=lambda text: self.stderr.write(text))
            except ActionError as error:
                raise CommandError(error.message) from None
            self.stdout.write(design.render_table(result), ending="")
            if not result.found:
                raise CommandError("no candidate meets the targets; nothing written")
            if output is not None:
                try:
                    output.write_text(result.plan_text, encoding="utf-8")
                except OSError as error:
                    raise CommandError(f"cannot write {output}: {error.strerror}") from None
                self.stderr.write(f"wrote {output}")
