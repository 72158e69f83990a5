"""Every figure of the analytics pages (SPEC §4), as frozen dataclasses, in a fixed number of
queries whatever the number of rows. The pages, their CSV files and the coming API render these
and compute nothing themselves.

Who sees what (the routes are in ``salesrelay.people.access.ROUTES``; every queryset below goes
through ``Model.objects.restrict(viewer)``, ``viewer.clients()`` or
``Employee.objects.restrict(viewer)``, never through a test of the viewer's role):

========================  ===============================================  ==========================
page                      read by                                          the slice
========================  ===============================================  ==========================
new clients               hunters, heads, the director                     the clients the viewer
                                                                           reads: a hunter the ones
                                                                           they brought; the
                                                                           company's count per month
                                                                           is always shown
funnel, conversion        hunters, the head of acquisition, the director   the deals and meetings the
                                                                           viewer reads
order value               account managers, heads, the director            the clients the viewer
                                                                           reads
collections, receivables  account managers, the head of account            the clients the viewer
                          management, the director, the accountant         reads or books payments
                                                                           for
break-even                everybody (all of sales shares the result above  company figures only
                          break-even)
pay vs market             everybody                                        the employees whose pay
                                                                           the viewer reads
cohorts                   hunters, heads, the director                     the clients the viewer
                                                                           reads
========================  ===============================================  ==========================

Rows per employee list only the employees the viewer may see (a hunter or an account manager
themselves, a head their department, the director and the accountant everyone); the totals
beside them are the viewer's whole slice (an account manager sees the department's
collections, which their pool is paid on, and their own row).

Which months are read back from the pay periods and which are calculated now is decided in
:mod:`salesrelay.analytics.months`.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import reduce

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from salesrelay.analytics import rollup
from salesrelay.analytics.filters import Filters
from salesrelay.analytics.models import ClientMonth
from salesrelay.analytics.months import (
    calculate,
    fresh_figures,
    fresh_payrolls,
    month_sources,
    stored_company,
    stored_totals,
)
from salesrelay.audit.models import AuditEntry
from salesrelay.clients.choices import Segment
from salesrelay.clients.models import Client, Ownership
from salesrelay.compensation.choices import LineSource
from salesrelay.compensation.models import PayoutLine
from salesrelay.compensation.selectors import load_history
from salesrelay.compensation.snapshot import consistent_reads
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.metrics import (
    AGEING,
    Bucket,
    Difference,
    Rate,
    compare,
    difference,
    margin_of_safety,
    median,
    payback_index,
    rate,
    share,
)
from salesrelay.engine.money import ZERO, round_money, times
from salesrelay.engine.payroll import collected_profit, counted_parts
from salesrelay.engine.periods import Month
from salesrelay.finance.models import Target
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.models import Allocation, Collected
from salesrelay.people.access import condition
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.choices import STAGE_WORDS, ActivityKind, Outcome
from salesrelay.pipeline.models import Activity, PipelineStage

NEW_CLIENTS = rollup.NEW_CLIENTS
RETAIL_CHAINS = f"new_clients_in_segment:{Segment.RETAIL_CHAIN}"
"""The Targets rows (and ``kpi_bonus`` metrics) the new-clients page compares with."""
HUNTER_MULTIPLE = Decimal("2.00")
"""The case: hunters can earn about twice the market average."""
CLIENTS_LISTED = 200
CHAINS_LISTED = 100
"""The retail chains won listed by name at most, the latest."""
"""The clients behind a receivables bucket listed at most, the largest amounts first."""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    department: str
    market_salary: Decimal | None


def _people(viewer) -> dict[str, Person]:
    """The employees the viewer may see, by id. One query."""
    return {ref: Person(ref, name, role, department, market)
            for ref, name, role, department, market in Employee.objects.restrict(viewer)
            .order_by("name", "id").values_list("ref", "name", "role", "department",
                                                "market_salary")}


class MonthIndex(Func):
    """A date column's month as one number (year × 12 + month), computed by the database itself:
    Django's ``ExtractYear``/``ExtractMonth`` call back into Python for every row on SQLite."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12"
            " + CAST(substr(%(expressions)s, 6, 2) AS INTEGER))"), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "(EXTRACT(YEAR FROM %(expressions)s)::integer * 12"
            " + EXTRACT(MONTH FROM %(expressions)s)::integer)"), **extra)


class MonthStart(Func):
    """The first day of a date column's month, computed by the database itself (as
    :class:`MonthIndex`, in place of ``TruncMonth``)."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(substr(%(expressions)s, 1, 8) || '01')",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="CAST(date_trunc('month', %(expressions)s) AS date)", **extra)


class DaysAfter(Func):
    """A date column ``days`` days later, computed by the database itself."""

    output_field = DateField()

    def __init__(self, expression, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template=f"date(%(expressions)s, '+{self.days} days')", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f"(%(expressions)s + {self.days})",
                           **extra)


class Unindexed(Func):
    """A column as it is, which SQLite does not look up by an index (SQLite's unary ``+``): its
    statistics, taken on a sample, make a deal's status look as choosy as its client, and it
    would then read every deal won in a window for each row of an outer query instead of the
    row's client's few deals."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _among(field: str, clients) -> Exists | Q:
    """``field`` (a client's id) among ``clients``, tested on each row the query's dates find by
    its client's primary key: the database neither reaches the rows by walking the index of
    every deal of every client in the slice (SQLite, without statistics, prefers that index to
    the dates', and walks all the history for a month) nor first gathers the ids of a slice of
    80 000 clients. No test at all when ``clients`` is every client (the director's slice):
    every row has a client."""
    if not clients.query.has_filters():
        return Q()
    return Exists(clients.filter(pk=OuterRef(field)))


def _of_department(department: str) -> Q:
    """Deals owned by ``department``'s people, as a list of owners rather than a join: the
    database then reads the ``(owner, …)`` indexes of those few people instead of every deal of
    the range joined to its owner."""
    return Q(owner__in=Employee.objects.filter(department=department).values("pk"))


def _in_range(field: str, filters: Filters) -> Q:
    return Q(**{f"{field}__gte": filters.first.first, f"{field}__lte": filters.last.last})


def _month_index(month: Month) -> int:
    return month.year * 12 + month.month


def _months_from(start: Month, day: date) -> int:
    return _month_index(Month.of(day)) - _month_index(start)


# New clients --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewClientsMonth:
    month: Month
    count: int
    """New clients of the viewer's slice (and of the filters)."""
    company: int
    """New clients of the whole company, whoever sees the page."""
    target: Decimal | None
    by_segment: tuple[tuple[str, int], ...]
    retail_chains: int
    retail_target: Decimal | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.count >= self.target


@dataclass(frozen=True)
class HunterCounts:
    person: Person
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class WonChain:
    won_on: date
    client_id: str
    name: str
    hunter: str | None


@dataclass(frozen=True)
class NewClients:
    months: tuple[NewClientsMonth, ...]
    hunters: tuple[HunterCounts, ...]
    chains: tuple[WonChain, ...]
    """The retail chains won in the range, in the order they were won: the latest
    ``CHAINS_LISTED`` when there were more."""
    chains_won: int
    """All the retail chains won in the range."""
    chains_listed: int = CHAINS_LISTED

    @property
    def total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met)

    @property
    def months_with_target(self) -> int:
        return sum(1 for m in self.months if m.target is not None)

    @property
    def chains_target(self) -> Decimal | None:
        targets = [m.retail_target for m in self.months if m.retail_target is not None]
        return sum(targets, Decimal(0)) if targets else None


