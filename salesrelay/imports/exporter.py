"""``salesrelay export``: the database written back as SPEC §5 files, the format the importer
reads, so that exporting and importing into an empty database loses nothing the format holds.

Money is written with a decimal point and dates as ``YYYY-MM-DD``, UTF-8, comma-delimited; in the
workbook numbers are numeric cells (money as ``#,##0.00``) and dates date cells. A deal with lines
is written with its lines; its ``amount`` and ``cost`` columns repeat their totals (the importer
takes a deal's figures from its lines whenever it has some).

Every cell goes through :mod:`salesrelay.cells`: a name such as ``=HYPERLINK(...)`` is written
``'=HYPERLINK(...)`` in CSV (the reader of ``salesrelay import`` takes that quote away again, so
export → import stays lossless) and as a plain text cell in the workbook.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import Prefetch

from salesrelay.cells import MONEY, Columns
from salesrelay.clients.choices import OwnershipReason
from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.models import Deal, DealLine, Product
from salesrelay.finance.models import FixedCost, Target
from salesrelay.imports.formats import FORMATS
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.models import Payment
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import Activity

MONEY_COLUMNS = {
    "employees": ("market_salary",),
    "products": ("price", "unit_cost"),
    "deals": ("amount", "cost", "direct_cost"),
    "deal_lines": ("unit_price", "unit_cost"),
    "payments": ("amount",),
    "fixed_costs": ("amount",),
}
COLUMNS = {name: Columns(fmt.columns, dict.fromkeys(MONEY_COLUMNS.get(name, ()), MONEY))
           for name, fmt in FORMATS.items()}


def _rows(name: str, clients=None) -> Iterator[list[Any]]:
    """The rows of one file; ``clients`` limits clients and their records to a queryset."""
    if name == "employees":
        for e in Employee.objects.order_by("pk"):
            yield [e.ref, e.name, e.email, e.department, e.role, e.hired_on, e.left_on,
                   e.pool_weight, e.market_salary]
    elif name == "materials":
        for m in SalesMaterial.objects.order_by("pk"):
            yield [m.ref, m.title, m.kind, m.published_on]
    elif name == "products":
        for p in Product.objects.order_by("pk"):
            yield [p.sku, p.name, p.price, p.unit_cost, p.line]
    elif name == "clients":
        # Newest first, so that the dict keeps each client's first handoff.
        first_manager = dict(
            Ownership.objects.filter(reason=OwnershipReason.HANDOFF, employee__isnull=False)
            .order_by("-started_on", "-id").values_list("client_id", "employee__ref")
        )
        for c in _clients(clients).select_related("acquired_by").order_by("pk"):
            yield [c.ref, c.name, c.segment, c.acquired_by.ref if c.acquired_by else None,
                   c.created_on, c.tax_id, first_manager.get(c.pk)]
    elif name == "deals":
        for d in _deals(clients).select_related("client", "owner").order_by("pk"):
            yield [d.ref, d.client.ref, d.owner.ref, d.status, d.created_on, d.won_on,
                   d.closed_on, d.amount, d.cost, d.direct_cost]
    elif name == "deal_lines":
        lines = DealLine.objects.filter(deal__in=_deals(clients)).select_related("deal", "product")
        for line in lines.order_by("deal_id", "pk"):
            if line.product is None:
                continue  # a free-text line has no SKU to write; its deal keeps the totals
            yield [line.deal.ref, line.product.sku, line.quantity, line.unit_price,
                   line.unit_cost]
    elif name == "payments":
        payments = Payment.objects.filter(client__in=_clients(clients))
        for payment in payments.select_related("client", "deal").order_by("pk"):
            yield [payment.ref, payment.received_on, payment.amount,
                   payment.deal.ref if payment.deal else None,
                   None if payment.deal else payment.client.ref]
    elif name == "activities":
        activities = Activity.objects.filter(client__in=_clients(clients)).select_related(
            "client", "employee").prefetch_related(
            Prefetch("materials", queryset=SalesMaterial.objects.order_by("pk")))
        for a in activities.order_by("pk"):
            yield [a.ref, a.client.ref, a.employee.ref, a.kind, a.done_on or a.planned_on,
                   a.outcome, ";".join(m.ref for m in a.materials.all())]
    elif name == "fixed_costs":
        for f in FixedCost.objects.order_by("month", "category"):
            yield [f"{f.month:%Y-%m}", f.category, f.amount]
    elif name == "targets":
        for t in Target.objects.order_by("month", "metric"):
            yield [f"{t.month:%Y-%m}", t.metric, t.value]


def _clients(clients):
    return Client.objects.all() if clients is None else clients


def _deals(clients):
    return Deal.objects.filter(client__in=_clients(clients))


def export_all(path: Path, *, clients=None) -> dict[str, int]:
    """Write every file (a folder of CSV files, or one workbook when ``path`` ends in .xlsx)."""
    counts: dict[str, int] = {}
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for name, columns in COLUMNS.items():
            sheet = book.create_sheet(name)
            columns.append_header(sheet)
            counts[name] = 0
            for row in _rows(name, clients):
                columns.append(sheet, row)
                counts[name] += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
        return counts
    path.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        with open(path / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(columns.csv_header())
            counts[name] = 0
            for row in _rows(name, clients):
                writer.writerow(columns.csv_row(row))
                counts[name] += 1
    return counts
