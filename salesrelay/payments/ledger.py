"""A client's ledger loaded from the database, and its allocations stored back.

The rules are in ``salesrelay.engine.allocation``; this module only moves state in and out, so a
payment typed in a form and a payment read from a file are applied by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from salesrelay.clients.models import Client
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.allocation import Allocated, ClientLedger
from salesrelay.engine.money import ZERO
from salesrelay.payments.models import Allocation, Payment


def load_ledger(client: Client) -> ClientLedger:
    """Two queries: the won deals with what they have received, the client-level credit."""
    ledger = ClientLedger()
    deals = (
        Deal.objects.filter(client=client, status__in=[DealStatus.WON, DealStatus.CANCELLED])
        .annotate(paid=Sum("allocations__amount"))
        .values_list("pk", "ref", "won_on", "amount", "paid", "status")
    )
    for pk, ref, won_on, amount, paid, status in deals:
        ledger.add_deal(pk, won_on=won_on, amount=amount, allocated=paid or ZERO,
                        cancelled=status == DealStatus.CANCELLED, sort_id=ref)
    credits = (
        Payment.objects.filter(client=client, deal__isnull=True)
        .annotate(applied=Sum("allocations__amount"))
        .order_by("received_on", "pk")
        .values_list("pk", "received_on", "amount", "applied")
    )
    for pk, received_on, amount, applied in credits:
        ledger.add_credit(pk, received_on=received_on, remaining=amount - (applied or ZERO))
    waiting = (
        Payment.objects.filter(client=client, deal__isnull=False, allocations__isnull=True)
        .exclude(deal__status__in=[DealStatus.WON, DealStatus.CANCELLED])
        .order_by("received_on", "pk")
        .values_list("pk", "deal_id", "received_on", "amount")
    )
    for pk, deal_id, received_on, amount in waiting:
        ledger.add_pending(pk, deal=deal_id, received_on=received_on, amount=amount)
    return ledger


def store_allocations(allocated: Iterable[Allocated]) -> list[Allocation]:
    return Allocation.objects.bulk_create(
        Allocation(payment_id=a.payment, deal_id=a.deal, amount=a.amount,
                   effective_on=a.effective_on)
        for a in allocated
    )

