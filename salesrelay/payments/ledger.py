"""A client's ledger loaded from the database, and its allocations stored back.

The rules are in ``salesrelay.engine.allocation``; this module only moves state in and out, so a
payment typed in a form and a payment read from a file are applied by the same code.

The credit is not stored as such: it is what the allocations leave of the client's money. A
client-level payment (or one naming a deal already cancelled) is credit for what its allocations
made when it was paid and at later wins did not take; each reversal of a cancellation is credit
for what the re-allocations of that released money did not take; refunds of credit took the
oldest credit first. Credit is used oldest first: by the day it became credit, a payment's
leftover before the money released by a cancellation of that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import date
from decimal import Decimal

from django.db.models import F, Min, Q, Sum

from salesrelay.clients.models import Client
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.allocation import Allocated, ClientLedger
from salesrelay.engine.money import ZERO
from salesrelay.engine.ordinals import id_key_for
from salesrelay.payments import collected
from salesrelay.payments.models import Allocation, Payment

CLIENT_MONEY = Q(deal__isnull=True) | Q(deal__status=DealStatus.CANCELLED)
"""Payments that are the client's money rather than a deal's: naming the client, or a deal that
has been cancelled (whatever they put on it was released)."""


def load_ledger(client: Client) -> ClientLedger:
    """Six queries: the won deals, what each payment put on them, the client's own payments with
    what they applied, the released money with what it applied, the payments waiting for a win."""
    ledger = ClientLedger()
    held: dict[int, list[tuple[Hashable, Decimal]]] = defaultdict(list)
    for deal_id, payment_id, total in (
        Allocation.objects.filter(deal__client=client).values("deal_id", "payment_id")
        .annotate(total=Sum("amount"), first=Min("id")).order_by("deal_id", "first")
        .values_list("deal_id", "payment_id", "total")
    ):
        held[deal_id].append((payment_id, total))
    deals = (Deal.objects.filter(client=client, status__in=[DealStatus.WON, DealStatus.CANCELLED])
             .values_list("pk", "ref", "won_on", "amount", "status"))
    for pk, ref, won_on, amount, status in deals:
        assert won_on is not None  # the deal_won_has_date_and_number and deal_cancelled_was_won checks
        parts = held.get(pk, [])
        ledger.add_deal(pk, won_on=won_on, amount=amount, allocated=sum((t for _p, t in parts), ZERO),
                        cancelled=status == DealStatus.CANCELLED, sort_id=ref, held=parts)

    parts_of_credit: list[tuple[tuple[date, int, object], int, date, Decimal, int | None]] = []
    refunded = ZERO
    own = list(
        Payment.objects.filter(CLIENT_MONEY, client=client)
        .annotate(applied=Sum("allocations__amount",
                              filter=Q(allocations__released_from__isnull=True)))
        .values_list("pk", "ref", "received_on", "amount", "applied")
    )
    payment_key = id_key_for(ref for _pk, ref, *_rest in own)
    for pk, ref, received_on, amount, applied in own:
        left = amount - (applied or ZERO)
        if left > 0:
            parts_of_credit.append(((received_on, 0, payment_key(ref)), pk, received_on, left, None))
        elif left < 0:
            refunded -= left
    moved_on = _moved_on(client)
    for pk, payment_id, deal_id, amount, closed_on in (
        Allocation.objects.filter(released_from__client=client, deal=F("released_from"))
        .values_list("pk", "payment_id", "deal_id", "amount", "deal__closed_on")
    ):
        left = -amount - moved_on.get((payment_id, deal_id), ZERO)
        if left > 0:
            assert closed_on is not None  # cancel_deal sets the day the money was released
            parts_of_credit.append(((closed_on, 1, pk), payment_id, closed_on, left, deal_id))
    parts_of_credit.sort(key=lambda part: part[0])
    for _key, payment_id, since, left, released_from in parts_of_credit:
        ledger.add_credit(payment_id, received_on=since, remaining=left,
                          released_from=released_from)
    ledger.add_refunded(refunded)

    waiting = (
        Payment.objects.filter(client=client, deal__isnull=False, allocations__isnull=True)
        .exclude(deal__status__in=[DealStatus.WON, DealStatus.CANCELLED])
        .order_by("received_on", "pk")
        .values_list("pk", "deal_id", "received_on", "amount")
    )
    for pk, deal_id, received_on, amount in waiting:
        ledger.add_pending(pk, deal=deal_id, received_on=received_on, amount=amount)
    return ledger


def _moved_on(client: Client) -> dict[tuple[int, int], Decimal]:
    """What the money each cancellation released has been re-allocated, by (payment, deal)."""
    rows = (Allocation.objects.filter(released_from__client=client)
            .exclude(deal=F("released_from"))
            .values("payment_id", "released_from_id").annotate(total=Sum("amount"))
            .values_list("payment_id", "released_from_id", "total"))
    return {(payment, deal): total for payment, deal, total in rows}


def store_allocations(allocated: Iterable[Allocated]) -> list[Allocation]:
    """The allocations stored, and added to the deals' ``received`` and to the collections by
    owner (:mod:`salesrelay.payments.collected`)."""
    stored = Allocation.objects.bulk_create(
        Allocation(payment_id=row_id(a.payment), deal_id=row_id(a.deal), amount=a.amount,
                   effective_on=a.effective_on,
                   released_from_id=None if a.released_from is None else row_id(a.released_from))
        for a in allocated
    )
    collected.record_allocations(stored)
    return stored


def row_id(key: Hashable) -> int:
    """A key of a ledger that :func:`load_ledger` built: the primary key of a deal or payment."""
    if not isinstance(key, int):
        raise TypeError(f"a ledger loaded from the database has primary keys, not {key!r}")
    return key
