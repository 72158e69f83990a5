"""The ``salesrelay`` console script: Django's management commands under the product's name.

``salesrelay import data/`` is ``manage.py import data/``; every SPEC §6 command is a management
command of one of the apps, so ``salesrelay help`` lists them all.
"""

import gc
import os
import sys


def main() -> None:
    # Start-up (Django and the apps) makes some hundred thousand objects that live as long as the
    # process: the cycle collector is off while they are made, then they are frozen out of its
    # sight (a tenth of a second of every command).
    gc.disable()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the SALESRELAY_* variables now
        django.setup()
    except (ImproperlyConfigured, ValueError) as error:
        # A bad variable (SALESRELAY_DATABASE_URL=mysql://…, an unwritable data folder) is one
        # line on stderr and exit status 1, never a traceback (SPEC §6).
        sys.exit(f"salesrelay: {error}")
    finally:
        gc.freeze()
        gc.enable()
    execute_from_command_line(["salesrelay", *sys.argv[1:]])


if __name__ == "__main__":
    main()
