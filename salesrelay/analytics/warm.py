"""Keeping the monthly roll-up warm: after the data changes, the worker calculates the months
the analytics pages show by default, so that the first page after a change does not have to.

Every change of the data the roll-up follows (an audit entry — every action records one —, an
admin log entry, a new plan version, the importer's :func:`~salesrelay.analytics.rollup.refresh`)
makes the stored months stale (:mod:`salesrelay.analytics.rollup`). Once that change commits,
:func:`data_changed` hands :func:`warm` to the worker (``salesrelay worker``), at most once a
minute per server process; :func:`warm` calculates the twelve months to today (the pages'
default range, which holds the dashboard's two months) that the roll-up lacks at the data's
revision — company figures, pay, and the cohorts' figures — and, when the data changed again
while it worked, hands itself to the worker once more. A page that comes before the worker has
finished calculates what it lacks itself, as without the worker.

On the 1M-deal history of ``bench/payroll.py`` that is about a minute of the worker's time
after a change (every month of the year is stale after any change); on the demo, a second.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from salesrelay.analytics import rollup
from salesrelay.analytics.filters import Filters

QUEUED_KEY = "salesrelay:rollup-warm-queued"
QUIET_SECONDS = 60
"""After handing the warm-up to the worker, a server process hands it again no sooner than
this: a burst of writes is one warm-up (the warm-up itself runs again if the data changed while
it worked)."""


def data_changed(**_signal) -> None:
    """A signal receiver: the data the roll-up follows changed; once it commits, the worker is
    asked to warm the roll-up."""
    if not settings.SALESRELAY_ROLLUP_WARM:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            callback is _ask_once for _savepoints, callback, _robust in connection.run_on_commit):
        return  # an action's several entries are one change
    transaction.on_commit(_ask_once)


def _ask_once() -> None:
    if cache.add(QUEUED_KEY, True, QUIET_SECONDS):
        ask()


def ask() -> None:
    """Hand :func:`warm` to the worker (never in the request: it takes the worker's time)."""
    from django_q.tasks import async_task

    async_task("salesrelay.analytics.warm.warm", task_name="warm the analytics roll-up",
               sync=False)


def warm(*, today: date | None = None) -> int:
    """Calculate the months of the pages' default range that the roll-up lacks at the data's
    revision; return how many were calculated. Asks for itself again when the data changed
    meanwhile."""
    from salesrelay.analytics.months import calculate, month_sources

    today = today or date.today()
    default = Filters.default(today)
    sources = month_sources(default.first, default.last, today=today)
    at = rollup.revision()
    with_cohorts = rollup.cohort_months(sources.months, at=at)
    with_figures = rollup.stored(sources.fresh, at=at)
    missing = tuple(m for m in sources.months if m not in with_cohorts
                    or (sources.is_fresh(m) and m not in with_figures))
    calculate(missing, sources, at=at)
    if rollup.revision() != at:
        ask()
    return len(missing)
