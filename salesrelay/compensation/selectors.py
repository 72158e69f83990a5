"""Everything the engine needs for a range of months, in a fixed number of queries.

``load_history(first, last)`` issues ten queries whatever the size of the history (pinned in
``tests/test_payroll.py``): employees; allocations effective in the range with their payments;
the deals those allocations, the range's wins and the range's cancellations refer to; what those
deals had received before the range; their clients and the clients met in the range; the
clients' ownership spans overlapping the range; fixed costs; targets; meetings held; and the wins
that followed those meetings. Ids given to the engine are the interchange ids (``ref``).
"""

from __future__ import annotations

from collections import defaultdict
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


def load_history(first: Month, last: Month) -> inputs.History:
    start, end = first.first, last.last
    employees = tuple(
        inputs.Employee(ref, name, department, role, hired, left, weight, market)
        for ref, name, department, role, hired, left, weight, market in Employee.objects.values_list(
            "ref", "name", "department", "role", "hired_on", "left_on", "pool_weight",
            "market_salary")
    )
    in_range = Allocation.objects.filter(effective_on__gte=start, effective_on__lte=end)
    rows = list(in_range.values_list(
        "payment__ref", "deal__ref", "amount", "effective_on", "payment__received_on"))
    payment_key = id_key_for(row[0] for row in rows)
    rows.sort(key=lambda r: (r[3], r[4], payment_key(r[0])))
    allocations = tuple(inputs.Allocation(*row) for row in rows)

    deal_ids = in_range.values("deal_id")
    won = Q(won_on__gte=start, won_on__lte=end)
    cancelled = Q(status=DealStatus.CANCELLED, closed_on__gte=start, closed_on__lte=end)
    wanted = Deal.objects.filter(number__isnull=False).filter(Q(id__in=deal_ids) | won | cancelled)
    deals: dict[str, inputs.Deal] = {}
    for (ref, client, owner, number, won_on, amount, goods, direct, status,
         closed) in wanted.values_list(
            "ref", "client__ref", "owner__ref", "number", "won_on", "amount", "goods_cost",
            "direct_cost", "status", "closed_on"):
        deals[ref] = inputs.Deal(ref, client, owner, number, won_on, amount,
                                 amount - goods - direct,
                                 closed if status == DealStatus.CANCELLED else None)
    before = dict(Allocation.objects.filter(
            deal_id__in=deal_ids, effective_on__lt=start
        ).values_list("deal__ref").annotate(total=Sum("amount")).values_list("deal__ref", "total"))

    met = Activity.objects.filter(kind=ActivityKind.MEETING, outcome=Outcome.HELD,
                                  done_on__gte=start, done_on__lte=end)
    client_filter = Q(id__in=wanted.values("client_id")) | Q(id__in=met.values("client_id"))
    spans: dict[int, list[inputs.Span]] = defaultdict(list)
    for client_pk, employee, department, began, ended in Ownership.objects.filter(
        Q(client__in=Client.objects.filter(client_filter)), Q(started_on__lte=end),
        Q(ended_on__isnull=True) | Q(ended_on__gt=start),
    ).order_by("client_id", "started_on", "id").values_list(
            "client_id", "employee__ref", "department", "started_on", "ended_on"):
        spans[client_pk].append(inputs.Span(employee, department, began, ended))
    clients = {
        ref: inputs.Client(ref, segment, acquirer, tuple(spans.get(pk, ())))
        for pk, ref, segment, acquirer in Client.objects.filter(client_filter).values_list(
            "id", "ref", "segment", "acquired_by__ref")
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
    meetings = tuple(
        inputs.Meeting(*row) for row in met.order_by("done_on", "id").values_list(
            "ref", "client__ref", "employee__ref", "done_on")
    )
    wins: dict[str, list] = defaultdict(list)
    for client_ref, won_on in Deal.objects.filter(
        status=DealStatus.WON, client_id__in=met.values("client_id"), won_on__gte=start,
        won_on__lte=end + timedelta(days=CONVERSION_WINDOW_DAYS),
    ).values_list("client__ref", "won_on"):
        wins[client_ref].append(won_on)

    return inputs.History(
        first, last, employees, clients, deals, allocations, before, dict(fixed), targets,
        meetings, {ref: tuple(days) for ref, days in wins.items()},
    )
