"""Stage 5 of an import: the plan and its replay stored, in one transaction.

The big tables (clients, their ownership, deals, lines, payments, allocations) go in as rows
through ``salesrelay.bulk.insert_rows`` (COPY on PostgreSQL, ``executemany`` on SQLite): no model
instance is built for them. A stored record the files move on is stored by the app's own action
(``update_client_details``, ``record_source_changes``, ``complete_activity``...), with its audit
row. The import's own audit row says what it created, changed and skipped, and the analytics'
stored months are dropped in the same transaction (``salesrelay.analytics.rollup.refresh``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from salesrelay.analytics import rollup
from salesrelay.audit.log import record_event
from salesrelay.bulk import bulk_load, insert_rows
from salesrelay.clients.actions import _move_ownership, add_segment, update_client_details
from salesrelay.clients.choices import OwnershipReason
from salesrelay.clients.models import Client, Ownership
from salesrelay.clients.names import normalize_name
from salesrelay.deals.actions import record_source_changes
from salesrelay.deals.choices import CostCategory
from salesrelay.deals.models import Deal, DealLine, DirectCost, Product
from salesrelay.finance.models import FixedCost, Target
from salesrelay.imports.parse import LineRecord, PaymentRecord
from salesrelay.imports.plan import Plan
from salesrelay.imports.replay import Replayed
from salesrelay.imports.report import ImportReport
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments import collected
from salesrelay.payments.models import Allocation, Payment
from salesrelay.people.actions import update_employee_details
from salesrelay.people.choices import Department
from salesrelay.people.models import Employee
from salesrelay.pipeline.actions import complete_activity
from salesrelay.pipeline.models import Activity

BATCH = 5000
CLIENT_FIELDS = ["ref", "name", "normalized_name", "tax_id", "segment", "source", "created_on",
                 "acquired_by_id", "owner_id", "owning_department", "handed_off_on"]
OWNERSHIP_FIELDS = ["client_id", "employee_id", "department", "started_on", "ended_on", "reason"]
DEAL_FIELDS = ["ref", "client_id", "owner_id", "title", "stage_id", "status", "created_on",
               "won_on", "closed_on", "number", "amount", "goods_cost", "direct_cost", "received"]
LINE_FIELDS = ["deal_id", "product_id", "description", "quantity", "unit_price", "unit_cost"]
PAYMENT_FIELDS = ["ref", "client_id", "deal_id", "received_on", "amount", "reference",
                  "recorded_by_id", "recorded_at"]
ALLOCATION_FIELDS = ["payment_id", "deal_id", "amount", "effective_on", "released_from_id"]


def _default(model: Any, name: str) -> Any:
    return model._meta.get_field(name).get_default()


@transaction.atomic
def write_plan(plan: Plan, replayed: Replayed, report: ImportReport, *, source: str,
               progress: Callable[[str], None]) -> None:
    progress("writing")
    employees = [Employee(ref=e.ref, name=e.name, email=e.email, department=e.department,
                          role=e.role, hired_on=e.hired_on, left_on=e.left_on,
                          pool_weight=e.pool_weight, market_salary=e.market_salary)
                 for e in plan.employees.values()]
    Employee.objects.bulk_create(employees, batch_size=BATCH)
    materials = [SalesMaterial(ref=m.ref, title=m.title, kind=m.kind,
                               published_on=m.published_on) for m in plan.materials.values()]
    SalesMaterial.objects.bulk_create(materials, batch_size=BATCH)
    products = [Product(sku=p.sku, name=p.name, price=p.price, unit_cost=p.unit_cost,
                        line=p.product_line) for p in plan.products.values()]
    Product.objects.bulk_create(products, batch_size=BATCH)
    for employee, changes in plan.employee_updates:
        update_employee_details(employee, changes={c: new for c, (_old, new) in changes.items()},
                                acting_user=None, source=source)
    for code in plan.new_segments:
        add_segment(code=code, name_en=code.replace("_", " ").replace("-", " ").capitalize(),
                    acting_user=None)
    employee_pk = {**{e.ref: e.pk for e in plan.known_employees.values()},
                   **{e.ref: e.pk for e in employees}}
    product_pk = {**{p.sku: p.pk for p in plan.known_products.values()},
                  **{p.sku: p.pk for p in products}}

    client_pk = _write_clients(plan, replayed, employee_pk, source)
    progress(f"wrote {len(plan.clients)} clients")
    # What the replay allocates to each deal: a new deal's ``received`` goes in with its row; the
    # stored deals it adds to (their primary keys) are summed again once the allocations are in.
    received: dict[str, Decimal] = {}
    stored_deals: set[int] = set()
    for a in replayed.allocations:
        if isinstance(a.deal, int):
            stored_deals.add(a.deal)
        else:
            ref = str(a.deal)
            received[ref] = received.get(ref, Decimal(0)) + a.amount
    deal_pk = _write_deals(plan, replayed, client_pk, employee_pk, product_pk, source, received)
    progress(f"wrote {len(plan.deals)} deals")

    now = timezone.now()
    payments = list(plan.payments.values())
    with bulk_load(Payment, len(payments)):
        pks = insert_rows(Payment, PAYMENT_FIELDS, [
            (p.ref, client_pk[_client_of(p)], None if p.deal_ref is None else deal_pk[p.deal_ref],
             p.received_on, p.amount, "", None, now) for p in payments])
    payment_pk = {p.ref: pk for p, pk in zip(payments, pks, strict=True)}
    progress(f"wrote {len(payments)} payments")

    # A ledger key is a stored row's primary key (an int, in no map) or a new row's id.
    # ``get(key, key)`` gives an int key back as it is: mypy types the default as the map's value
    # (str → int) only (hence the ignores below).
    payment_of, deal_of = payment_pk.get, deal_pk.get
    with bulk_load(Allocation, len(replayed.allocations)):
        insert_rows(Allocation, ALLOCATION_FIELDS, [
            (payment_of(a.payment, a.payment), deal_of(a.deal, a.deal), a.amount, a.effective_on,  # type: ignore[call-overload]
             None if a.released_from is None else deal_of(a.released_from, a.released_from))  # type: ignore[call-overload]
            for a in replayed.allocations])
    collected.refresh_received(stored_deals | {deal_pk[ref] for ref in received
                                               if ref not in plan.deals})
    # The collections by owner: the stored allocations were stated again by the moves of
    # ownership and segment above (``_move_ownership``, ``update_client_details``); the new
    # ones are added from the replay itself.
    client_of_new = {ref: client_pk[d.client_ref] for ref, d in plan.deals.items()}
    stored_pks = sorted({deal_of(a.deal, a.deal) for a in replayed.allocations  # type: ignore[call-overload]
                         if a.deal not in client_of_new})
    client_of_stored: dict[int, int] = {}
    for start in range(0, len(stored_pks), BATCH):
        client_of_stored.update(Deal.objects.filter(pk__in=stored_pks[start:start + BATCH])
                                .values_list("pk", "client_id"))
    collected.record_imported(
        (a.effective_on, client_of_new[a.deal] if a.deal in client_of_new
         else client_of_stored[deal_of(a.deal, a.deal)], a.amount)  # type: ignore[call-overload]
        for a in replayed.allocations)
    _write_activities(plan, client_pk, employee_pk, materials)
    FixedCost.objects.bulk_create([FixedCost(month=r.month, category=r.key, amount=r.value)
                                   for r in plan.fixed_costs], batch_size=BATCH)
    Target.objects.bulk_create([Target(month=r.month, metric=r.key, value=r.value)
                                for r in plan.targets], batch_size=BATCH)
    record_event("import", "import", source, created=report.created, changed=report.changed,
                 skipped=report.skipped)
    rollup.refresh()  # the analytics' monthly roll-up is calculated again from the new data


def _client_of(payment: PaymentRecord) -> str:
    """The client of a planned payment: the plan sets it on each (``Plan.payments``)."""
    if payment.client_ref is None:
        raise ValueError(f"payment {payment.ref!r} was planned without its client")
    return payment.client_ref


def _cost_of(line: LineRecord) -> Decimal:
    """The unit cost of a planned line: the file's, else its product's (set by the plan)."""
    if line.unit_cost is None:
        raise ValueError(f"a line of product {line.sku!r} was planned without its unit cost")
    return line.unit_cost


def _write_clients(plan: Plan, replayed: Replayed, employee_pk: dict[str, int],
                   source: str) -> dict[str, int]:
    """New clients with their ownership (acquisition, then the handoff the replay gave), then
    the stored ones the files move on; each client's primary key by its id."""
    rows = []
    no_source = _default(Client, "source")
    for ref, c in plan.clients.items():
        hunter = employee_pk.get(c.acquired_by) if c.acquired_by else None
        handoff = replayed.handoffs.get(ref)
        if handoff is None:
            owner, department, handed_off_on = hunter, Department.ACQUISITION, None
        else:
            owner = employee_pk[handoff[0]] if handoff[0] else None
            department, handed_off_on = Department.ACCOUNT_MANAGEMENT, handoff[1]
        rows.append((ref, c.name, normalize_name(c.name), c.tax_id, c.segment, no_source,
                     c.created_on, hunter, owner, department, handed_off_on))
    with bulk_load(Client, len(rows)):
        pks = insert_rows(Client, CLIENT_FIELDS, rows)
    client_pk = {**{ref: c.pk for ref, c in plan.known_clients.items()},
                 **{d.client.ref: d.client_id for d in plan.known_deals.values()},
                 **dict(zip(plan.clients, pks, strict=True))}
    for client, changes in plan.client_updates:  # after the segments they may name
        update_client_details(client, changes={c: new for c, (_old, new) in changes.items()},
                              acting_user=None, source=source)
    ownership = []
    for (ref, c), pk in zip(plan.clients.items(), pks, strict=True):
        hunter = employee_pk.get(c.acquired_by) if c.acquired_by else None
        handoff = replayed.handoffs.get(ref)
        ownership.append((pk, hunter, Department.ACQUISITION, c.created_on,
                          handoff[1] if handoff else None, OwnershipReason.IMPORTED))
        if handoff:
            ownership.append((pk, employee_pk[handoff[0]] if handoff[0] else None,
                              Department.ACCOUNT_MANAGEMENT, handoff[1], None,
                              OwnershipReason.HANDOFF))
    with bulk_load(Ownership, len(ownership)):
        insert_rows(Ownership, OWNERSHIP_FIELDS, ownership)
    for ref, (manager, on) in replayed.handoffs.items():
        if ref in plan.clients:
            continue
        client = Client.objects.get(pk=client_pk[ref])
        _move_ownership(client, employee=Employee.objects.get(ref=manager) if manager else None,
                        department=Department.ACCOUNT_MANAGEMENT, on=on,
                        reason=OwnershipReason.HANDOFF)
        Client.objects.filter(pk=client.pk).update(handed_off_on=on)
    return client_pk


