"""Reads of money owed and received, for a page of clients or one client, in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum

from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.money import ZERO
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
    """Client-level money not yet applied to any deal. Two queries."""
    ids = list(client_ids)
    received = dict(Payment.objects.filter(client_id__in=ids, deal__isnull=True)
                    .values("client_id").annotate(t=Sum("amount")).values_list("client_id", "t"))
    applied = dict(Allocation.objects.filter(payment__client_id__in=ids, payment__deal__isnull=True)
                   .values("payment__client_id").annotate(t=Sum("amount"))
                   .values_list("payment__client_id", "t"))
    return {c: received.get(c, ZERO) - applied.get(c, ZERO) for c in ids}