def _by_acquirer(deals, filters: Filters):
    if filters.department:
        deals = deals.filter(client__acquired_by__department=filters.department)
    if filters.employee:
        deals = deals.filter(client__acquired_by__ref=filters.employee)
    if filters.segment:
        deals = deals.filter(client__segment=filters.segment)
    return deals


def new_clients(viewer, filters: Filters) -> NewClients:
    """Clients whose deal number 1 was won in each month (SPEC §2.4; a deal 1 cancelled later
    still made a new client, as for the KPI), by segment and by the hunter who brought them,
    against the Targets table. Five queries."""
    firsts = Deal.objects.filter(_in_range("won_on", filters), number=1)
    company = dict(firsts.annotate(m=MonthStart("won_on")).values("m").annotate(n=Count("id"))
                   .order_by().values_list("m", "n"))
    mine = _by_acquirer(firsts.filter(_among("client_id", viewer.clients())), filters)
    counts: dict[tuple[date, str], int] = defaultdict(int)
    by_hunter: dict[tuple[date, str], int] = defaultdict(int)
    for month, segment, hunter, n in (
            mine.annotate(m=MonthStart("won_on")).values("m", "client__segment",
                                                         "client__acquired_by__ref")
            .annotate(n=Count("id")).order_by()
            .values_list("m", "client__segment", "client__acquired_by__ref", "n")):
        counts[month, segment] += n
        if hunter is not None:
            by_hunter[month, hunter] += n
    targets = {(month, metric): value for month, metric, value in Target.objects.filter(
        _in_range("month", filters), metric__in=[NEW_CLIENTS, RETAIL_CHAINS]).values_list(
        "month", "metric", "value")}
    months = []
    for month in filters.months:
        segments = tuple((s, counts.get((month.first, s), 0)) for s in Segment.values)
        months.append(NewClientsMonth(
            month, sum(n for _s, n in segments), company.get(month.first, 0),
            targets.get((month.first, NEW_CLIENTS)), segments,
            counts.get((month.first, Segment.RETAIL_CHAIN), 0),
            targets.get((month.first, RETAIL_CHAINS))))
    people = _people(viewer)
    acquirers = {hunter for _m, hunter in by_hunter}
    hunters = tuple(
        HunterCounts(p, tuple(by_hunter.get((m.first, p.id), 0) for m in filters.months))
        for p in people.values() if p.role == Role.HUNTER or p.id in acquirers)
    latest = mine.filter(client__segment=Segment.RETAIL_CHAIN).order_by(
        "-won_on", "-client__name").values_list(
        "won_on", "client__ref", "client__name", "client__acquired_by__name")[:CHAINS_LISTED]
    chains = tuple(WonChain(*row) for row in reversed(latest))
    won = sum(n for (_m, segment), n in counts.items() if segment == Segment.RETAIL_CHAIN)
    return NewClients(tuple(months), hunters, chains, won)


# Funnel --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    code: str
    name: str
    reached: int
    conversion: Decimal | None
    """Of the deals that reached the step before, the share that reached this one."""
    median_days: Decimal | None
    """Median days deals spent in this step before the next one, where both days are known."""
    timed: int
    """The deals behind ``median_days``."""


@dataclass(frozen=True)
class HunterFunnel:
    person: Person
    reached: tuple[int, ...]

    @property
    def deals(self) -> int:
        return self.reached[0]

    @property
    def won(self) -> int:
        return self.reached[-1]

    @property
    def overall(self) -> Decimal | None:
        return share(self.won, self.deals)


@dataclass(frozen=True)
class Funnel:
    steps: tuple[Step, ...]
    hunters: tuple[HunterFunnel, ...]

    @property
    def deals(self) -> int:
        return self.steps[0].reached if self.steps else 0

    @property
    def won(self) -> int:
        return self.steps[-1].reached if self.steps else 0

    @property
    def overall(self) -> Decimal | None:
        return share(self.won, self.deals)


WON_STEP = "won"
# What, besides the board, shows that a deal got to a stage, and from which day (the codes of
# the default stages; an installation's own stages are known from the board alone).
_CONTACTED, _SCHEDULED, _HELD = "contacted", "meeting_scheduled", "meeting_held"


