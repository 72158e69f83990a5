"""The page a login gets after too many failed attempts (django-axes calls :func:`locked_out`).

Axes counts failures per login and address (``AXES_LOCKOUT_PARAMETERS``); after
``AXES_FAILURE_LIMIT`` of them the login is refused from that address for ``AXES_COOLOFF_TIME``,
even with the right password. An administrator lifts it earlier with ``salesrelay axes_reset``
(everything) or ``salesrelay axes_reset_username LOGIN``.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    return render(request, "web/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
