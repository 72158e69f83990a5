"""The monthly roll-up: the engine's figures of the months no period stores, kept once per
state of the data so that the analytics pages do not rerun the engine on every request.

A month that has no calculated period (the current month as it stands, a past month never
calculated) is calculated by the engine under the plan in force (:mod:`.months`). On the
1M-deal history that is seconds per month, so each such month's company figures (*R*, *G*, *F*,
*V*, *O*, break-even revenue, new clients) and each employee's pay are stored in
``MonthlyFigures`` with the **revision** of the data they were calculated from, and read back
while the revision is the same:

- every action records an audit entry in its own transaction, the Django admin a log entry, a
  new plan is a new version: the revision is the latest of each, so any write makes the stored
  months stale, and the first page that needs them calculates and stores them again;
- writers that record no audit entry (the importer's write stage) call :func:`refresh`, which
  drops the stored months;
- ``salesrelay rollup --rebuild`` calculates every month of the history ahead of the pages.

The figures read back are the ones the engine gives (the tests compare both ways).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction

from salesrelay.analytics.models import MonthlyFigures
from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.models import PlanVersion
from salesrelay.engine.payroll import CompanyFigures, Payroll
from salesrelay.engine.periods import Month


@dataclass(frozen=True)
class Figures:
    """One month's company figures and pay per employee id."""

    company: CompanyFigures
    pay: Mapping[str, Decimal]


def revision() -> str:
    """The state of the data: the latest audit entry, admin log entry and plan version, each by
    its id and its time (an id alone can come back after a rollback). Three queries, each on a
    primary key."""
    parts = []
    for model, stamp in ((AuditEntry, "at"), (LogEntry, "action_time"),
                         (PlanVersion, "loaded_at")):
        latest = model.objects.order_by("-id").values_list("id", stamp).first()
        parts.append("0" if latest is None else f"{latest[0]}@{latest[1].timestamp():.6f}")
    return hashlib.sha256(".".join(parts).encode()).hexdigest()[:32]


def of_payroll(payroll: Payroll) -> Figures:
    pay: dict[str, Decimal] = {}
    for line in payroll.lines:
        pay[line.employee_id] = pay.get(line.employee_id, Decimal(0)) + line.amount
    return Figures(payroll.company, pay)


def stored(months: Iterable[Month], *, at: str) -> dict[Month, Figures]:
    """The months of ``months`` stored at revision ``at``. One query."""
    firsts = [m.first for m in months]
    return {Month.of(row.month): Figures(
        CompanyFigures(row.collections, row.gross_profit, row.fixed_costs, row.variable_pay,
                       row.operating_result, row.breakeven_revenue, row.new_clients),
        {ref: Decimal(amount) for ref, amount in row.pay.items()})
        for row in MonthlyFigures.objects.filter(month__in=firsts, revision=at)}


def store(figures: Mapping[Month, Figures], *, at: str) -> None:
    """Keep ``figures``, calculated at revision ``at``, in place of what was stored for their
    months. Another request storing the same months at the same moment is no error."""
    if not figures:
        return
    rows = [MonthlyFigures(
        month=month.first, revision=at, collections=f.company.collections,
        gross_profit=f.company.gross_profit, fixed_costs=f.company.fixed_costs,
        variable_pay=f.company.variable_pay, operating_result=f.company.operating_result,
        breakeven_revenue=f.company.breakeven_revenue, new_clients=f.company.new_clients,
        pay={ref: str(amount) for ref, amount in f.pay.items()})
        for month, f in figures.items()]
    try:
        with transaction.atomic():
            MonthlyFigures.objects.filter(month__in=[m.first for m in figures]).delete()
            MonthlyFigures.objects.bulk_create(rows)
    except IntegrityError:
        pass  # stored meanwhile by another request, from the same data


def refresh(months: Iterable[Month] | None = None) -> None:
    """Forget the stored figures of ``months`` and every later month (a payment, a win or a
    cancellation changes the ordinals and what was paid before in the months after it); of
    every month when ``months`` is None. For writers that record no audit entry."""
    stale = MonthlyFigures.objects.all()
    if months is not None:
        months = list(months)
        if not months:
            return
        stale = stale.filter(month__gte=min(months).first)
    stale.delete()


def rebuild(*, progress=None) -> int:
    """Calculate and store every month of the history that no period stores, to the current
    one. Returns how many months were stored."""
    from datetime import date

    from salesrelay.analytics.months import fresh_figures, history_months, month_sources

    first, last = history_months()
    if first is None:
        return 0
    refresh()
    sources = month_sources(first, last, today=date.today())
    found = fresh_figures(sources, progress=progress)
    return len(found)