def funnel(viewer, filters: Filters, *, today: date) -> Funnel:
    """Acquisition deals (owned by the acquisition department) opened in the range, the furthest
    step each reached and the days it spent in each. Five queries.

    A deal reached a stage when it is on that stage or a later one of the board, was moved there
    (the audit log's ``deal.move``), or — for the default stages — when its client had a call or
    meeting done (*contacted*), a meeting planned (*meeting scheduled*) or held (*meeting held*)
    by the day the deal closed; a won deal reached every stage. A stage is entered on the day the
    deal was opened (the first), moved there, the fact happened (never before the opening) or won
    (the last); a step's time is counted for the deals whose entry into it and into the next
    step are both known.
    """
    stages = list(PipelineStage.objects.order_by("position").values_list("pk", "code", "name"))
    position = {pk: index for index, (pk, _c, _n) in enumerate(stages)}
    index_of = {code: index for index, (_pk, code, _n) in enumerate(stages)}
    won_index = len(stages)
    deals = Deal.objects.restrict(viewer).filter(
        _in_range("created_on", filters), _of_department(Department.ACQUISITION))
    if filters.employee:
        deals = deals.filter(owner__ref=filters.employee)
    if filters.segment:
        deals = deals.filter(client__segment=filters.segment)
    rows = list(deals.order_by().values_list("ref", "client_id", "owner__ref", "stage_id",
                                             "number", "created_on", "won_on", "closed_on"))
    # Each client's earliest day of each fact, by the database: one row per client instead of
    # every activity of the clients (70 000 on a year of the 1M-deal history).
    meeting = Q(kind=ActivityKind.MEETING)
    facts: dict[int, dict[str, date]] = {}
    for client, *firsts in Activity.objects.filter(
            client_id__in=deals.values("client_id")).order_by().values("client_id").annotate(
            contacted=Min("done_on", filter=Q(done_on__isnull=False) & ~Q(
                outcome__in=[Outcome.CANCELLED, Outcome.NO_SHOW])),
            scheduled=Min(Coalesce("planned_on", "done_on"),
                          filter=meeting & ~Q(outcome=Outcome.CANCELLED)),
            held=Min("done_on", filter=meeting & Q(outcome=Outcome.HELD, done_on__isnull=False)),
    ).values_list("client_id", "contacted", "scheduled", "held"):
        facts[client] = {code: day for code, day in zip((_CONTACTED, _SCHEDULED, _HELD), firsts,
                                                         strict=True) if day is not None}
    moves: dict[str, dict[int, date]] = defaultdict(dict)
    for ref, at, details in AuditEntry.objects.filter(
            action="deal.move", object_type="deal", object_ref__in=deals.values("ref")
    ).values_list("object_ref", "at", "details"):
        after = (details or {}).get("after")
        index = index_of.get(after) if isinstance(after, str) else None
        if index is not None:
            _earliest(moves[ref], index, timezone.localdate(at))

    reached_by: dict[str, list[int]] = defaultdict(lambda: [0] * (won_index + 1))
    totals = [0] * (won_index + 1)
    days: list[list[int]] = [[] for _ in range(won_index + 1)]
    for ref, client, owner, stage, number, created, won_on, closed in rows:
        end = won_on or closed or today
        entered: dict[int, date] = {0: created}
        reached = position.get(stage, 0)
        for code, day in facts.get(client, {}).items():
            if code in index_of and day <= end:
                index = index_of[code]
                reached = max(reached, index)
                _earliest(entered, index, max(day, created))
        for index, day in moves.get(ref, {}).items():
            reached = max(reached, index)
            _earliest(entered, index, max(day, created))
        if number is not None:
            reached = won_index
            entered[won_index] = won_on
        last_day = created
        for index in range(1, reached + 1):  # a later step is never entered before an earlier one
            if index in entered:
                entered[index] = last_day = max(entered[index], last_day)
        for index in range(reached):
            if index in entered and index + 1 in entered:
                days[index].append((entered[index + 1] - entered[index]).days)
        for index in range(reached + 1):
            totals[index] += 1
            reached_by[owner][index] += 1
    names = [str(STAGE_WORDS.get(name, name)) for _pk, _code, name in stages] + [
        str(DealStatus.WON.label)]
    codes = [code for _pk, code, _name in stages] + [WON_STEP]
    steps = tuple(
        Step(codes[i], names[i], totals[i], None if i == 0 else share(totals[i], totals[i - 1]),
             median(days[i]) if i < won_index else None, len(days[i]) if i < won_index else 0)
        for i in range(won_index + 1))
    people = _people(viewer)
    hunters = tuple(HunterFunnel(p, tuple(reached_by[p.id])) for p in people.values()
                    if p.id in reached_by)
    return Funnel(steps, hunters)


def _earliest(found: dict, key, day: date | None) -> None:
    if day is not None and (key not in found or day < found[key]):
        found[key] = day


# Meeting → deal conversion ----------------------------------------------------------------------
@dataclass(frozen=True)
class MaterialLift:
    """Meetings that showed a material against those that did not (``material`` None: any
    material against none)."""

    material_id: str | None
    title: str
    kind: str
    published_on: date | None
    with_: Rate
    without: Rate

    @property
    def verdict(self) -> str:
        return compare(self.with_, self.without)

    @property
    def difference(self) -> Difference | None:
        return difference(self.with_, self.without)

    @property
    def compared(self) -> bool:
        """Both sides had meetings."""
        return self.with_.trials > 0 and self.without.trials > 0


@dataclass(frozen=True)
class HunterRate:
    person: Person
    rate: Rate


@dataclass(frozen=True)
class Conversion:
    within_days: int
    overall: Rate
    any_material: MaterialLift
    materials: tuple[MaterialLift, ...]
    hunters: tuple[HunterRate, ...]

    @property
    def lifts(self) -> tuple[MaterialLift, ...]:
        return (self.any_material, *self.materials)


def conversion(viewer, filters: Filters) -> Conversion:
    """Meetings held in the range whose client won a deal within ``filters.within_days`` days
    (the day of the meeting to that many days after, both included — the KPI's rule), over the
    meetings held; overall, by the employee who held them, and with against without each sales
    material. A material published on a day is compared on the meetings held since then only:
    before it existed nobody could show it. Five queries."""
    meetings = Activity.objects.restrict(viewer).filter(
        _in_range("done_on", filters), kind=ActivityKind.MEETING, outcome=Outcome.HELD)
    if filters.employee:
        meetings = meetings.filter(employee__ref=filters.employee)
    if filters.segment:
        meetings = meetings.filter(client__segment=filters.segment)
    # Whether the meeting's client won a deal from its day to ``within_days`` after, asked of
    # the database for each meeting (on the client's own deals) rather than every win of the
    # meetings' clients fetched and compared here (190 000 on a year of the 1M-deal history).
    won = Deal.objects.alias(state=Unindexed("status")).filter(
        state=DealStatus.WON, client_id=OuterRef("client_id"), won_on__gte=OuterRef("done_on"),
        won_on__lte=DaysAfter(OuterRef("done_on"), filters.within_days))
    catalog = list(SalesMaterial.objects.order_by("title", "id").values_list(
        "pk", "ref", "title", "kind", "published_on"))
    # Each meeting's day as the number of the materials' publication days up to it, so that a
    # meeting is counted for the materials out by then without a date read per meeting.
    days = sorted({day for *_material, day in catalog if day is not None})
    era_of = {day: n for n, day in enumerate(days, 1)}
    era = Case(*(When(done_on__gte=day, then=Value(n)) for day, n in reversed(era_of.items())),
               default=Value(0), output_field=IntegerField())
    # The era and whether it converted as one number (era × 2 + 1 when converted): one value
    # to convert per meeting.
    rows = meetings.annotate(code=ExpressionWrapper(
        era * 2 + Cast(Exists(won), IntegerField()), output_field=IntegerField())).order_by()
    shown: dict[int, list[int]] = defaultdict(list)
    for activity, material in Activity.materials.through.objects.filter(
            activity_id__in=meetings.values("pk")).values_list("activity_id", "salesmaterial_id"):
        shown[activity].append(material)
    since_era = {pk: era_of[day] if day is not None else 0
                 for pk, _ref, _title, _kind, day in catalog}
    # One pass: [meetings, converted] by era, by employee, with each material (since it was
    # published), with any material and with none.
    by_era = [[0, 0] for _ in range(len(days) + 1)]
    by_employee: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    with_material: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    with_any, with_none = [0, 0], [0, 0]
    for pk, employee, code in rows.values_list("pk", "employee_id", "code"):
        held, hit = divmod(code, 2)
        for tally in (by_era[held], by_employee[employee]):
            tally[0] += 1
            tally[1] += hit
        materials = shown.get(pk)
        side = with_any if materials else with_none
        side[0] += 1
        side[1] += hit
        for material in materials or ():
            if held >= since_era.get(material, 0):
                with_material[material][0] += 1
                with_material[material][1] += hit

    def since(day: date | None) -> list[int]:
        counts = by_era[era_of[day] if day is not None else 0:]
        return [sum(n for n, _hits in counts), sum(hits for _n, hits in counts)]

    lifts = []
    for pk, ref, title, kind, day in catalog:
        (trials, hits), (shown_in, shown_hits) = since(day), with_material.get(pk, [0, 0])
        lifts.append(MaterialLift(ref, title, kind, day, rate(shown_hits, shown_in),
                                  rate(hits - shown_hits, trials - shown_in)))
    any_material = MaterialLift(None, "", "", None, rate(with_any[1], with_any[0]),
                                rate(with_none[1], with_none[0]))
    held_by = {ref: by_employee[pk] for pk, ref in Employee.objects.filter(
        pk__in=list(by_employee)).values_list("pk", "ref")}
    hunters = tuple(HunterRate(p, rate(held_by[p.id][1], held_by[p.id][0]))
                    for p in _people(viewer).values() if p.id in held_by)
    overall = since(None)
    return Conversion(filters.within_days, rate(overall[1], overall[0]), any_material,
                      tuple(lifts), hunters)


# Order value after the handoff ---------------------------------------------------------------
@dataclass(frozen=True)
class OrderValuePoint:
    """Average order value of the deals at one deal number (or one month since the client's
    deal 1): sold by acquisition, by account management, and all of them."""

    key: int
    acquisition: Decimal | None
    acquisition_deals: int
    accounts: Decimal | None
    accounts_deals: int
    overall: Decimal | None
    deals: int


@dataclass(frozen=True)
class OrderValue:
    by_number: tuple[OrderValuePoint, ...]
    by_month: tuple[OrderValuePoint, ...]


def order_value(viewer, filters: Filters) -> OrderValue:
    """Won deals (not cancelled) of the range: average amount by deal number and by months
    since the client's deal 1 was won, split by the department of the deal's owner — who sold
    it. Two queries."""
    deals = Deal.objects.restrict(viewer).filter(_in_range("won_on", filters),
                                                 status=DealStatus.WON)
    if filters.employee:
        deals = deals.filter(owner__ref=filters.employee)
    if filters.department:
        deals = deals.filter(_of_department(filters.department))
    if filters.segment:
        deals = deals.filter(client__segment=filters.segment)
    by_number = deals.values("number", "owner__department").annotate(
        total=Sum("amount"), n=Count("id")).order_by().values_list(
        "number", "owner__department", "total", "n")
    first_win = Deal.objects.filter(client=OuterRef("client_id"), number=1).annotate(
        at=MonthIndex("won_on")).order_by().values("at")[:1]
    by_month = deals.annotate(
        since=MonthIndex("won_on") - Subquery(first_win)
    ).values("since", "owner__department").annotate(total=Sum("amount"), n=Count("id")).order_by(
    ).values_list("since", "owner__department", "total", "n")
    return OrderValue(_points(by_number), _points(by_month))


def _points(rows) -> tuple[OrderValuePoint, ...]:
    sums: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [ZERO, 0]))
    for key, department, total, n in rows:
        if key is None:
            continue
        for group in (department, "all"):
            sums[key][group][0] += total
            sums[key][group][1] += n

    def average(entry) -> Decimal | None:
        return round_money(entry[0] / entry[1]) if entry[1] else None

    points = []
    for key in sorted(sums):
        groups = sums[key]
        acquisition, accounts, overall = (groups.get(g, [ZERO, 0]) for g in (
            Department.ACQUISITION, Department.ACCOUNT_MANAGEMENT, "all"))
        points.append(OrderValuePoint(key, average(acquisition), acquisition[1], average(accounts),
                                      accounts[1], average(overall), overall[1]))
    return tuple(points)


# Collections and receivables ----------------------------------------------------------------------
@dataclass(frozen=True)
class CollectionsMonth:
    month: Month
    total: Decimal
    acquisition: Decimal
    accounts: Decimal


@dataclass(frozen=True)
class ManagerCollections:
    person: Person
    amounts: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass(frozen=True)
class AgeingRow:
    """Receivables of one department, one manager or everybody, per ageing bucket."""

    key: str
    label: str
    amounts: tuple[Decimal, ...]
    deals: tuple[int, ...]
    department: str | None = None
    employee: str | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass(frozen=True)
class OwedClient:
    client_id: str
    name: str
    owner: str | None
    department: str | None
    deals: int
    owed: Decimal
    oldest_win: date


@dataclass(frozen=True)
class Collections:
    months: tuple[CollectionsMonth, ...]
    managers: tuple[ManagerCollections, ...]
    as_of: date
    buckets: tuple[Bucket, ...]
    total: AgeingRow
    departments: tuple[AgeingRow, ...]
    owners: tuple[AgeingRow, ...]
    bucket: Bucket | None
    clients: tuple[OwedClient, ...]
    """The clients behind ``bucket`` (with the filters), the largest amounts first."""
    clients_listed: int = CLIENTS_LISTED

    @property
    def rows(self) -> tuple[AgeingRow, ...]:
        return (self.total, *self.departments, *self.owners)


def _money_clients(viewer):
    """The clients whose money the viewer sees: those they read and those they book payments
    for (the accountant reads no client card, but every client's payments)."""
    return viewer.clients() | viewer.payment_clients()


def _money_rules(viewer) -> list[Q]:
    """The access rules behind :func:`_money_clients` (reading, booking payments); an empty
    one lets the viewer see every client."""
    return [rule for rule in (condition(viewer, Client, "read"), condition(viewer, Client, "pay"))
            if rule is not None]


def _money_client_of(viewer, client_ref: str):
    """The test that the row's client (``client_ref``) is one of :func:`_money_clients`, as a
    search of that one client (rather than a list of all the slice's ids, most of the clients,
    that SQLite builds first); ``None`` when the viewer sees every client."""
    rules = _money_rules(viewer)
    if any(not rule for rule in rules):
        return None
    if not rules:
        return Q(pk__in=[])
    return Exists(Client.objects.filter(reduce(operator.or_, rules), pk=OuterRef(client_ref)))


def _other_clients(viewer):
    """The clients outside :func:`_money_clients`: the same two access rules, negated in one
    pass over the clients (``exclude(pk__in=...)`` would list the slice's ids first, most of
    the clients)."""
    rules = _money_rules(viewer)
    if any(not rule for rule in rules):
        return Client.objects.none()
    if not rules:
        return Client.objects.all()
    return Client.objects.exclude(reduce(operator.or_, rules))


def _owner_on(client_ref: str, day):
    """The ownership row of the outer row's client (``client_ref``) that covers ``day`` (an
    ``OuterRef`` to the outer row's date, or a date): who owned it that day."""
    return Ownership.objects.filter(client=OuterRef(client_ref), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)).order_by("-started_on", "-id")


def collections(viewer, filters: Filters, *, today: date) -> Collections:
    """Collections by month, by the department and the manager that owned the client on each
    allocation's effective day (SPEC §3: the day money counts), and receivables on the range's
    last day (today for the current month): what each won deal still owes, by days since its
    win. Four queries, and one more for the clients behind a bucket. The viewer's clients are
    those of :func:`_money_clients`, tested by the same access rules (:func:`_other_clients`,
    :func:`_money_client_of`)."""
    money: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_owner: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    owners = set()
    for month, department, owner, total, n in _collected(_other_clients(viewer), filters):
        if not n:
            continue
        money[month][department or ""] += total
        money[month]["all"] += total
        if owner is not None:
            by_owner[month, owner] += total
            owners.add(owner)
    months = tuple(CollectionsMonth(
        m, money[m.first]["all"], money[m.first][Department.ACQUISITION],
        money[m.first][Department.ACCOUNT_MANAGEMENT]) for m in filters.months)
    people = _people(viewer)
    managers = tuple(ManagerCollections(p, tuple(by_owner.get((m.first, p.id), ZERO)
                                                 for m in filters.months))
                     for p in people.values() if p.id in owners)

    as_of = min(today, filters.last.last)
    owed, parts = _receivables(_money_client_of(viewer, "client_id"), filters, as_of)
    still_owing, moved = (part.values("age", "owning", "owner_ref").annotate(
        total=Sum("owed"), n=Count("id")).order_by().values_list(
        "age", "owning", "owner_ref", "total", "n") for part in parts)
    cells: dict[tuple[str, str], list] = defaultdict(lambda: [ZERO, 0])
    for age, department, owner, total, n in still_owing.union(moved, all=True):
        for key in ("all", f"d:{department}", f"e:{owner}"):
            cells[key, age][0] += total
            cells[key, age][1] += n

    def row(key: str, label: str, **where) -> AgeingRow:
        found = [cells.get((key, b.key), [ZERO, 0]) for b in AGEING]
        return AgeingRow(key, label, tuple(v[0] for v in found), tuple(v[1] for v in found),
                         **where)

    rows_of = {key for key, _age in cells}
    departments = tuple(row(f"d:{d.value}", str(d.label), department=d.value) for d in (
        Department.ACQUISITION, Department.ACCOUNT_MANAGEMENT) if f"d:{d.value}" in rows_of)
    owner_rows = tuple(row(f"e:{p.id}", p.name, employee=p.id) for p in people.values()
                       if f"e:{p.id}" in rows_of)
    bucket = next((b for b in AGEING if b.key == filters.bucket), None)
    listed: tuple[OwedClient, ...] = ()
    if bucket is not None:
        listed = tuple(OwedClient(*r) for r in owed.filter(age=bucket.key).values(
            "client__ref", "client__name", "owner_name", "owning").annotate(
            n=Count("id"), total=Sum("owed"), oldest=Min("won_on")).order_by(
            "-total", "client__name").values_list(
            "client__ref", "client__name", "owner_name", "owning", "n", "total", "oldest"
        )[:CLIENTS_LISTED])
    return Collections(months, managers, as_of, AGEING, row("all", ""), departments, owner_rows,
                       bucket, listed)


def _collected(others, filters: Filters):
    """(month's first day, owning department or '', owner's id or None, amount, number of
    allocations) of the range: the company's collections by owner on the day
    (``payments.Collected``, a few hundred rows a year) less those of the clients outside the
    viewer's slice, found from their own allocations (the owner on each one's day looked up as
    before): a slice is a department's clients or every client with money, and the clients
    outside it have few allocations or none. One query, whatever the number of allocations."""
    money = DecimalField(max_digits=18, decimal_places=2)
    stored = Collected.objects.filter(month__gte=filters.first.first,
                                      month__lte=filters.last.first)
    span = _owner_on("deal__client", OuterRef("effective_on"))
    outside = Allocation.objects.filter(
        _in_range("effective_on", filters),
        deal__client__in=others).annotate(
        owner_ref=Subquery(span.values("employee__ref")[:1]),
        owning=Subquery(span.values("department")[:1]))
    if filters.segment:
        stored = stored.filter(segment=filters.segment)
        outside = outside.filter(deal__client__segment=filters.segment)
    if filters.department:
        stored = stored.filter(department=filters.department)
        outside = outside.filter(owning=filters.department)
    if filters.employee:
        stored = stored.filter(employee__ref=filters.employee)
        outside = outside.filter(owner_ref=filters.employee)
    less = outside.annotate(m=MonthStart("effective_on")).values("m", "owning", "owner_ref").annotate(
        total=ExpressionWrapper(-Sum("amount"), output_field=money),
        n=ExpressionWrapper(-Count("id"), output_field=IntegerField())).order_by().values_list(
        "m", "owning", "owner_ref", "total", "n")
    found: dict[tuple[date, str, str | None], list] = defaultdict(lambda: [ZERO, 0])
    for month, owning, owner, total, n in stored.values(
            "month", "department", "employee__ref").annotate(
            total=Sum("amount"), n=Sum("allocations")).order_by().values_list(
            "month", "department", "employee__ref", "total", "n").union(less, all=True):
        found[month, owning or "", owner][0] += total
        found[month, owning or "", owner][1] += n
    return [(month, owning, owner, total, n)
            for (month, owning, owner), (total, n) in found.items()]


def _receivables(clients, filters: Filters, as_of: date):
    """Won deals (of the clients ``clients`` tests, or of every client when None; or
    cancelled after ``as_of``) with money still owed on ``as_of``, annotated
    with ``owed``, their ageing bucket ``age`` and the owner on that day: all of them, and the
    same deals in two disjoint parts (their union) for the sums.

    What a deal owed on ``as_of`` is its amount less what it had received by then: its
    ``received`` (all dates) less nothing, unless an allocation is dated after ``as_of``. So
    the deals owing on ``as_of`` are those still owing now (``received < amount``, the
    ``deal_owing`` partial index, which holds all the sums need) without an allocation after
    ``as_of``, and the few with an allocation after it or cancelled after it, whose amount owed
    is computed from those allocations."""
    later = Allocation.objects.filter(deal=OuterRef("pk"), effective_on__gt=as_of).order_by(
    ).values("deal").annotate(total=Sum("amount")).values("total")
    span = _owner_on("client", as_of)
    money = DecimalField(max_digits=18, decimal_places=2)
    age = Case(*[When(won_on__gte=as_of - timedelta(days=b.high), then=Value(b.key))
                 for b in AGEING if b.high is not None],
               default=Value(AGEING[-1].key), output_field=CharField())
    dated_later = Allocation.objects.filter(effective_on__gt=as_of).values("deal_id")
    # The later allocations summed only for the deals that have one: the database lists those
    # once, instead of searching the allocations of every candidate.
    exact = ExpressionWrapper(F("amount") - F("received") + Case(
        When(pk__in=dated_later, then=Coalesce(Subquery(later, output_field=money),
                                               Value(ZERO), output_field=money)),
        default=Value(ZERO), output_field=money), output_field=money)

    def owing(deals, owed):
        if clients is not None:
            deals = deals.filter(clients)
        deals = deals.filter(won_on__lte=as_of).annotate(
            owed=owed,
            owner_ref=Subquery(span.values("employee__ref")[:1]),
            owner_name=Subquery(span.values("employee__name")[:1]),
            owning=Subquery(span.values("department")[:1]),
            age=age,
        ).filter(owed__gt=0)
        if filters.segment:
            deals = deals.filter(client__segment=filters.segment)
        if filters.department:
            deals = deals.filter(owning=filters.department)
        if filters.employee:
            deals = deals.filter(owner_ref=filters.employee)
        return deals

    # Won, or cancelled after ``as_of``; written as exclusions so that the database takes the
    # candidates' own searches rather than walking every won deal by its status.
    won_or_cancelled_later = (~Q(status__in=[DealStatus.OPEN, DealStatus.LOST])
                              & ~Q(status=DealStatus.CANCELLED, closed_on__lte=as_of))
    still_owing = owing(Deal.objects.filter(status=DealStatus.WON, received__lt=F("amount"))
                        .exclude(pk__in=dated_later),
                        ExpressionWrapper(F("amount") - F("received"), output_field=money))
    moved = owing(Deal.objects.filter(
        Q(status=DealStatus.CANCELLED, closed_on__gt=as_of) | Q(pk__in=dated_later)).filter(
        won_or_cancelled_later), exact)
    # SQLite takes the partial index only for a query that names its condition whole: the
    # list of the deals still owing is its own search.
    owing_now = Deal.objects.filter(status=DealStatus.WON, received__lt=F("amount"),
                                    won_on__lte=as_of).values("pk")
    every = owing(Deal.objects.filter(
        Q(pk__in=owing_now) | Q(status=DealStatus.CANCELLED, closed_on__gt=as_of)
        | Q(pk__in=dated_later)).filter(won_or_cancelled_later), exact)
    return every, (still_owing, moved)


# Break-even ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakevenMonth:
    month: Month
    fresh: bool
    """Calculated now, nothing stored: the current month as it stands, or a month never
    calculated."""
    collections: Decimal
    gross_profit: Decimal
    fixed_costs: Decimal
    variable_pay: Decimal
    operating_result: Decimal
    breakeven_revenue: Decimal | None

    @property
    def margin_of_safety(self) -> Decimal | None:
        return margin_of_safety(self.collections, self.breakeven_revenue)

    @property
    def above(self) -> bool:
        """At or above break-even: the operating result before the bonus is not negative."""
        return self.operating_result >= 0


@dataclass(frozen=True)
class Breakeven:
    months: tuple[BreakevenMonth, ...]
    current: Month

    @property
    def above(self) -> int:
        return sum(1 for m in self.months if m.above)

    @property
    def below(self) -> int:
        return len(self.months) - self.above

    @property
    def today(self) -> BreakevenMonth | None:
        """The current month as it stands, when the range includes it."""
        last = self.months[-1] if self.months else None
        return last if last is not None and last.month == self.current else None


def breakeven(filters: Filters, *, today: date) -> Breakeven:
    """*R*, *G*, *F*, *V*, *O* and break-even revenue month by month (SPEC §3), the margin of
    safety and whether the month was above. Company figures: no slice."""
    sources = month_sources(filters.first, filters.last, today=today)
    figures = fresh_figures(sources)
    months = []
    for month in sources.months:
        fresh = sources.is_fresh(month)
        c = figures[month].company if fresh else stored_company(sources.stored[month])
        months.append(BreakevenMonth(month, fresh, c.collections, c.gross_profit, c.fixed_costs,
                                     c.variable_pay, c.operating_result, c.breakeven_revenue))
    return Breakeven(tuple(months), sources.current)


# Pay against market salary --------------------------------------------------------------------
@dataclass(frozen=True)
class EmployeePay:
    person: Person
    pay: tuple[Decimal | None, ...]
    """Pay per month; ``None`` for a month with no line."""

    @property
    def ratios(self) -> tuple[Decimal | None, ...]:
        return tuple(None if p is None else times(p, self.person.market_salary) for p in self.pay)

    @property
    def average_ratio(self) -> Decimal | None:
        paid = [p for p in self.pay if p is not None]
        if not paid:
            return None
        return times(sum(paid, ZERO) / len(paid), self.person.market_salary)


@dataclass(frozen=True)
class PayVsMarket:
    months: tuple[Month, ...]
    fresh: tuple[bool, ...]
    employees: tuple[EmployeePay, ...]
    target: Decimal = HUNTER_MULTIPLE

    @property
    def hunters_median(self) -> tuple[Decimal | None, ...]:
        """Per month, the median pay ÷ market salary of the hunters shown."""
        result = []
        for index in range(len(self.months)):
            ratios = [e.ratios[index] for e in self.employees if e.person.role == Role.HUNTER]
            found = median([r for r in ratios if r is not None])
            result.append(None if found is None else round_money(found))
        return tuple(result)


def pay_vs_market(viewer, filters: Filters, *, today: date) -> PayVsMarket:
    """Each visible employee's pay in each month against their market salary."""
    people = _people(viewer)
    if filters.department:
        people = {k: p for k, p in people.items() if p.department == filters.department}
    if filters.employee:
        people = {k: p for k, p in people.items() if k == filters.employee}
    sources = month_sources(filters.first, filters.last, today=today)
    totals = stored_totals(sources)
    for month, found in fresh_figures(sources).items():
        totals.update(((month, ref), amount) for ref, amount in found.pay.items())
    employees = []
    for person in people.values():
        pay = tuple(totals.get((m, person.id)) for m in sources.months)
        if any(p is not None for p in pay):
            employees.append(EmployeePay(person, pay))
    return PayVsMarket(sources.months, tuple(sources.is_fresh(m) for m in sources.months),
                       tuple(employees))


# Acquisition cohorts --------------------------------------------------------------------------
@dataclass(frozen=True)
class Cohort:
    month: Month
    clients: int
    shares: Decimal
    """The hunters' ``deal_profit_share`` on the cohort's deals, in every month so far."""
    bonuses: Decimal
    """KPI bonuses for new clients in the cohort's month, of the hunters who brought it."""
    cumulative: tuple[Decimal, ...]
    """Collected gross profit to the end of month 0 (the month of deal 1), 1, 2, … up to now."""

    @property
    def cost(self) -> Decimal:
        return self.shares + self.bonuses

    @property
    def net(self) -> tuple[Decimal, ...]:
        return tuple(value - self.cost for value in self.cumulative)

    @property
    def payback(self) -> int | None:
        """Months after the month of deal 1 at which the cohort paid back; ``None``: not yet."""
        return payback_index(self.cumulative, self.cost)

    @property
    def payback_month(self) -> Month | None:
        index = self.payback
        if index is None:
            return None
        month = self.month
        for _step in range(index):
            month = month.next()
        return month


@dataclass(frozen=True)
class Cohorts:
    cohorts: tuple[Cohort, ...]
    current: Month

    @property
    def longest(self) -> int:
        return max((len(c.cumulative) for c in self.cohorts), default=0)

    @property
    def offsets(self) -> range:
        """Months since deal 1: 0 (the month of deal 1), 1, … up to the oldest cohort's now."""
        return range(self.longest)


def cohorts(viewer, filters: Filters, *, today: date) -> Cohorts:
    """Clients grouped by the month their deal 1 was won (the range chooses the cohorts); for
    each, its collected gross profit month by month up to today against what was paid to
    acquire it so far — its hunters' profit shares on its deals, in any month, and their KPI
    bonuses for new clients of its month — and the month it paid back. Stored pay lines for the
    months calculated, the engine's for the others.

    Read from the monthly roll-up (:mod:`salesrelay.analytics.rollup`), which keeps each
    month's collected profit and acquirer's shares per client, a row for each client in the
    month of its deal 1 and a fresh month's new-clients bonuses: the months' sources and the
    revision (four queries), which months the roll-up holds (one), the viewer's clients' rows
    summed per cohort, month and acquirer in the database (one: the cohorts' clients are their
    rows in the month of their deal 1), the acquirers' ids (one) and, when periods store months
    of the range, their bonus lines (one). The viewer's
    slice and the filters apply to the rows' clients as to the deals before. Months the roll-up
    lacks (the first page after a change of the data) are calculated and stored first, from one
    load of their history. The figures are :func:`calculated_cohorts`' (tested)."""
    current = Month.of(today)
    if filters.last > current:  # no page asks (the form stops at this month): a deal won later
        return calculated_cohorts(viewer, filters, today=today)
    sources = month_sources(filters.first, current, today=today)
    at = rollup.revision()
    held = rollup.cohort_months(sources.months, at=at)
    missing = tuple(m for m in sources.months if m not in held)
    if missing:
        calculate(missing, sources, at=at)
        held = rollup.cohort_months(sources.months, at=at)
        if any(m not in held for m in sources.months):  # the data changed meanwhile
            return calculated_cohorts(viewer, filters, today=today)

    rows = _by_acquirer(ClientMonth.objects.filter(
        revision=at, cohort__gte=filters.first.first, cohort__lte=filters.last.first,
        month__gte=filters.first.first, month__lte=current.first), filters)
    slice_ = viewer.clients().order_by()
    if slice_.query.has_filters():  # a slice of every client (the director's) needs no test
        rows = rows.filter(_among("client_id", slice_))
    clients: dict[Month, int] = defaultdict(int)
    acquirers: dict[Month, set[int]] = defaultdict(set)
    shares: dict[Month, Decimal] = defaultdict(lambda: ZERO)
    bonuses: dict[Month, Decimal] = defaultdict(lambda: ZERO)
    collected: dict[tuple[Month, int], tuple[int, int]] = {}  # the profit's two whole parts
    # One pass over the index: per cohort, month and acquirer, the clients new in the month (a
    # row in the month of their deal 1), their collected profit and their acquirers' shares.
    for cohort_day, day, acquirer, count, cents, rest, paid in rows.values_list(
            "cohort", "month", "acquirer_id").annotate(
            n=Count("client_id", filter=Q(month=F("cohort"))), cents=Sum("profit_cents"),
            rest=Sum("profit_rest"), share=Sum("shares_cents")).order_by():
        cohort = Month.of(cohort_day)
        if count:
            clients[cohort] += count
            if acquirer is not None:
                acquirers[cohort].add(acquirer)
        shares[cohort] += rollup.cents(paid)
        offset = _months_from(cohort, day)
        if offset >= 0:  # as the engine's: what was collected before deal 1 is no return on it
            held_cents, held_rest = collected.get((cohort, offset), (0, 0))
            collected[cohort, offset] = (held_cents + cents, held_rest + rest)
    if not clients:
        return Cohorts((), current)
    refs = dict(Employee.objects.filter(pk__in=set().union(*acquirers.values())).values_list(
        "pk", "ref"))
    hunters = {month: {refs[pk] for pk in pks} for month, pks in acquirers.items()}
    for month in clients:
        if sources.is_fresh(month):
            found = rollup.cohort_bonuses(held[month])
            bonuses[month] += sum((found.get(ref, ZERO) for ref in sorted(hunters.get(month, ()))),
                                  ZERO)
    if sources.stored:
        _stored_bonuses(sources, hunters, bonuses)

    result = []
    for month in sorted(clients):
        running, cumulative = Decimal(0), []
        for offset in range(_month_index(current) - _month_index(month) + 1):
            if (month, offset) in collected:
                running += rollup.joined_profit(*collected[month, offset])
            cumulative.append(round_money(running))
        result.append(Cohort(month, clients[month], shares[month], bonuses[month],
                             tuple(cumulative)))
    return Cohorts(tuple(result), current)


def _stored_bonuses(sources, hunters: dict[Month, set[str]], bonuses: dict[Month, Decimal]
                    ) -> None:
    """Add the stored months' new-clients ``kpi_bonus`` lines of the cohorts' hunters (an
    adjustment counts for the month it adjusts). One query."""
    for day, adjusts, employee, facts, amount in PayoutLine.objects.filter(
            period__in=[p.pk for p in sources.stored.values()], kind="kpi_bonus",
            source__in=[LineSource.CALCULATED, LineSource.ADJUSTMENT],
    ).values_list("period__month", "adjusts", "employee__ref", "facts", "amount"):
        facts = facts or {}
        if adjusts is not None:
            day, facts = adjusts, facts.get("inner", {})
        month = Month.of(day)
        if (str(facts.get("metric", "")).startswith(NEW_CLIENTS)
                and employee in hunters.get(month, ())):
            bonuses[month] += amount


def calculated_cohorts(viewer, filters: Filters, *, today: date) -> Cohorts:
    """:func:`cohorts` calculated from the history itself, as the page did before the roll-up
    kept the cohorts' figures: the engine rerun for every fresh month and the collected profit
    replayed over every allocation. The definition the roll-up's figures are tested against, and
    what :func:`cohorts` falls back on when the roll-up could not be stored (the data changed
    while it was calculated).

    Clients grouped by the month their deal 1 was won (the range chooses the cohorts); for
    each, its collected gross profit month by month up to today against what was paid to
    acquire it so far — its hunters' profit shares on its deals, in any month, and their KPI
    bonuses for new clients of its month — and the month it paid back. Stored pay lines for the
    months calculated, the engine for the others."""
    current = Month.of(today)
    firsts = _by_acquirer(Deal.objects.filter(
        _in_range("won_on", filters), _among("client_id", viewer.clients()), number=1), filters)
    rows = list(firsts.values_list("client__ref", "won_on", "client__acquired_by__ref"))
    cohort_of = {ref: Month.of(won_on) for ref, won_on, _h in rows}
    acquirer = {ref: hunter for ref, _w, hunter in rows}
    hunters: dict[Month, set[str]] = defaultdict(set)
    for ref, month in cohort_of.items():
        if acquirer[ref] is not None:
            hunters[month].add(acquirer[ref])
    if not rows:
        return Cohorts((), current)

    sources = month_sources(filters.first, current, today=today)
    with consistent_reads():
        history = load_history(filters.first, current)
    shares: dict[Month, Decimal] = defaultdict(lambda: ZERO)
    bonuses: dict[Month, Decimal] = defaultdict(lambda: ZERO)

    def count(month_of_line: Month, kind: str, employee: str, client: str | None,
              facts: dict, amount: Decimal) -> None:
        if kind == "deal_profit_share":
            if client in cohort_of and employee == acquirer[client]:
                shares[cohort_of[client]] += amount
        elif (str(facts.get("metric", "")).startswith(NEW_CLIENTS)
              and employee in hunters.get(month_of_line, ())):
            bonuses[month_of_line] += amount

    for day, adjusts, kind, employee, client, facts, amount in PayoutLine.objects.filter(
            period__in=[p.pk for p in sources.stored.values()],
            kind__in=["deal_profit_share", "kpi_bonus"],
            source__in=[LineSource.CALCULATED, LineSource.ADJUSTMENT],
    ).values_list("period__month", "adjusts", "kind", "employee__ref", "client__ref", "facts",
                  "amount"):
        facts = facts or {}
        if adjusts is not None:
            day, facts = adjusts, facts.get("inner", {})
        count(Month.of(day), kind, employee, client, facts, amount)
    for month, payroll in fresh_payrolls(sources, history=history).items():
        for line in payroll.lines:
            if line.kind in ("deal_profit_share", "kpi_bonus"):
                count(month, line.kind, line.employee_id, line.client_id, dict(line.facts),
                      line.amount)

    profit: dict[Month, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    parts = counted_parts(history.allocations, dict(history.deals), dict(history.allocated_before))
    with localcontext() as exact:
        exact.prec = 40
        for allocation, part in zip(history.allocations, parts, strict=True):
            deal = history.deals[allocation.deal_id]
            cohort = cohort_of.get(deal.client_id)
            if cohort is not None:
                offset = _months_from(cohort, allocation.effective_on)
                profit[cohort][offset] += collected_profit(deal, part)
    result = []
    clients: dict[Month, int] = defaultdict(int)
    for month in cohort_of.values():
        clients[month] += 1
    for month in sorted(clients):
        running, cumulative = Decimal(0), []
        for offset in range(_month_index(current) - _month_index(month) + 1):
            running += profit[month].get(offset, Decimal(0))
            cumulative.append(round_money(running))
        result.append(Cohort(month, clients[month], shares[month], bonuses[month],
                             tuple(cumulative)))
    return Cohorts(tuple(result), current)


# The director's dashboard ---------------------------------------------------------------------
@dataclass(frozen=True)
class CollectionsToDate:
    this_month: Decimal
    last_month_to_date: Decimal
    last_month: Decimal


@dataclass(frozen=True)
class Dashboard:
    month: Month
    new_clients: NewClientsMonth | None
    breakeven: BreakevenMonth | None
    """This month as it stands."""
    new_clients_last: NewClientsMonth | None
    breakeven_last: BreakevenMonth | None
    """Last month: early in a month, this month says little yet."""
    collections: CollectionsToDate | None
    conversion: tuple[MaterialLift, ...] | None
    """Any material against none, and the materials shown most, where both sides had meetings."""
    conversion_filters: Filters | None


DASHBOARD_MATERIALS = 3


def dashboard(viewer, *, today: date) -> Dashboard:
    """This month's figures for the home page, each only when the viewer may read its page:
    new clients against the target and the month's break-even as it stands (with last month's
    beside them), collections so far against last month to the same day, conversion with
    materials over the default range."""
    month = Month.of(today)
    both = Filters(month.previous(), month)
    new = new_last = breakeven_now = breakeven_last = money = lift = None
    if viewer.may("analytics:new_clients"):
        new_last, new = new_clients(viewer, both).months
    if viewer.may("analytics:breakeven"):
        breakeven_last, breakeven_now = breakeven(both, today=today).months
    if viewer.may("analytics:collections"):
        money = _collections_to_date(viewer, today)
    default = Filters.default(today)
    if viewer.may("analytics:conversion"):
        found = conversion(viewer, default)
        shown = sorted((m for m in found.materials if m.compared),
                       key=lambda m: (-m.with_.trials, m.title))[:DASHBOARD_MATERIALS]
        lift = tuple([found.any_material] if found.any_material.compared else []) + tuple(shown)
    return Dashboard(month, new, breakeven_now, new_last, breakeven_last, money, lift, default)


def _collections_to_date(viewer, today: date) -> CollectionsToDate:
    month = Month.of(today)
    last = month.previous()
    same_day = last.first.replace(day=min(today.day, last.days))
    totals = Allocation.objects.filter(
        _among("deal__client_id", _money_clients(viewer)),
        effective_on__gte=last.first, effective_on__lte=today).aggregate(
        this=Sum("amount", filter=Q(effective_on__gte=month.first)),
        to_date=Sum("amount", filter=Q(effective_on__lte=same_day)),
        last=Sum("amount", filter=Q(effective_on__lte=last.last)))
    return CollectionsToDate(totals["this"] or ZERO, totals["to_date"] or ZERO,
                             totals["last"] or ZERO)
