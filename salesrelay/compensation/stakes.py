"""What open deals are worth to their people this month, under the plan in force.

``stakes_of(deals)`` loads the month's history once (``load_history``) and the clients of the
deals with their ownership, then asks the engine (:mod:`salesrelay.engine.stake`) for each deal:
what its owner and its hunter would earn more if it were won and paid in full today. A board of
fifty cards is one month's run plus one run per card.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q

from salesrelay.clients.models import Client, Ownership
from salesrelay.compensation.plans import current_version, plans_of
from salesrelay.compensation.selectors import load_history
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine import inputs
from salesrelay.engine.periods import Month
from salesrelay.engine.stake import OpenDeal, Stake, Stakes
from salesrelay.people.models import Employee


@dataclass(frozen=True)
class Share:
    employee: Employee
    amount: Decimal
    is_owner: bool


@dataclass(frozen=True)
class DealStake:
    """A deal's stake as a page shows it: the number it would take and the shares the viewer
    may see (their own, or those of the people whose pay they see)."""

    number: int
    shares: tuple[Share, ...]

    def share_of(self, employee: Employee | None) -> Decimal | None:
        for share in self.shares:
            if employee is not None and share.employee.pk == employee.pk:
                return share.amount
        return None


def stakes_of(deals, viewer, *, today: date | None = None) -> dict[int, DealStake]:
    """The stakes of the open ones of ``deals`` (model instances), by deal pk; empty without a
    plan in force."""
    today = today or date.today()
    open_deals = [d for d in deals if d.status == DealStatus.OPEN]
    version = current_version()
    if not open_deals or version is None:
        return {}
    month = Month.of(today)
    history = load_history(month, month)
    client_pks = {d.client_id for d in open_deals}
    history = replace(history, clients={**history.clients, **_clients(client_pks, month)})
    numbers = dict(Deal.objects.filter(client_id__in=client_pks, number__isnull=False)
                   .values("client_id").annotate(last=Max("number"))
                   .values_list("client_id", "last"))
    refs = dict(Client.objects.filter(pk__in=client_pks).values_list("pk", "ref"))
    engine = Stakes(history, plans_of(version), today)
    stakes: dict[int, Stake] = {}
    for deal in open_deals:
        stakes[deal.pk] = engine.of(OpenDeal(
            deal.ref, refs[deal.client_id], deal.owner.ref, numbers.get(deal.client_id, 0) + 1,
            deal.amount, deal.profit))
    people = {e.ref: e for e in Employee.objects.filter(
        ref__in={person for stake in stakes.values() for person, _ in stake.shares})}
    visible = set(Employee.objects.restrict(viewer, "read").filter(
        ref__in=people).values_list("pk", flat=True))
    result = {}
    for deal in open_deals:
        stake = stakes[deal.pk]
        shares = tuple(Share(people[person], amount, person == deal.owner.ref)
                       for person, amount in stake.shares
                       if person in people and people[person].pk in visible)
        result[deal.pk] = DealStake(stake.number, shares)
    return result


def _clients(pks: set[int], month: Month) -> dict[str, inputs.Client]:
    """The engine's clients for these pks with their ownership overlapping the month."""
    spans: dict[int, list[inputs.Span]] = defaultdict(list)
    for client_pk, employee, department, began, ended in (
        Ownership.objects.filter(Q(client_id__in=pks), Q(started_on__lte=month.last),
                                 Q(ended_on__isnull=True) | Q(ended_on__gt=month.first))
        .order_by("client_id", "started_on", "id")
        .values_list("client_id", "employee__ref", "department", "started_on", "ended_on")
    ):
        spans[client_pk].append(inputs.Span(employee, department, began, ended))
    return {
        ref: inputs.Client(ref, segment, acquirer, tuple(spans.get(pk, ())))
        for pk, ref, segment, acquirer in Client.objects.filter(pk__in=pks).values_list(
            "id", "ref", "segment", "acquired_by__ref")
    }