def _write_deals(plan: Plan, replayed: Replayed, client_pk: dict[str, int],
                 employee_pk: dict[str, int], product_pk: dict[str, int],
                 source: str, received: dict[str, Decimal]) -> dict[str, int]:
    title, stage = _default(Deal, "title"), _default(Deal, "stage_id")
    numbers = replayed.numbers
    rows = []
    for ref, d in plan.deals.items():
        figures = plan.figures[ref]
        rows.append((ref, client_pk[d.client_ref], employee_pk[d.owner_ref], title, stage,
                     d.status, d.created_on, d.won_on, d.closed_on, numbers.get(ref),
                     figures.amount, figures.goods_cost, figures.direct_cost,
                     received.get(ref, Decimal("0.00"))))
    with bulk_load(Deal, len(rows)):
        pks = insert_rows(Deal, DEAL_FIELDS, rows)
    deal_pk = {**{ref: d.pk for ref, d in plan.known_deals.items()},
               **dict(zip(plan.deals, pks, strict=True))}
    for ref, changes in plan.deal_updates.items():
        deal = plan.known_deals[ref]
        fields: list[str] = [c for c in ("status", "won_on", "closed_on", "number") if c in changes]
        if {"amount", "cost", "direct_cost", "lines"} & set(changes):
            fields += ["amount", "goods_cost", "direct_cost"]
        given = plan.deal_lines.get(ref)
        lines = None if given is None else [
            DealLine(product_id=product_pk[x.sku], quantity=x.quantity, unit_price=x.unit_price,
                     unit_cost=_cost_of(x)) for x in given]
        record_source_changes(deal, changes=changes, fields=fields, lines=lines,
                              direct_cost=plan.deal_direct.get(ref), source=source)
    description = _default(DealLine, "description")
    line_rows = [(deal_pk[ref], product_pk[x.sku], description, x.quantity, x.unit_price,
                  _cost_of(x)) for ref, given in plan.lines.items() for x in given]
    with bulk_load(DealLine, len(line_rows)):
        insert_rows(DealLine, LINE_FIELDS, line_rows)
    insert_rows(DirectCost, ["deal_id", "category", "amount", "note"],
                [(deal_pk[ref], CostCategory.OTHER, f.direct_cost, "imported")
                 for ref, f in plan.figures.items() if f.direct_cost])
    return deal_pk


