"""Mail without a mail server: each message written to stderr (the demo, a laptop).

Django's console backend writes to stdout, which is a command's output:
``salesrelay payroll 2026-03 --format json > pay.json`` must hold the JSON alone, not the
"Pay calculated" messages its run sends.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.mail.backends import console


class ConsoleEmailBackend(console.EmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
