"""Which months' pay and company figures are read back, and which are calculated now.

- A **past month whose period has been calculated** (calculated, approved or locked) shows what
  is stored: the period's *R*, *G*, *F*, *V*, *O* and break-even revenue and its payout lines,
  adjustments and manual lines included, forfeited amounts not. These are exactly the figures
  of the pay pages, so the analytics never contradict a statement.
- **The current month, and any past month never calculated**, is calculated fresh by the
  engine under the plan in force, **storing nothing**: the current month "as it stands today".
  A fresh month has the engine's own lines only (no adjustments for locked months and no manual
  lines, which only exist once a period is calculated).

Fresh months are loaded with :func:`salesrelay.compensation.selectors.load_history`, one load per
run of consecutive fresh months, in one snapshot; their company figures and pay per employee are
kept in the monthly roll-up (:mod:`salesrelay.analytics.rollup`) for as long as the data stays
the same (:func:`fresh_figures`).

>>> sources = month_sources(Month(2026, 1), Month(2026, 12), today=date(2026, 12, 1))  # doctest: +SKIP
>>> sources.fresh                                     # doctest: +SKIP
(Month(year=2026, month=12),)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum

from salesrelay.analytics import rollup
from salesrelay.compensation.choices import LineSource, PeriodStatus
from salesrelay.compensation.models import PayoutLine, Period
from salesrelay.compensation.plans import current_version, plans_of
from salesrelay.compensation.selectors import load_history
from salesrelay.compensation.snapshot import consistent_reads
from salesrelay.deals.models import Deal
from salesrelay.engine.inputs import History
from salesrelay.engine.money import ZERO
from salesrelay.engine.payroll import Calculator, CompanyFigures, Payroll
from salesrelay.engine.periods import Month, months_between
from salesrelay.payments.models import Allocation


@dataclass(frozen=True)
class MonthSources:
    months: tuple[Month, ...]
    stored: Mapping[Month, Period]
    current: Month

    @property
    def fresh(self) -> tuple[Month, ...]:
        return tuple(m for m in self.months if m not in self.stored)

    def is_fresh(self, month: Month) -> bool:
        return month not in self.stored


def month_sources(first: Month, last: Month, *, today: date) -> MonthSources:
    """The months ``first`` to ``last`` (none after the current one) and the calculated periods
    among them that are read back. One query."""
    current = Month.of(today)
    last = min(last, current)
    months = tuple(months_between(first, last)) if first <= last else ()
    periods = Period.objects.filter(month__gte=first.first, month__lte=last.first).exclude(
        status=PeriodStatus.OPEN)
    stored = {Month.of(p.month): p for p in periods if Month.of(p.month) < current}
    return MonthSources(months, stored, current)


def stored_company(period: Period) -> CompanyFigures:
    return CompanyFigures(period.collections, period.gross_profit, period.fixed_costs,
                          period.variable_pay, period.operating_result, period.breakeven_revenue,
                          period.new_clients)


def stored_totals(sources: MonthSources) -> dict[tuple[Month, str], Decimal]:
    """(month, employee id) → pay of the stored months. One query."""
    if not sources.stored:
        return {}
    rows = (PayoutLine.objects.filter(period__in=[p.pk for p in sources.stored.values()])
            .exclude(source=LineSource.FORFEITED)
            .values_list("period__month", "employee__ref").annotate(total=Sum("amount")))
    return {(Month.of(month), ref): total for month, ref, total in rows}


def fresh_payrolls(sources: MonthSources, *, history: History | None = None, progress=None
                   ) -> dict[Month, Payroll]:
    """The fresh months calculated under the plan in force, storing nothing. ``history``: one
    already loaded that covers them all (no more queries); else one load per run of consecutive
    fresh months (eleven queries each) and one for the plan."""
    fresh = sources.fresh
    if not fresh:
        return {}
    plans = plans_of(current_version())
    if history is not None:
        calculator = Calculator(history, plans)
        return {month: calculator.month(month) for month in fresh}
    result: dict[Month, Payroll] = {}
    with consistent_reads():
        for start, end in _runs(fresh):
            calculator = Calculator(load_history(start, end), plans)
            for month in months_between(start, end):
                result[month] = calculator.month(month)
                if progress is not None:
                    progress(f"{month} calculated")
    return result


def fresh_figures(sources: MonthSources, *, progress=None) -> dict[Month, rollup.Figures]:
    """The fresh months' company figures and pay per employee: those the roll-up holds for the
    data as it is (two queries), the others calculated now (as :func:`calculate`, which stores
    them in the roll-up with their cohorts' figures)."""
    fresh = sources.fresh
    if not fresh:
        return {}
    at = rollup.revision()
    found = rollup.stored(fresh, at=at)
    missing = tuple(m for m in fresh if m not in found)
    if missing:
        found.update(calculate(missing, sources, at=at, progress=progress))
    return found


def calculate(months: tuple[Month, ...], sources: MonthSources, *, at: str, progress=None
              ) -> dict[Month, rollup.Figures]:
    """Calculate ``months`` from one snapshot and store them in the roll-up at revision ``at``:
    the fresh ones (by ``sources``) run the engine under the plan in force, their company
    figures and pay kept in ``MonthlyFigures``; every one keeps its cohorts' figures (collected
    profit per client, and the engine's shares and bonuses of a fresh month). One history load
    per run of consecutive months, one query for the clients' deals 1, one for the plan.
    Returns the fresh months' figures.

    Both are kept from the one calculation because it is the costly part (seconds per month on
    the 1M-deal history) and the months' lines and loaded allocations are at hand here."""
    if not months:
        return {}
    plans = plans_of(current_version()) if any(sources.is_fresh(m) for m in months) else None
    figures: dict[Month, rollup.Figures] = {}
    cohorts: dict[Month, rollup.CohortFigures] = {}
    with consistent_reads():
        firsts = rollup.first_deals()
        for start, end in _runs(months):
            history = load_history(start, end)
            calculator = None if plans is None else Calculator(history, plans)
            collected = rollup.collected_by_month(history)
            for month in months_between(start, end):
                profit = collected.get(month, {})
                if calculator is not None and sources.is_fresh(month):
                    payroll = calculator.month(month)
                    figures[month] = rollup.of_payroll(payroll)
                    cohorts[month] = rollup.fresh_cohort_figures(profit, payroll, firsts)
                else:
                    cohorts[month] = rollup.stored_cohort_figures(
                        profit, sources.stored[month], firsts)
                if progress is not None:
                    progress(f"{month} calculated")
    rollup.store(figures, at=at)
    rollup.store_cohorts(cohorts, firsts, at=at)
    return figures


def history_months() -> tuple[Month | None, Month]:
    """The month of the first payment or win of the history (None: there is none) and the
    current month. Two queries."""
    current = Month.of(date.today())
    firsts = [day for day in (Allocation.objects.aggregate(m=Min("effective_on"))["m"],
                              Deal.objects.aggregate(m=Min("won_on"))["m"]) if day is not None]
    return (Month.of(min(firsts)) if firsts else None), current


def fresh_totals(payrolls: Mapping[Month, Payroll]) -> dict[tuple[Month, str], Decimal]:
    totals: dict[tuple[Month, str], Decimal] = defaultdict(lambda: ZERO)
    for month, payroll in payrolls.items():
        for line in payroll.lines:
            totals[month, line.employee_id] += line.amount
    return dict(totals)


def _runs(months: tuple[Month, ...]) -> list[tuple[Month, Month]]:
    """Consecutive months as (first, last) pairs: 2026-01, 2026-02, 2026-05 → two runs."""
    runs: list[tuple[Month, Month]] = []
    for month in months:
        if runs and runs[-1][1].next() == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs
