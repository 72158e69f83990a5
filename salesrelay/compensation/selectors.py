"""Everything the engine needs for a range of months, in a fixed number of queries.

``load_history(first, last)`` issues eleven queries for a month of a history of any size (pinned
in ``compensation/tests/test_payroll.py``; a range whose deals belong to more than 30 000 clients
adds two queries for each 30 000 more; a range where no meeting was held has no wins to read):
employees; allocations effective in the range with their payments; the deals those allocations
name; the deals won or cancelled in the range; what the paid deals had received before the
range; the meetings held; the ownership spans of all those clients overlapping the range; the
clients; fixed costs; targets; and the wins that followed the meetings. Ids given to the engine
are the interchange ids (``ref``).

Each query reads only the columns the engine uses, as tuples (no model instances), in no
particular order (the engine's order is made here, in Python, or by the engine itself), through
an index: allocations by ``effective_on``, deals by primary key, by ``won_on`` and by
``(status, closed_on)``, spans and clients by client id, wins by client id (a month of the
1M-deal history of ``bench/payroll.py``: 20 825 allocations, 28 901 deals, 13 632 clients).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine import inputs
from salesrelay.engine.money import ZERO
from salesrelay.engine.ordinals import id_key_for
from salesrelay.engine.periods import Month
from salesrelay.finance.models import FixedCost, Target
from salesrelay.payments.models import Allocation
from salesrelay.people.models import Employee
from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.pipeline.models import Activity

CONVERSION_WINDOW_DAYS = 366
"""How far after a meeting wins are loaded: the longest ``within_days`` a KPI can use."""


@dataclass(frozen=True)
class Keys:
    """The primary keys of the clients, deals and payments a history names, by interchange id:
    what storing the month's lines needs, read with the history rather than looked up again."""

    clients: dict[str, int]
    deals: dict[str, int]
    payments: dict[str, int]


def load_history(first: Month, last: Month) -> inputs.History:
    return load_history_with_keys(first, last)[0]


