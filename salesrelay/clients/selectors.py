"""Reads for the client pages; each in a bounded number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Avg, Count, F, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from salesrelay.clients.models import Segment
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.money import ZERO, round_money
from salesrelay.payments.models import Allocation, Payment
from salesrelay.payments.selectors import (
    credit_by_client,
    receivable_by_client,
    releases_of,
)
from salesrelay.pipeline.models import Activity


def with_orders_receivable_and_next_activity(clients, *, today: date | None = None):
    """Completes one page of the portfolio (or one chunk of its CSV): each client's last order,
    won deals, average order value, receivable and next planned activity, in four queries
    whatever the page size (the figures of the page's clients only, never of the department)."""
    today = today or date.today()
    clients = list(clients)
    ids = [c.pk for c in clients]
    orders = {row["client_id"]: row for row in Deal.objects.filter(
        client_id__in=ids, status=DealStatus.WON).values("client_id").annotate(
        last=Max("won_on"), average=Avg("amount"), won=Count("id"))}
    owed = receivable_by_client(ids)
    upcoming = dict(
        Activity.objects.filter(client_id__in=ids, done_on__isnull=True, planned_on__gte=today)
        .values("client_id").annotate(first=Min("planned_on")).values_list("client_id", "first")
    )
    for client in clients:
        found: Mapping[str, Any] = orders.get(client.pk, {})
        client.last_order = found.get("last")
        client.won_deals = found.get("won", 0)
        average = found.get("average")
        client.average_order = round_money(Decimal(str(average))) if average is not None else None
        client.receivable = owed.get(client.pk, ZERO)
        client.next_activity = upcoming.get(client.pk)
    return clients


def client_card(client):
    """Everything the client card shows."""
    deals = list(Deal.objects.filter(client=client).select_related("owner", "stage")
                 .annotate(paid=models.Sum("allocations__amount"))
                 .order_by("number", "-created_on", "-id"))
    payments = list(
        Payment.objects.filter(client=client).select_related("deal").order_by("-received_on", "-id")
        .prefetch_related(models.Prefetch(
            "allocations", Allocation.objects.select_related("deal"), to_attr="parts"))
    )
    return {
        "releases": releases_of(client),
        "deals": deals,
        "payments": payments,
        "receivable": receivable_by_client([client.pk]).get(client.pk),
        "credit": credit_by_client([client.pk])[client.pk],
        "activities": list(client.activities.select_related("employee")
                           .prefetch_related("materials").order_by("-done_on", "-planned_on", "-id")),
        "contacts": list(client.contacts.all()),
        "ownerships": list(client.ownerships.select_related("employee").order_by("started_on", "id")),
    }


def segment_choices() -> list[tuple[str, str]]:
    """The segments in force, ``(code, name)`` in the page's language, in the order added: for
    the prospect form, the filters and the API."""
    return [(s.code, s.name) for s in Segment.objects.all()]


def segment_codes() -> list[str]:
    return list(Segment.objects.values_list("code", flat=True))


def with_segment_names(clients: QuerySet) -> QuerySet:
    """``clients`` with ``segment_name`` (in the page's language) read in the same query."""
    column = "name_ru" if (get_language() or "").startswith("ru") else "name_en"
    name = Segment.objects.filter(code=OuterRef("segment")).values(column)[:1]
    return clients.annotate(segment_name=Coalesce(Subquery(name), F("segment")))