def _write_activities(plan: Plan, client_pk: dict[str, int], employee_pk: dict[str, int],
                      materials: list[SalesMaterial]) -> None:
    # A date with an outcome is when it happened; without one, when it is planned.
    activities = [Activity(ref=a.ref, client_id=client_pk[a.client_ref],
                           employee_id=employee_pk[a.employee_ref], kind=a.kind,
                           outcome=a.outcome, done_on=a.day if a.outcome else None,
                           planned_on=None if a.outcome else a.day)
                  for a in plan.activities.values()]
    with bulk_load(Activity, len(activities)):  # its indexes built once, its statistics read
        Activity.objects.bulk_create(activities, batch_size=BATCH)
    for activity, outcome, day, refs in plan.activity_updates:
        complete_activity(activity, outcome=outcome, done_on=day, acting_user=None,
                          materials=list(SalesMaterial.objects.filter(ref__in=refs)))
    material_pk = {**{m.ref: m.pk for m in plan.known_materials.values()},
                   **{m.ref: m.pk for m in materials}}
    through = Activity.materials.through
    shown = [through(activity_id=activity.pk, salesmaterial_id=material_pk[m])
             for activity in activities for m in plan.activities[activity.ref].materials]
    with bulk_load(through, len(shown)):
        through.objects.bulk_create(shown, batch_size=BATCH)
