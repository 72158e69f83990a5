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

The same calculation keeps, per month, what the acquisition cohorts page needs of it
(``CohortMonth`` and ``ClientMonth``), so that the page sums stored rows in the database instead
of loading the history and rerunning the engine from its first cohort to today:

- for every month, the periods' months included (a period keeps no collected profit per
  client), each client's **collected gross profit**: the engine's own ``counted_parts`` and
  ``collected_profit`` over the month's allocations, to 14 places (:func:`split_profit`), with
  the month of the client's deal 1 (its cohort);
- for a month no period stores, the engine's ``deal_profit_share`` lines on each client paid to
  the client's acquirer, and its ``kpi_bonus`` lines on a new-clients metric per employee (a
  stored month's are its payout lines, read by the page as before).

A month's cohort rows are complete when its ``CohortMonth`` is at the current revision; both are
written in one transaction and forgotten with the month's figures (:func:`refresh`).

The figures read back are the ones the engine gives (the tests compare both ways).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, connection, transaction

from salesrelay.analytics.models import ClientMonth, CohortMonth, MonthlyFigures
from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.choices import LineSource
from salesrelay.compensation.models import PayoutLine, Period, PlanVersion
from salesrelay.deals.models import Deal
from salesrelay.engine.inputs import History
from salesrelay.engine.money import ZERO
from salesrelay.engine.payroll import CompanyFigures, Payroll, collected_profit, counted_parts
from salesrelay.engine.periods import Month

