from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesrelay.compensation.plans import current_version, load_plan
from salesrelay.errors import ActionError


class Command(BaseCommand):
    help = "Plans: `plan load FILE` validates and stores a TOML plan file; `plan show` prints it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "show"])
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, action, file, **options):
        if action == "show":
            version = current_version()
            if version is None:
                raise CommandError("no plan has been loaded yet; use `salesrelay plan load FILE`")
            self.stdout.write(f"# version {version.number}, loaded {version.loaded_at:%Y-%m-%d %H:%M}")
            self.stdout.write(version.text)
            return
        if file is None:
            raise CommandError("plan load needs a FILE")
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            version, created = load_plan(text)
        except ActionError as error:
            raise CommandError(f"{file}: {error.message}") from None
        if created:
            self.stdout.write(f"stored as plan version {version.number}: {version.plan_ids}")
        else:
            self.stdout.write(f"unchanged: plan version {version.number} is the same file")
