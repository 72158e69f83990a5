"""Reads of money owed and received, for a page of clients or one client, in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from salesrelay.clients.models import Client
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.money import ZERO, round_money
from salesrelay.payments.ledger import CLIENT_MONEY, load_ledger, row_id
from salesrelay.payments.models import Allocation, Payment


def paid_by_deal(deal_ids: Iterable[int]) -> dict[int, Decimal]:
    rows = (Allocation.objects.filter(deal_id__in=list(deal_ids)).values("deal_id")
            .annotate(total=Sum("amount")).values_list("deal_id", "total"))
    return dict(rows)


def receivable_by_client(client_ids: Iterable[int]) -> dict[int, Decimal]:
    """What each client still owes on its won deals (an overpaid deal owes nothing). Two queries."""
    deals = list(Deal.objects.filter(client_id__in=list(client_ids), status=DealStatus.WON)
                 .values_list("pk", "client_id", "amount"))
    paid = paid_by_deal(pk for pk, _c, _a in deals)
    owed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, client_id, amount in deals:
        owed[client_id] += max(ZERO, amount - paid.get(pk, ZERO))
    return owed


def credit_by_client(client_ids: Iterable[int]) -> dict[int, Decimal]:
    """The client's money not allocated to any deal: what its client-level payments (and payments
    naming a cancelled deal) did not put on a deal, with what cancellations released and no deal
    has taken since, less the refunds of credit. Two queries."""
    ids = list(client_ids)
    received = dict(Payment.objects.filter(CLIENT_MONEY, client_id__in=ids)
                    .values("client_id").annotate(t=Sum("amount")).values_list("client_id", "t"))
    applied = dict(Allocation.objects.filter(
        Q(payment__deal__isnull=True) | Q(payment__deal__status=DealStatus.CANCELLED),
        payment__client_id__in=ids,
    ).values("payment__client_id").annotate(t=Sum("amount")).values_list("payment__client_id", "t"))
    return {c: round_money(received.get(c, ZERO) - applied.get(c, ZERO)) for c in ids}


@dataclass(frozen=True)
class Release:
    """What the cancellation of ``deal`` released on ``on`` and where it went: the reversals of
    what each payment had put on it, the re-allocations to other deals (at once or at later
    wins), and what of it is still the client's ``credit``; the rest was refunded."""

    deal: Deal
    on: date
    reversals: list[Allocation] = field(default_factory=list)
    reallocations: list[Allocation] = field(default_factory=list)
    credit: Decimal = ZERO

    @property
    def released(self) -> Decimal:
        return -sum((a.amount for a in self.reversals), ZERO)

    @property
    def reallocated(self) -> Decimal:
        return sum((a.amount for a in self.reallocations), ZERO)

    @property
    def refunded(self) -> Decimal:
        return self.released - self.reallocated - self.credit


@dataclass(frozen=True)
class DealCredit:
    """For a deal's page: the client's credit, what the deal's cancellation released (if it was
    cancelled holding money) and the released money of other deals it took."""

    client_credit: Decimal
    release: Release | None
    received: list[Allocation]


def releases_of(client: Client) -> list[Release]:
    """Every cancellation of the client that released money, oldest first: one query, and the
    client's ledger (six more) only when there is one."""
    rows = list(Allocation.objects.filter(released_from__client=client)
                .select_related("payment", "deal", "released_from").order_by("id"))
    if not rows:
        return []
    still: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for part in load_ledger(client).credit_parts():
        if part.released_from is not None:
            still[row_id(part.released_from)] += part.remaining
    found: dict[int, Release] = {}
    for allocation in rows:
        source = allocation.released_from
        # Rows of released money only (the filter above); cancel_deal dates each release.
        assert source is not None and source.closed_on is not None
        release = found.get(source.pk)
        if release is None:
            release = found[source.pk] = Release(source, source.closed_on, credit=still[source.pk])
        if allocation.deal_id == source.pk:
            release.reversals.append(allocation)
        else:
            release.reallocations.append(allocation)
    return sorted(found.values(), key=lambda r: (r.on, r.deal.pk))


def deal_credit(deal: Deal) -> DealCredit:
    releases = releases_of(deal.client)
    mine = next((r for r in releases if r.deal.pk == deal.pk), None)
    received = [a for r in releases for a in r.reallocations if a.deal_id == deal.pk]
    return DealCredit(credit_by_client([deal.client_id])[deal.client_id], mine,
                      sorted(received, key=lambda a: (a.effective_on, a.pk)))


def payment_warnings(payment) -> list[str]:
    """What to tell the person who just recorded ``payment``: a date in the future, or in a
    month whose pay is locked (it will be paid as an adjustment of the next open month)."""
    from salesrelay.compensation.choices import PeriodStatus  # pay sits above payments
    from salesrelay.compensation.models import Period

    warnings = []
    if payment.received_on > date.today():
        warnings.append(_("Payment %(ref)s is dated %(day)s, in the future: check the date.") % {
            "ref": payment.ref, "day": payment.received_on.isoformat()})
    effective = sorted({a.effective_on.replace(day=1) for a in payment.allocations.all()})
    locked = Period.objects.filter(month__in=effective, status=PeriodStatus.LOCKED).values_list(
        "month", flat=True)
    for month in locked:
        warnings.append(_("Pay for %(month)s is locked: what this payment changes there is paid "
                          "as an adjustment in the next open month.") % {"month": f"{month:%Y-%m}"})
    return warnings