NEW_CLIENTS = "new_clients"
"""The metric (and the prefix of the per-segment ones) of the KPI bonuses for new clients."""
PROFIT_PLACES = 14
"""Places of a client's collected profit in a month that the cohorts' roll-up keeps."""
_REST_PER_CENT = 10 ** (PROFIT_PLACES - 2)
_UNIT = Decimal(1).scaleb(-PROFIT_PLACES)


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
    cancellation changes the ordinals and what was paid before in the months after it), the
    cohorts' included; of every month when ``months`` is None. For writers that record no audit
    entry."""
    stale = [MonthlyFigures.objects.all(), CohortMonth.objects.all(), ClientMonth.objects.all()]
    if months is not None:
        months = list(months)
        if not months:
            return
        stale = [rows.filter(month__gte=min(months).first) for rows in stale]
    with transaction.atomic():
        for rows in stale:
            rows.delete()
    from salesrelay.analytics.warm import data_changed

    data_changed()  # once the writer commits, the worker calculates them again


# The acquisition cohorts' part ----------------------------------------------------------------
@dataclass(frozen=True)
class FirstDeal:
    """A client's deal 1: the client's primary key, the month it was won, the acquirer's id
    and primary key."""

    client_pk: int
    cohort: Month
    acquirer: str | None
    acquirer_pk: int | None


def first_deals() -> dict[str, FirstDeal]:
    """Client id → its deal 1 (clients with none won have no cohort). One query."""
    return {ref: FirstDeal(pk, Month.of(won_on), acquirer, acquirer_pk)
            for pk, ref, won_on, acquirer, acquirer_pk in Deal.objects.filter(
                number=1, won_on__isnull=False).order_by().values_list(
                "client_id", "client__ref", "won_on", "client__acquired_by__ref",
                "client__acquired_by_id")
            if won_on is not None}


@dataclass(frozen=True)
class CohortFigures:
    """What the cohorts page needs of one month: collected gross profit per client id; the
    ``deal_profit_share`` paid to each client's acquirer on it (the engine's lines in a fresh
    month, the period's calculated and adjustment lines in a stored one); for a fresh month the
    new-clients ``kpi_bonus`` per employee id (a stored month's are its payout lines, which the
    page reads: an adjustment there counts for the month it adjusts)."""

    fresh: bool
    profit: Mapping[str, Decimal]
    shares: Mapping[str, Decimal]
    bonuses: Mapping[str, Decimal]


def collected_by_month(history: History) -> dict[Month, dict[str, Decimal]]:
    """Month → client id → the gross profit its allocations in the month brought: exactly the
    sums the engine makes (``counted_parts`` over the history's allocations in their counting
    order, after what was allocated before it; ``collected_profit`` of each part, added with 40
    digits). A part depends only on what was allocated to the deal before, so the figures are
    the same whichever month the history starts with."""
    deals = dict(history.deals)
    parts = counted_parts(history.allocations, deals, dict(history.allocated_before))
    result: dict[Month, dict[str, Decimal]] = {}
    months: dict[date, dict[str, Decimal]] = {}  # a day's month, looked up once a day
    with localcontext() as exact:
        exact.prec = 40
        for allocation, part in zip(history.allocations, parts, strict=True):
            if not part:
                continue  # nothing counted: no profit
            deal = deals[allocation.deal_id]
            of_month = months.get(allocation.effective_on)
            if of_month is None:
                of_month = result.setdefault(Month.of(allocation.effective_on), {})
                months[allocation.effective_on] = of_month
            of_month[deal.client_id] = (of_month.get(deal.client_id, ZERO)
                                        + collected_profit(deal, part))
    return result


def _acquirers_shares(lines: Iterable[tuple[str | None, str, Decimal]],
                      firsts: Mapping[str, FirstDeal]) -> dict[str, Decimal]:
    """(client id, employee id, amount) of ``deal_profit_share`` lines → client id → what was
    paid to its acquirer (the hunter who brought it: the cohorts' cost)."""
    shares: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for client, employee, amount in lines:
        if client is None:
            continue
        first = firsts.get(client)
        if first is not None and employee == first.acquirer:
            shares[client] += amount
    return dict(shares)


def fresh_cohort_figures(profit: Mapping[str, Decimal], payroll: Payroll,
                         firsts: Mapping[str, FirstDeal]) -> CohortFigures:
    bonuses: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in payroll.lines:
        if line.kind == "kpi_bonus" and str(dict(line.facts).get("metric", "")).startswith(
                NEW_CLIENTS):
            bonuses[line.employee_id] += line.amount
    shares = _acquirers_shares(((line.client_id, line.employee_id, line.amount)
                                for line in payroll.lines if line.kind == "deal_profit_share"),
                               firsts)
    return CohortFigures(True, profit, shares, dict(bonuses))


def stored_cohort_figures(profit: Mapping[str, Decimal], period: Period,
                          firsts: Mapping[str, FirstDeal]) -> CohortFigures:
    """A stored month's: the profit shares are the period's lines. One query."""
    lines = PayoutLine.objects.filter(
        period=period, kind="deal_profit_share",
        source__in=[LineSource.CALCULATED, LineSource.ADJUSTMENT]).order_by().values_list(
        "client__ref", "employee__ref", "amount")
    return CohortFigures(False, profit, _acquirers_shares(lines, firsts), {})


def split_profit(value: Decimal) -> tuple[int, int]:
    """A collected profit as (cents rounded down, the rest in units of 10⁻¹⁴): two whole
    numbers, so that SQLite (which has no exact decimal) sums them as exactly as PostgreSQL.

    >>> split_profit(Decimal("1234.5678901234567890"))
    (123456, 789012345679)
    >>> split_profit(Decimal("-0.005"))
    (-1, 500000000000)
    """
    units = int(value.quantize(_UNIT, rounding=ROUND_HALF_EVEN).scaleb(PROFIT_PLACES))
    return divmod(units, _REST_PER_CENT)


def cents(amount: int) -> Decimal:
    """Whole cents back as money."""
    return Decimal(amount).scaleb(-2)


def joined_profit(cents: int, rest: int) -> Decimal:
    """The sum of profits from the sums of their two parts, exactly."""
    return Decimal(cents * _REST_PER_CENT + rest).scaleb(-PROFIT_PLACES)


def store_cohorts(figures: Mapping[Month, CohortFigures], firsts: Mapping[str, FirstDeal], *,
                  at: str) -> None:
    """Keep the cohorts' figures of ``figures``' months, calculated at revision ``at``, in place
    of what was stored for them: the months and their client rows in one transaction. Another
    request storing the same months at the same moment is no error."""
    if not figures:
        return

    new_in: dict[Month, list[str]] = defaultdict(list)
    for client, first in firsts.items():
        new_in[first.cohort].append(client)

    def rows_of(month: Month, f: CohortFigures) -> list[tuple]:
        rows = []
        new = set(new_in.get(month, ()))
        for client in sorted(set(f.profit) | set(f.shares) | new):
            first = firsts.get(client)
            if first is None:
                continue  # no deal 1 won: in no cohort
            profit, share = f.profit.get(client, ZERO), f.shares.get(client, ZERO)
            if not profit and not share and client not in new:
                continue
            rows.append((month.first, first.client_pk, first.cohort.first, first.acquirer_pk,
                         at, int(share.scaleb(2)), *split_profit(profit)))
        return rows

    firsts_of_months = [m.first for m in figures]
    try:
        with transaction.atomic():
            CohortMonth.objects.filter(month__in=firsts_of_months).delete()
            ClientMonth.objects.filter(month__in=firsts_of_months).delete()
            CohortMonth.objects.bulk_create([CohortMonth(
                month=month.first, revision=at, fresh=f.fresh,
                bonuses={ref: str(amount) for ref, amount in f.bonuses.items()})
                for month, f in figures.items()])
            rows: list[tuple] = []
            for month, f in figures.items():
                rows.extend(rows_of(month, f))
                if len(rows) >= _INSERTED:
                    _insert(rows)
                    rows = []
            _insert(rows)
    except IntegrityError:
        pass  # stored meanwhile by another request, from the same data


_INSERTED = 100_000


def _insert(rows: list[tuple]) -> None:
    """Client rows in the order of ``_CLIENT_MONTH_FIELDS``, by one statement run for all of them
    (executemany): hundreds of thousands for the whole history, where a model object each
    (``bulk_create``) costs more than the engine's run of the month. One query on either
    database."""
    if not rows:
        return
    meta: Any = ClientMonth._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _CLIENT_MONTH_FIELDS)
    marks = ", ".join(["%s"] * len(_CLIENT_MONTH_FIELDS))
    # Names come from the model's meta, quoted; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
_CLIENT_MONTH_FIELDS = ("month", "client_id", "cohort", "acquirer_id", "revision",
                        "shares_cents", "profit_cents", "profit_rest")


def cohort_months(months: Iterable[Month], *, at: str) -> dict[Month, CohortMonth]:
    """The months of ``months`` whose cohort rows are stored at revision ``at``. One query."""
    return {Month.of(row.month): row for row in CohortMonth.objects.filter(
        month__in=[m.first for m in months], revision=at)}


def cohort_bonuses(row: CohortMonth) -> dict[str, Decimal]:
    return {ref: Decimal(amount) for ref, amount in row.bonuses.items()}


def rebuild(*, progress=None) -> int:
    """Calculate and store every month of the history that no period stores, to the current
    one, and the cohorts' figures of every month of the history. Returns how many months' pay
    and company figures were stored."""

    from salesrelay.analytics.months import calculate, history_months, month_sources

    first, last = history_months()
    if first is None:
        return 0
    refresh()
    sources = month_sources(first, last, today=date.today())
    found = calculate(sources.months, sources, at=revision(), progress=progress)
    return len(found)
