"""The ``salesrelay`` console script: Django's management commands under the product's name.

``salesrelay import data/`` is ``manage.py import data/``; every SPEC §6 command is a management
command of one of the apps, so ``salesrelay help`` lists them all.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the SALESRELAY_* variables now
    except (ImproperlyConfigured, ValueError) as error:
        # A bad variable (SALESRELAY_DATABASE_URL=mysql://…, an unwritable data folder) is one
        # line on stderr and exit status 1, never a traceback (SPEC §6).
        sys.exit(f"salesrelay: {error}")
    execute_from_command_line(["salesrelay", *sys.argv[1:]])


if __name__ == "__main__":
    main()