def load_history_with_keys(first: Month, last: Month) -> tuple[inputs.History, Keys]:
    start, end = first.first, last.last
    employees = tuple(
        inputs.Employee(ref, name, department, role, hired, left, weight, market)
        for ref, name, department, role, hired, left, weight, market in Employee.objects.values_list(
            "ref", "name", "department", "role", "hired_on", "left_on", "pool_weight",
            "market_salary")
    )
    in_range = Allocation.objects.filter(effective_on__gte=start, effective_on__lte=end).order_by()
    rows = list(in_range.values_list(
        "payment__ref", "deal__ref", "amount", "effective_on", "payment__received_on",
        "released_from__ref", "released_from__closed_on", "id", "payment_id"))
    payment_key = id_key_for(row[0] for row in rows)

    def counting_order(row: tuple) -> tuple:
        # The rows come in no order: the allocation's id settles every tie, on any database.
        # What a cancellation moved on its day comes after that day's payments, as it was made.
        if row[6] is not None and row[6] == row[3]:
            return (row[3], 1, row[7])
        return (row[3], 0, row[4], payment_key(row[0]), row[7])

    rows.sort(key=counting_order)
    allocations = tuple(inputs.Allocation(*row[:6]) for row in rows)

    # The deals the allocations name, and the other deals won or cancelled in the range: two
    # queries, the second an OR of two indexed ranges (``won_on``; ``status, closed_on``).
    won = Q(won_on__gte=start, won_on__lte=end)
    cancelled = Q(status=DealStatus.CANCELLED, closed_on__gte=start, closed_on__lte=end)
    deals_of = Deal.objects.order_by()
    paid_deals = deals_of.filter(id__in=in_range.values("deal_id"))
    closed_deals = deals_of.filter(number__isnull=False).filter(won | cancelled).exclude(
        id__in=in_range.values("deal_id"))
    fields = ("id", "ref", "client_id", "client__ref", "owner__ref", "number", "won_on", "amount",
              "goods_cost", "direct_cost", "status", "closed_on")
    deal_rows = {row[0]: row for row in paid_deals.values_list(*fields)}
    deal_rows.update((row[0], row) for row in closed_deals.values_list(*fields))
    deals: dict[str, inputs.Deal] = {}
    client_pks = set()
    for (_pk, ref, client_pk, client, owner, number, won_on, amount, goods, direct, status,
         closed) in deal_rows.values():
        client_pks.add(client_pk)
        deals[ref] = inputs.Deal(ref, client, owner, number, won_on, amount,
                                 amount - goods - direct,
                                 closed if status == DealStatus.CANCELLED else None)
    refs = {pk: row[1] for pk, row in deal_rows.items()}
    before = {refs[deal_pk]: total for deal_pk, total in Allocation.objects.filter(
        deal_id__in=in_range.values("deal_id"), effective_on__lt=start
    ).order_by().values_list("deal_id").annotate(total=Sum("amount")).values_list(
        "deal_id", "total")}

    met = Activity.objects.filter(kind=ActivityKind.MEETING, outcome=Outcome.HELD,
                                  done_on__gte=start, done_on__lte=end)
    meeting_rows = list(met.order_by("done_on", "id").values_list(
        "ref", "client__ref", "employee__ref", "done_on", "client_id"))
    client_pks.update(row[4] for row in meeting_rows)
    spans: dict[int, list[inputs.Span]] = defaultdict(list)
    for client_pk, employee, department, began, ended in _by_ids(
        Ownership.objects.filter(Q(started_on__lte=end),
                                 Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .order_by("client_id", "started_on", "id"),
        client_pks, ("client_id", "employee__ref", "department", "started_on", "ended_on"),
        column="client_id",
    ):
        spans[client_pk].append(inputs.Span(employee, department, began, ended))
    client_rows = _by_ids(Client.objects.order_by(), client_pks,
                          ("id", "ref", "segment", "acquired_by__ref"))
    clients = {
        ref: inputs.Client(ref, segment, acquirer, tuple(spans.get(pk, ())))
        for pk, ref, segment, acquirer in client_rows
    }

    fixed: dict[Month, Decimal] = defaultdict(lambda: ZERO)
    for month, amount in FixedCost.objects.filter(month__gte=start, month__lte=end).values_list(
            "month", "amount"):
        fixed[Month.of(month)] += amount
    targets = {
        (Month.of(month), metric): value
        for month, metric, value in Target.objects.filter(
            month__gte=start, month__lte=end).values_list("month", "metric", "value")
    }
    meetings = tuple(inputs.Meeting(ref, client, employee, held_on)
                     for ref, client, employee, held_on, _pk in meeting_rows
                     if held_on is not None)  # always: done_on__gte above
    wins: dict[str, list] = defaultdict(list)
    # By the clients met (an indexed lookup each), not by the wins of the window (a year of them).
    for client_ref, won_on in _by_ids(
        Deal.objects.filter(status=DealStatus.WON, won_on__gte=start,
                            won_on__lte=end + timedelta(days=CONVERSION_WINDOW_DAYS))
        .order_by("won_on", "id"),
        {row[4] for row in meeting_rows}, ("client__ref", "won_on"), column="client_id",
    ):
        wins[client_ref].append(won_on)

    history = inputs.History(
        first, last, employees, clients, deals, allocations, before, dict(fixed), targets,
        meetings, {ref: tuple(days) for ref, days in wins.items()},
    )
    keys = Keys({row[1]: row[0] for row in client_rows}, {ref: pk for pk, ref in refs.items()},
                {row[0]: row[8] for row in rows})
    return history, keys


CHUNK = 30000
"""Clients a query takes by id at once (SQLite allows 32 766 parameters)."""


def _by_ids(queryset, ids, fields, *, column: str = "id") -> list:
    wanted = sorted(ids)
    result: list = []
    for at in range(0, len(wanted), CHUNK):
        result.extend(queryset.filter(**{f"{column}__in": wanted[at:at + CHUNK]})
                      .values_list(*fields))
    return result
