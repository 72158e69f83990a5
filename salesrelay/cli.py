"""The ``salesrelay`` console script: Django's management commands under the product's name.

``salesrelay import data/`` is ``manage.py import data/``; every SPEC §6 command is a management
command of one of the apps, so ``salesrelay help`` lists them all.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["salesrelay", *sys.argv[1:]])


if __name__ == "__main__":
    main()
