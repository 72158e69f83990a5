"""``salesrelay import``: a folder or workbook of SPEC §5 files into the database, all or nothing.

The import runs in three passes. *Read* turns every row into typed values and reports every bad
cell. *Plan* checks the rows against each other and against the database, then replays the
history the way it would have been entered by hand (wins in ``won_on`` order, payments in
``received_on`` order, on the same day wins first, cancellations last) with the same rules the app
uses: deal numbers, handoffs, first-in-first-out allocations, and the release of what a cancelled
deal holds to the client's credit and its other deals. *Write* stores the plan in one
transaction. Any problem in the first two passes stops the import before anything is written.

A record whose id is already in the database with the same values is skipped, so importing the
same files twice changes nothing. A later export of the same source **synchronises**: what moved
on is applied as the app's own actions would apply it (an open deal won gets its number, takes
its payments and the client's credit and hands the client off; a won deal cancelled releases
what it holds; new lines, payments and activities are added; a changed name, e-mail, segment or
tax id is updated with one audit row naming the columns), after what is stored. What would
rewrite history is a problem: a payment's amount, date, deal or client; a deal's client, owner,
creation or win date, a status that goes back; a deal's amount or lines once it is won, or once
its payments fall in a locked month. A record the file leaves out is kept (exports may be
partial): nothing is ever deleted by an import.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from salesrelay.audit.log import record_event
from salesrelay.bulk import build, insert, insert_rows
from salesrelay.clients.actions import (
    SEGMENT_CODE,
    _move_ownership,
    add_segment,
    update_client_details,
)
from salesrelay.clients.choices import OwnershipReason
from salesrelay.clients.models import Client, Ownership, Segment
from salesrelay.clients.names import normalize_name
from salesrelay.compensation.choices import PeriodStatus
from salesrelay.compensation.models import Period
from salesrelay.deals.actions import record_source_changes
from salesrelay.deals.choices import CostCategory, DealStatus
from salesrelay.deals.models import Deal, DealLine, DirectCost, Product
from salesrelay.engine.allocation import AllocationError, ClientLedger
from salesrelay.engine.handoff import next_account_manager
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.ordinals import id_key_for, next_number
from salesrelay.finance.models import FixedCost, Target
from salesrelay.imports.formats import FORMATS, parse_date, parse_money, parse_month, parse_number
from salesrelay.imports.reader import Problem, Row, Table, read_source
from salesrelay.materials.choices import MaterialKind
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.ledger import load_ledger
from salesrelay.payments.models import Allocation, Payment
from salesrelay.people.actions import check_role, update_employee_details
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.actions import complete_activity
from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.pipeline.models import Activity

Progress = Callable[[str], None]
BATCH = 5000
CLIENT_FIELDS = ["ref", "name", "normalized_name", "tax_id", "segment", "source", "created_on",
                 "acquired_by_id", "owner_id", "owning_department", "handed_off_on"]
DEAL_FIELDS = ["ref", "client_id", "owner_id", "title", "stage_id", "status", "created_on",
               "won_on", "closed_on", "number", "amount", "goods_cost", "direct_cost"]
PAYMENT_FIELDS = ["ref", "client_id", "deal_id", "received_on", "amount", "reference",
                  "recorded_by_id", "recorded_at"]


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    # Records already stored that the file changes, by file, and how often each column changed.
    changed: dict[str, int] = field(default_factory=dict)
    changed_columns: dict[str, Counter[str]] = field(default_factory=dict)
    # Segment codes the clients name that are not in the table (added with --create-segments).
    new_segments: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line per file: ``deals.csv: 1 new, 2 changed (status 2, won_on 1), 5 unchanged``."""
        lines = []
        for name in sorted(set(self.created) | set(self.skipped) | set(self.changed)):
            columns = self.changed_columns.get(name, Counter())
            detail = f" ({', '.join(f'{c} {n}' for c, n in sorted(columns.items()))})" \
                if columns else ""
            lines.append(f"{name}.csv: {self.created.get(name, 0)} new, "
                         f"{self.changed.get(name, 0)} changed{detail}, "
                         f"{self.skipped.get(name, 0)} unchanged")
        if self.new_segments:
            lines.append(f"new segments: {', '.join(self.new_segments)}")
        return "\n".join(lines) or "nothing to import"


class _Rows:
    """Typed values of one row, collecting a problem per bad cell."""

    def __init__(self, table: Table, problems: list[Problem]) -> None:
        self.table = table
        self.problems = problems

    def __iter__(self):
        for line, values in self.table.rows:
            yield _Cells(self, line, values)


class _Cells:
    def __init__(self, rows: _Rows, line: int, values: Row) -> None:
        self.rows = rows
        self.line = line
        self.values = values
        self.bad = False

    def problem(self, column: str, reason: str) -> None:
        self.rows.problems.append(Problem(self.rows.table.label, self.line, column, reason))
        self.bad = True

    def get(self, column: str, parse: Callable[[str], Any] = str, *, required: bool = False,
            default: Any = None) -> Any:
        text = self.values.get(column)
        if text is None:
            if required:
                self.problem(column, "required value is missing")
            return default
        try:
            return parse(text)
        except ValueError as error:
            self.problem(column, str(error))
            return default


def _choice(values: list[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(f"{text!r} is not one of {', '.join(values)}")
        return text
    return parse


# Parsers of the choice columns, built once rather than once a row.
MATERIAL_KINDS = _choice(MaterialKind.values)
DEAL_STATUSES = _choice(DealStatus.values)
ACTIVITY_KINDS = _choice(ActivityKind.values)
OUTCOMES = _choice(Outcome.values)


def _non_negative(parse: Callable[[str], Decimal]) -> Callable[[str], Decimal]:
    def checked(text: str) -> Decimal:
        value = parse(text)
        if value < 0:
            raise ValueError(f"{text!r} is negative")
        return value
    return checked


_money_nn = _non_negative(parse_money)

# How a stored deal may move on in a later file: as the deal page moves it.
DEAL_MOVES = {(DealStatus.OPEN, DealStatus.WON), (DealStatus.OPEN, DealStatus.LOST),
              (DealStatus.OPEN, DealStatus.CANCELLED), (DealStatus.WON, DealStatus.CANCELLED)}


def _total(lines: list[DealLine], price: str) -> Decimal:
    return sum((round_money(x.quantity * getattr(x, price)) for x in lines), ZERO)


def _line_key(lines: list[DealLine]) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """Lines compared as a multiset of (sku, quantity, unit price, unit cost)."""
    return sorted((x.product.sku, x.quantity, x.unit_price, x.unit_cost) for x in lines)


@dataclass
class _Plan:
    """Everything the write pass stores, keyed by the files' ids."""

    employees: dict[str, Employee] = field(default_factory=dict)
    materials: dict[str, SalesMaterial] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    client_am: dict[str, str] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    lines: dict[str, list[DealLine]] = field(default_factory=lambda: defaultdict(list))
    direct: dict[str, Decimal] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    # (payment, deal, amount, effective_on, released_from): keys of the replay, see ``_replay``.
    allocations: list[tuple[Any, Any, Decimal, date, Any]] = field(default_factory=list)
    ownerships: list[tuple[str, str | None, str, date, str]] = field(default_factory=list)
    existing_handoffs: list[tuple[Client, Employee | None, date]] = field(default_factory=list)
    activities: dict[str, Activity] = field(default_factory=dict)
    activity_materials: dict[str, list[str]] = field(default_factory=dict)
    fixed_costs: list[FixedCost] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # Records already stored that the file moves on, with {column: [old, new]} for the audit.
    employee_updates: list[tuple[Employee, dict[str, Any]]] = field(default_factory=list)
    client_updates: list[tuple[Client, dict[str, Any]]] = field(default_factory=list)
    deal_updates: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    deal_lines: dict[str, list[DealLine]] = field(default_factory=dict)
    deal_direct: dict[str, Decimal] = field(default_factory=dict)
    activity_updates: list[tuple[Activity, str, date, list[str]]] = field(default_factory=list)


class Importer:
    def __init__(self, path: Path, *, progress: Progress | None = None,
                 create_segments: bool = False) -> None:
        self.path = path
        self.create_segments = create_segments
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()
        self.plan = _Plan()
        self.tables: dict[str, Table] = {}

    # ------------------------------------------------------------------------------------------
    def run(self, *, dry_run: bool = False) -> ImportReport:
        self.tables, problems = read_source(self.path)
        self.report.problems.extend(problems)
        for table in self.tables.values():
            self.progress(f"read {table.label}: {len(table.rows)} rows")
        if not self.report.problems:
            self._plan_all()
        if self.report.problems or dry_run:
            return self.report
        self._write()
        self.report.written = True
        return self.report

    def _rows(self, name: str) -> _Rows:
        empty = Table(FORMATS[name], f"{name}.csv")
        return _Rows(self.tables.get(name, empty), self.report.problems)

    def _count(self, name: str, *, created: bool) -> None:
        bucket = self.report.created if created else self.report.skipped
        bucket[name] = bucket.get(name, 0) + 1

    def _duplicate_id(self, cells: _Cells, column: str, seen: set[str], value: str) -> bool:
        if value in seen:
            cells.problem(column, f"id {value!r} appears twice in the file")
            return True
        seen.add(value)
        return False

    def _same(self, cells: _Cells, kind: str, ref: str, stored: dict[str, Any],
              given: dict[str, Any], *, file: str) -> None:
        """A record already in the database: identical is fine, different is a problem."""
        for column, value in given.items():
            if stored[column] != value:
                cells.problem(column, f"{kind} {ref!r} already exists with {column} "
                                      f"{_show(stored[column])}, the file has {_show(value)}")
                return
        self._count(file, created=False)

    def _changed(self, file: str, columns: Any) -> None:
        self.report.changed[file] = self.report.changed.get(file, 0) + 1
        self.report.changed_columns.setdefault(file, Counter()).update(list(columns))

    def _sync(self, cells: _Cells, kind: str, ref: str, stored: dict[str, Any],
              given: dict[str, Any], *, file: str, updatable: set[str],
              why: str) -> dict[str, Any] | None:
        """A record already stored: the columns that differ, if the file may change them all
        (``updatable``), else a problem naming the first one that may not and ``why``. ``None``
        when it is unchanged or refused."""
        # A column the file does not have says nothing (a partial export): never a change.
        changes = {column: value for column, value in given.items()
                   if stored[column] != value and cells.values.has(column)}
        for column, value in changes.items():
            if column not in updatable:
                cells.problem(column, f"{kind} {ref!r} already exists with {column} "
                                      f"{_show(stored[column])}, the file has {_show(value)}: "
                                      f"{why}")
                return None
        if not changes:
            self._count(file, created=False)
            return None
        self._changed(file, changes)
        return {column: [stored[column], value] for column, value in changes.items()}

    # Plan ----------------------------------------------------------------------------------
    def _plan_all(self) -> None:
        self._plan_employees()
        self._plan_materials()
        self._plan_products()
        self._plan_clients()
        self._plan_deals()
        self._plan_lines()
        self._plan_payments()
        self._plan_activities()
        self._plan_month_values()
        if not self.report.problems:
            self._plan_deal_changes()
            self._replay()

    def _existing(self, model, field_name: str, values, *related: str) -> dict[str, Any]:
        """The records of the file already stored, by id (none to look up in an empty table)."""
        values = [v for v in values if v]
        found: dict[str, Any] = {}
        if not values or not model.objects.exists():
            return found
        for start in range(0, len(values), 10000):
            chunk = values[start:start + 10000]
            for obj in model.objects.filter(**{f"{field_name}__in": chunk}).select_related(*related):
                found[getattr(obj, field_name)] = obj
        return found

    def _employee(self, ref: str | None) -> Employee | None:
        if ref is None:
            return None
        return self.plan.employees.get(ref) or self.known_employees.get(ref)

    def _plan_employees(self) -> None:
        rows = self._rows("employees")
        self.known_employees = {e.ref: e for e in Employee.objects.all()}
        seen: set[str] = set()
        for cells in rows:
            ref = cells.get("id", required=True)
            name = cells.get("name", required=True)
            email = cells.get("email", default="")
            department = cells.get("department", required=True)
            role = cells.get("role", required=True)
            hired_on = cells.get("hired_on", parse_date, required=True)
            left_on = cells.get("left_on", parse_date)
            weight = cells.get("pool_weight", _non_negative(parse_number), default=Decimal("1"))
            market = cells.get("market_salary", _money_nn)
            if department and role and (why := check_role(department, role)):
                cells.problem("role", why)
            if hired_on and left_on and left_on < hired_on:
                cells.problem("left_on", "is before hired_on")
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            given = {"name": name, "email": email, "department": department, "role": role,
                     "hired_on": hired_on, "left_on": left_on, "pool_weight": weight,
                     "market_salary": market}
            stored = self.known_employees.get(ref)
            if stored is not None:
                updatable = {"name", "email"} | ({"left_on"} if stored.left_on is None else set())
                changes = self._sync(
                    cells, "employee", ref, vars(stored), given, file="employees",
                    updatable=updatable, why="only the name, the e-mail and a first leaving "
                    "date of a stored employee are taken from a later file")
                if changes:
                    self.plan.employee_updates.append((stored, changes))
                continue
            self.plan.employees[ref] = Employee(ref=ref, **given)
            self._count("employees", created=True)

    def _plan_materials(self) -> None:
        stored = {m.ref: m for m in SalesMaterial.objects.all()}
        self.known_materials = stored
        seen: set[str] = set()
        for cells in self._rows("materials"):
            ref = cells.get("id", required=True)
            given = {"title": cells.get("title", required=True),
                     "kind": cells.get("kind", MATERIAL_KINDS, required=True),
                     "published_on": cells.get("published_on", parse_date)}
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            if ref in stored:
                self._same(cells, "material", ref, vars(stored[ref]), given, file="materials")
                continue
            self.plan.materials[ref] = SalesMaterial(ref=ref, **given)
            self._count("materials", created=True)

    def _plan_products(self) -> None:
        stored = {p.sku: p for p in Product.objects.all()}
        self.known_products = stored
        seen: set[str] = set()
        for cells in self._rows("products"):
            sku = cells.get("sku", required=True)
            given = {"name": cells.get("name", required=True),
                     "price": cells.get("price", _money_nn, required=True),
                     "unit_cost": cells.get("unit_cost", _money_nn, required=True),
                     "line": cells.get("line", default="")}
            if sku and self._duplicate_id(cells, "sku", seen, sku) or cells.bad:
                continue
            if sku in stored:
                self._same(cells, "product", sku, vars(stored[sku]), given, file="products")
                continue
            self.plan.products[sku] = Product(sku=sku, **given)
            self._count("products", created=True)

    def _plan_clients(self) -> None:
        rows = self._rows("clients")
        refs = [v.get("id") for _, v in rows.table.rows if v.get("id")]
        stored = self._existing(Client, "ref", refs, "acquired_by")
        taxes = [v.get("tax_id") for _, v in rows.table.rows if v.get("tax_id")]
        stored_taxes = {c.tax_id: c.ref for c in Client.objects.filter(tax_id__in=taxes[:900])} \
            if len(taxes) <= 900 else {c.tax_id: c.ref for c in
                                       Client.objects.exclude(tax_id=None).only("tax_id", "ref")}
        self.known_clients = stored
        segments = list(Segment.objects.values_list("code", flat=True))
        seen: set[str] = set()
        seen_tax: dict[str, str] = {}
        for cells in rows:
            ref = cells.get("id", required=True)
            name = cells.get("name", required=True)
            segment = cells.get("segment", required=True)
            if segment is not None and segment not in segments:
                if not self.create_segments:
                    cells.problem("segment", f"{segment!r} is not a known segment: "
                                             f"{', '.join(segments)} (add it on the Segments "
                                             f"page, or import with --create-segments)")
                elif not SEGMENT_CODE.fullmatch(segment):
                    cells.problem("segment", f"{segment!r} is not a segment code: lower-case "
                                             f"Latin letters, digits, _ and -, at most 32, "
                                             f"starting with a letter")
                elif segment not in self.report.new_segments:
                    self.report.new_segments.append(segment)
            acquired = cells.get("acquired_by")
            created_on = cells.get("created_on", parse_date, required=True)
            tax_id = cells.get("tax_id")
            am = cells.get("account_manager")
            hunter = self._employee(acquired)
            if acquired and hunter is None:
                cells.problem("acquired_by", f"no employee with id {acquired!r}")
            if am:
                manager = self._employee(am)
                if manager is None:
                    cells.problem("account_manager", f"no employee with id {am!r}")
                elif manager.role != Role.ACCOUNT_MANAGER:
                    cells.problem("account_manager", f"employee {am!r} is not an account manager")
            if tax_id:
                if tax_id in seen_tax and seen_tax[tax_id] != ref:
                    cells.problem("tax_id", f"tax id {tax_id!r} is also client {seen_tax[tax_id]!r}")
                elif stored_taxes.get(tax_id, ref) != ref:
                    cells.problem("tax_id", f"tax id {tax_id!r} belongs to client "
                                            f"{stored_taxes[tax_id]!r} in the database")
                seen_tax[tax_id] = ref
            if name is not None and not normalize_name(name):
                cells.problem("name", "a client needs a name")
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            if ref in stored:
                client = stored[ref]
                changes = self._sync(cells, "client", ref, {
                    "name": client.name, "segment": client.segment,
                    "acquired_by": client.acquired_by.ref if client.acquired_by else None,
                    "created_on": client.created_on, "tax_id": client.tax_id,
                }, {"name": name, "segment": segment, "acquired_by": acquired,
                    "created_on": created_on, "tax_id": tax_id}, file="clients",
                    updatable={"name", "segment", "tax_id"},
                    why="who acquired a client and when is its history")
                if changes:
                    self.plan.client_updates.append((client, changes))
                continue
            self.plan.clients[ref] = build(
                Client, {"acquired_by": hunter, "owner": hunter},
                ref=ref, name=name, normalized_name=normalize_name(name), segment=segment,
                tax_id=tax_id, created_on=created_on, owning_department=Department.ACQUISITION)
            if am:
                self.plan.client_am[ref] = am
            self._count("clients", created=True)

    def _client(self, ref: str | None) -> Client | None:
        if ref is None:
            return None
        return self.plan.clients.get(ref) or self.known_clients.get(ref) or self._db_client(ref)

    def _db_client(self, ref: str) -> Client | None:
        client = Client.objects.filter(ref=ref).first()
        if client is not None:
            self.known_clients[ref] = client
        return client

    def _plan_deals(self) -> None:
        rows = self._rows("deals")
        stored = self._existing(Deal, "ref", [v.get("id") for _, v in rows.table.rows],
                                "client", "owner")
        self.known_deals = stored
        seen: set[str] = set()
        self.deal_rows: dict[str, tuple[_Cells, Decimal | None, Decimal | None, Decimal]] = {}
        self.stored_deal_rows: dict[str, tuple[_Cells, Decimal | None, Decimal | None,
                                               Decimal]] = {}
        self.deal_moves: dict[str, tuple[str, date | None, date | None]] = {}
        for cells in rows:
            ref = cells.get("id", required=True)
            client_ref = cells.get("client_id", required=True)
            owner_ref = cells.get("owner_id", required=True)
            status = cells.get("status", DEAL_STATUSES, required=True)
            created_on = cells.get("created_on", parse_date, required=True)
            won_on = cells.get("won_on", parse_date)
            closed_on = cells.get("closed_on", parse_date)
            amount = cells.get("amount", _money_nn)
            cost = cells.get("cost", _money_nn)
            direct = cells.get("direct_cost", _money_nn, default=ZERO)
            client = self._client(client_ref)
            owner = self._employee(owner_ref)
            if client_ref and client is None:
                cells.problem("client_id", f"no client with id {client_ref!r}")
            if owner_ref and owner is None:
                cells.problem("owner_id", f"no employee with id {owner_ref!r}")
            if status in (DealStatus.WON, DealStatus.CANCELLED) and won_on is None \
                    and "won_on" not in _bad_columns(cells):
                cells.problem("won_on", f"a {status} deal needs the date it was won")
            if status in (DealStatus.OPEN, DealStatus.LOST) and won_on is not None:
                cells.problem("won_on", f"a {status} deal has no win date")
            if status == DealStatus.CANCELLED and closed_on is None:
                cells.problem("closed_on", "a cancelled deal needs the date it was cancelled")
            if status in (DealStatus.OPEN, DealStatus.WON) and closed_on is not None:
                cells.problem("closed_on", f"a {status} deal is not closed")
            if created_on and won_on and won_on < created_on:
                cells.problem("won_on", "is before created_on")
            if won_on and closed_on and closed_on < won_on:
                cells.problem("closed_on", "is before won_on")
            if created_on and closed_on and closed_on < created_on:
                cells.problem("closed_on", "is before created_on")
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            if ref in stored:
                self._plan_stored_deal(cells, stored[ref], client_ref=client_ref,
                                       owner_ref=owner_ref, status=status, created_on=created_on,
                                       won_on=won_on, closed_on=closed_on)
                if not cells.bad:
                    self.stored_deal_rows[ref] = (cells, amount, cost, direct)
                continue
            self.plan.deals[ref] = build(Deal, {"client": client, "owner": owner}, ref=ref,
                                         status=status, created_on=created_on, won_on=won_on,
                                         closed_on=closed_on)
            self.deal_rows[ref] = (cells, amount, cost, direct)
            self._count("deals", created=True)

    def _plan_stored_deal(self, cells: _Cells, deal: Deal, *, client_ref: str, owner_ref: str,
                          status: str, created_on: date, won_on: date | None,
                          closed_on: date | None) -> None:
        """A deal already stored: it may move on the way the deal page moves it (open → won,
        lost or won and cancelled; won → cancelled); anything else would rewrite its history."""
        ref = deal.ref
        if deal.client.ref != client_ref:
            cells.problem("client_id", f"deal {ref!r} is a deal of client {deal.client.ref!r}, "
                                       f"the file has {client_ref!r}: a deal never moves to "
                                       f"another client")
        if deal.owner.ref != owner_ref:
            cells.problem("owner_id", f"deal {ref!r} is owned by {deal.owner.ref!r}, the file "
                                      f"has {owner_ref!r}: a deal's owner is changed in the app")
        if deal.created_on != created_on:
            cells.problem("created_on", f"deal {ref!r} was created on {_show(deal.created_on)}, "
                                        f"the file has {_show(created_on)}")
        if cells.bad:
            return
        if deal.status != status and (deal.status, status) not in DEAL_MOVES:
            why = {DealStatus.WON: "a won deal can only be cancelled",
                   DealStatus.OPEN: "an open deal is won, lost, or won and cancelled"}.get(
                deal.status, "a closed deal does not reopen")
            cells.problem("status", f"deal {ref!r} is {deal.status} in the database, the file "
                                    f"has {status}: {why}")
            return
        if deal.won_on is not None and won_on != deal.won_on:
            cells.problem("won_on", f"deal {ref!r} was won on {_show(deal.won_on)}, the file has "
                                    f"{_show(won_on)}: a win date never changes")
        elif deal.closed_on is not None and closed_on != deal.closed_on:
            cells.problem("closed_on", f"deal {ref!r} was closed on {_show(deal.closed_on)}, the "
                                       f"file has {_show(closed_on)}: a closing date never changes")
        elif deal.status != status:
            self.deal_moves[ref] = (status, won_on, closed_on)

    def _plan_lines(self) -> None:
        self.stored_lines: dict[str, list[DealLine]] = defaultdict(list)
        for cells in self._rows("deal_lines"):
            deal_ref = cells.get("deal_id", required=True)
            sku = cells.get("sku", required=True)
            quantity = cells.get("quantity", parse_number, required=True)
            price = cells.get("unit_price", _money_nn, required=True)
            unit_cost = cells.get("unit_cost", _money_nn)
            product = self.plan.products.get(sku) or self.known_products.get(sku) if sku else None
            if sku and product is None:
                cells.problem("sku", f"no product with sku {sku!r}")
            if quantity is not None and quantity <= 0:
                cells.problem("quantity", "must be above zero")
            if deal_ref and self._deal(deal_ref) is None:
                cells.problem("deal_id", f"no deal with id {deal_ref!r}")
            if cells.bad:
                continue
            cost = unit_cost if unit_cost is not None else product.unit_cost
            line = DealLine(product=product, quantity=quantity, unit_price=price, unit_cost=cost)
            if deal_ref in self.known_deals:
                # Lines of a stored deal: compared with its stored lines in _plan_stored_figures.
                if deal_ref in self.stored_deal_rows:
                    self.stored_lines[deal_ref].append(line)
                continue
            self.plan.lines[deal_ref].append(line)
        for ref, deal in self.plan.deals.items():
            cells, amount, cost, direct = self.deal_rows[ref]
            lines = self.plan.lines.get(ref)
            if lines:
                deal.amount = sum((round_money(x.quantity * x.unit_price) for x in lines), ZERO)
                deal.goods_cost = sum((round_money(x.quantity * x.unit_cost) for x in lines), ZERO)
                deal.direct_cost = direct
            else:
                # A deal without lines: amount and cost as given, cost including direct costs.
                deal.amount = amount or ZERO
                total = cost if cost is not None else direct
                if direct > total:
                    cells.problem("direct_cost", "is more than the deal's cost")
                deal.direct_cost = direct
                deal.goods_cost = total - direct
            if deal.status in (DealStatus.WON, DealStatus.CANCELLED) and deal.amount <= 0:
                cells.problem("amount", "a won deal needs an amount (or lines)")
            self.plan.direct[ref] = direct
        self._plan_stored_figures()

    def _plan_stored_figures(self) -> None:
        """A stored deal's amount, cost and lines as the file has them. They change only while
        the deal is open (as on the deal page) and never once its payments fall in a locked month;
        a stored deal the file gives no lines for keeps its lines (a partial export)."""
        if not self.stored_deal_rows:
            return
        self.locked_months = set(Period.objects.filter(status=PeriodStatus.LOCKED)
                                 .values_list("month", flat=True))
        stored_lines: dict[int, list[DealLine]] = defaultdict(list)
        pks = [self.known_deals[ref].pk for ref in self.stored_deal_rows]
        for start in range(0, len(pks), 10000):
            for line in DealLine.objects.filter(
                    deal_id__in=pks[start:start + 10000]).select_related("product"):
                stored_lines[line.deal_id].append(line)
        for ref, (cells, amount, cost, direct) in self.stored_deal_rows.items():
            deal = self.known_deals[ref]
            if not cells.values.has("direct_cost"):
                direct = deal.direct_cost  # not in the file: kept
            lines = stored_lines.get(deal.pk, [])
            free = [x for x in lines if x.product is None]  # free text: never in a file
            given = self.stored_lines.get(ref)
            if given:
                kept = [*free, *given]
                figures = {"amount": _total(kept, "unit_price"), "cost": _total(kept, "unit_cost")
                           + direct, "direct_cost": direct}
            elif lines or amount is None:
                continue  # no lines in the file for a deal with lines: nothing said about them
            else:
                figures = {"amount": amount, "cost": cost if cost is not None else direct,
                           "direct_cost": direct}
            stored = {"amount": deal.amount, "cost": deal.goods_cost + deal.direct_cost,
                      "direct_cost": deal.direct_cost}
            changes = {c: [stored[c], v] for c, v in figures.items() if stored[c] != v}
            if given and _line_key(given) != _line_key([x for x in lines if x.product]):
                changes["lines"] = [len(lines) - len(free), len(given)]
            if not changes:
                continue
            column = "amount" if "amount" in changes or "lines" in changes else next(iter(changes))
            what = "lines" if "lines" in changes else column
            locked = self._locked_months_of(deal)
            if locked:
                cells.problem(column, f"deal {ref!r} has payments in the locked month "
                                      f"{min(locked):%Y-%m}: its {what} cannot change (a locked "
                                      f"month's pay is final)")
                continue
            if deal.status != DealStatus.OPEN:
                cells.problem(column, f"deal {ref!r} is {deal.status}: its {what} were fixed when "
                                      f"it was won, as on the deal page"
                              if what == "lines" else
                              f"deal {ref!r} is {deal.status}: its {what} was fixed when it was "
                              f"won, as on the deal page")
                continue
            if direct > figures["cost"]:
                cells.problem("direct_cost", "is more than the deal's cost")
                continue
            deal.amount = figures["amount"]
            deal.direct_cost = direct
            deal.goods_cost = figures["cost"] - direct
            self.plan.deal_updates[ref] = changes
            if given:
                self.plan.deal_lines[ref] = given
            if "direct_cost" in changes or "cost" in changes:
                self.plan.deal_direct[ref] = direct
        for ref, (status, _won, _closed) in self.deal_moves.items():
            deal = self.known_deals[ref]
            if status in (DealStatus.WON, DealStatus.CANCELLED) and deal.amount <= 0:
                self.stored_deal_rows[ref][0].problem("amount", "a won deal needs an amount "
                                                                "(or lines)")

    def _plan_deal_changes(self) -> None:
        """Stored deals: counted as changed or unchanged, and moved on in memory (status and
        dates; the replay gives the number and the money)."""
        for ref in self.stored_deal_rows:
            deal = self.known_deals[ref]
            changes = self.plan.deal_updates.get(ref, {})
            if ref in self.deal_moves:
                status, won_on, closed_on = self.deal_moves[ref]
                for column, value in (("status", status), ("won_on", won_on),
                                      ("closed_on", closed_on)):
                    if getattr(deal, column) != value:
                        changes[column] = [getattr(deal, column), value]
                        setattr(deal, column, value)
            if changes:
                self.plan.deal_updates[ref] = changes
                self._changed("deals", changes)
            else:
                self._count("deals", created=False)

    def _locked_months_of(self, deal: Deal) -> set[date]:
        """The locked months in which the deal's payments fall: the payments naming it and the
        allocations it holds."""
        if not self.locked_months:
            return set()
        days = {*Payment.objects.filter(deal=deal).values_list("received_on", flat=True),
                *Allocation.objects.filter(deal=deal).values_list("effective_on", flat=True)}
        return {d.replace(day=1) for d in days} & self.locked_months

    def _deal(self, ref: str | None) -> Deal | None:
        if ref is None:
            return None
        found = self.plan.deals.get(ref) or self.known_deals.get(ref)
        if found is None:
            found = Deal.objects.select_related("client").filter(ref=ref).first()
            if found is not None:
                self.known_deals[ref] = found
        return found

    def _plan_payments(self) -> None:
        rows = self._rows("payments")
        stored = self._existing(Payment, "ref", [v.get("id") for _, v in rows.table.rows],
                                "deal", "client")
        seen: set[str] = set()
        self.payment_rows: dict[str, _Cells] = {}
        for cells in rows:
            ref = cells.get("id", required=True)
            received_on = cells.get("received_on", parse_date, required=True)
            amount = cells.get("amount", parse_money, required=True)
            deal_ref = cells.get("deal_id")
            client_ref = cells.get("client_id")
            deal = self._deal(deal_ref)
            client = self._client(client_ref)
            if deal_ref and deal is None:
                cells.problem("deal_id", f"no deal with id {deal_ref!r}")
            if client_ref and client is None:
                cells.problem("client_id", f"no client with id {client_ref!r}")
            if not deal_ref and not client_ref:
                cells.problem("deal_id", "a payment names its deal or its client")
            if deal is not None and client is not None and deal.client.ref != client.ref:
                cells.problem("client_id", f"deal {deal_ref!r} is a deal of client "
                                           f"{deal.client.ref!r}")
            if amount is not None and amount == 0:
                cells.problem("amount", "a payment of zero applies to nothing")
            status = self.deal_moves[deal_ref][0] if deal_ref in self.deal_moves else \
                deal.status if deal is not None else None
            if status == DealStatus.LOST and amount and amount > 0:
                cells.problem("deal_id", f"deal {deal_ref!r} is lost")
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            if ref in stored:
                payment = stored[ref]
                self._sync(cells, "payment", ref, {
                    "received_on": payment.received_on, "amount": payment.amount,
                    "deal_id": payment.deal.ref if payment.deal else None,
                    "client_id": None if payment.deal else payment.client.ref,
                }, {"received_on": received_on, "amount": amount, "deal_id": deal_ref,
                    "client_id": None if deal_ref else client_ref}, file="payments",
                    updatable=set(), why="a payment is never changed, moved or deleted: record a "
                    "refund or a new payment")
                continue
            self.plan.payments[ref] = build(
                Payment, {"client": deal.client if deal else client, "deal": deal}, ref=ref,
                received_on=received_on, amount=amount)
            self.payment_rows[ref] = cells
            self._count("payments", created=True)

    def _plan_activities(self) -> None:
        rows = self._rows("activities")
        stored = self._existing(Activity, "ref", [v.get("id") for _, v in rows.table.rows])
        seen: set[str] = set()
        for cells in rows:
            ref = cells.get("id", required=True)
            client_ref = cells.get("client_id", required=True)
            employee_ref = cells.get("employee_id", required=True)
            kind = cells.get("kind", ACTIVITY_KINDS, required=True)
            day = cells.get("date", parse_date, required=True)
            outcome = cells.get("outcome", OUTCOMES, default="")
            materials = [m.strip() for m in (cells.get("materials") or "").split(";") if m.strip()]
            client = self._client(client_ref)
            employee = self._employee(employee_ref)
            if client_ref and client is None:
                cells.problem("client_id", f"no client with id {client_ref!r}")
            if employee_ref and employee is None:
                cells.problem("employee_id", f"no employee with id {employee_ref!r}")
            for material in materials:
                if material not in self.plan.materials and material not in self.known_materials:
                    cells.problem("materials", f"no sales material with id {material!r}")
            if materials and kind and kind != ActivityKind.MEETING:
                cells.problem("materials", "sales materials are shown at meetings only")
            if ref and self._duplicate_id(cells, "id", seen, ref) or cells.bad:
                continue
            if ref in stored:
                activity = stored[ref]
                # A planned activity now done: its outcome, and the day it was done.
                completed = not activity.outcome and outcome
                changes = self._sync(cells, "activity", ref, {
                    "kind": activity.kind, "date": activity.day, "outcome": activity.outcome,
                }, {"kind": kind, "date": day, "outcome": outcome}, file="activities",
                    updatable={"date", "outcome"} if completed else set(),
                    why="a planned activity is completed with its outcome; one done stays as it was")
                if changes:
                    self.plan.activity_updates.append((activity, outcome, day, materials))
                continue
            # A date with an outcome is when it happened; without one, when it is planned.
            self.plan.activities[ref] = Activity(
                ref=ref, client=client, employee=employee, kind=kind, outcome=outcome,
                done_on=day if outcome else None, planned_on=None if outcome else day)
            self.plan.activity_materials[ref] = materials
            self._count("activities", created=True)

    def _plan_month_values(self) -> None:
        for name, model, key, value_field, parse in (
            ("fixed_costs", FixedCost, "category", "amount", parse_money),
            ("targets", Target, "metric", "value", parse_number),
        ):
            stored = {(o.month, getattr(o, key)): getattr(o, value_field)
                      for o in model.objects.all()}
            seen: set[tuple[date, str]] = set()
            for cells in self._rows(name):
                month = cells.get("month", parse_month, required=True)
                label = cells.get(key, required=True)
                value = cells.get(value_field, parse, required=True)
                if cells.bad:
                    continue
                if (month, label) in seen:
                    cells.problem(key, f"{month:%Y-%m} {label} appears twice in the file")
                    continue
                seen.add((month, label))
                if (month, label) in stored:
                    if stored[(month, label)] != value:
                        cells.problem(value_field, f"{month:%Y-%m} {label} is already "
                                                   f"{stored[(month, label)]} in the database")
                    else:
                        self._count(name, created=False)
                    continue
                target = self.plan.fixed_costs if name == "fixed_costs" else self.plan.targets
                target.append(model(month=month, **{key: label, value_field: value}))
                self._count(name, created=True)

    # Replay --------------------------------------------------------------------------------
    def _replay(self) -> None:
        """Numbers, handoffs and allocations, in the order the events happened."""
        events: list[tuple[date, int, Any, str]] = []
        # New deals, and stored deals that the file wins or cancels (after what is stored).
        deals = dict(self.plan.deals)
        stored_won: dict[str, bool] = {}
        for ref in self.deal_moves:
            deals[ref] = self.known_deals[ref]
            stored_won[ref] = self.plan.deal_updates[ref]["status"][0] == DealStatus.WON
        deal_key = id_key_for(deals)
        payment_key = id_key_for(self.plan.payments)
        for ref, deal in deals.items():
            if deal.won_on is not None and not stored_won.get(ref):
                events.append((deal.won_on, 0, deal_key(ref), ref))
            if deal.status == DealStatus.CANCELLED:
                events.append((deal.closed_on, 2, deal_key(ref), ref))
        for ref, payment in self.plan.payments.items():
            events.append((payment.received_on, 1, payment_key(ref), ref))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        self.progress(f"replaying {len(events)} wins, payments and cancellations")

        ledgers: dict[str, ClientLedger] = {}
        numbers: dict[str, int] = {}
        handed_off: dict[str, date | None] = {}
        on_payment = settings.SALESRELAY["HANDOFF_ON"] == "payment"
        managers = sorted(
            (e for e in [*self.known_employees.values(), *self.plan.employees.values()]
             if e.role == Role.ACCOUNT_MANAGER),
            key=lambda e: (0, e.pk) if e.pk else (1, 0))
        manager_order = {e.ref: i for i, e in enumerate(managers)}
        last_ref = (Ownership.objects.filter(reason=OwnershipReason.HANDOFF, employee__isnull=False)
                    .order_by("-id").values_list("employee__ref", flat=True).first())
        last = [manager_order.get(last_ref) if last_ref else None]

        def ledger_for(client: Client) -> ClientLedger:
            if client.ref not in ledgers:
                if client.pk:
                    ledgers[client.ref] = load_ledger(client)
                    numbers[client.ref] = next_number(
                        Deal.objects.filter(client=client).values_list("number", flat=True)) - 1
                    handed_off[client.ref] = client.handed_off_on
                else:
                    ledgers[client.ref] = ClientLedger()
                    numbers[client.ref] = 0
                    handed_off[client.ref] = None
            return ledgers[client.ref]

        def hand_off(client: Client, on: date) -> None:
            chosen_ref = self.plan.client_am.get(client.ref)
            if chosen_ref is None:
                active = [i for i, e in enumerate(managers) if e.is_employed_on(on)]
                index = next_account_manager(active, last=last[0])
                if index is not None:
                    last[0] = index
                chosen = managers[index] if index is not None else None
            else:
                chosen = self._employee(chosen_ref)
                last[0] = manager_order[chosen_ref]
            handed_off[client.ref] = on
            if client.pk:
                self.plan.existing_handoffs.append((client, chosen, on))
            else:
                client.handed_off_on = on
                client.owner = chosen
                client.owning_department = Department.ACCOUNT_MANAGEMENT
                self.plan.ownerships.append((client.ref, chosen.ref if chosen else None,
                                             Department.ACCOUNT_MANAGEMENT, on,
                                             OwnershipReason.HANDOFF))

        def key(obj) -> Any:
            # ``id`` rather than the ``pk`` property: this runs a few million times.
            return obj.id if obj.id else ("new", obj.ref)

        allocations = self.plan.allocations
        for day, kind, _order, ref in events:
            if kind == 0:
                deal = deals[ref]
                client = deal.client
                ledger = ledger_for(client)
                numbers[client.ref] += 1
                deal.number = numbers[client.ref]
                if deal.pk:
                    self.plan.deal_updates[ref]["number"] = [None, deal.number]
                made = ledger.win(key(deal), won_on=day, amount=deal.amount, sort_id=ref)
                allocations.extend((a.payment, a.deal, a.amount, a.effective_on, a.released_from)
                                   for a in made)
                if handed_off[client.ref] is None and (not on_payment or made):
                    hand_off(client, day)
            elif kind == 2:
                # What the deal holds is released: reversed that day, re-allocated or credit.
                deal = deals[ref]
                made = ledger_for(deal.client).cancel(key(deal), on=day)
                allocations.extend((a.payment, a.deal, a.amount, a.effective_on, a.released_from)
                                   for a in made)
            else:
                payment = self.plan.payments[ref]
                ledger = ledger_for(payment.client)
                target = payment.deal
                try:
                    made = ledger.pay(key(payment), day, payment.amount,
                                      key(target) if target is not None else None)
                except AllocationError as error:
                    reason = str(error)
                    if error.code == "refund_exceeds_paid":
                        reason = (f"the refund of {-payment.amount} exceeds the "
                                  f"{round_money(error.available)} paid on deal "
                                  f"{payment.deal.ref!r}")
                    elif error.code == "refund_exceeds_credit":
                        reason = (f"the refund of {-payment.amount} is more than the client's "
                                  f"credit of {round_money(error.available)}")
                    self.payment_rows[ref].problem("amount", reason)
                    continue
                allocations.extend((a.payment, a.deal, a.amount, a.effective_on, a.released_from)
                                   for a in made)
                if on_payment and handed_off[payment.client.ref] is None and made:
                    hand_off(payment.client, min(a.effective_on for a in made))

    # Write ---------------------------------------------------------------------------------
    @transaction.atomic
    def _write(self) -> None:
        plan = self.plan
        self.progress("writing")
        Employee.objects.bulk_create(plan.employees.values(), batch_size=BATCH)
        SalesMaterial.objects.bulk_create(plan.materials.values(), batch_size=BATCH)
        Product.objects.bulk_create(plan.products.values(), batch_size=BATCH)
        source = str(self.path)
        for employee, changes in plan.employee_updates:
            update_employee_details(employee, changes={c: new for c, (_old, new) in
                                                       changes.items()},
                                    acting_user=None, source=source)
        for code in self.report.new_segments:
            add_segment(code=code, name_en=code.replace("_", " ").replace("-", " ").capitalize(),
                        acting_user=None)
        employee_pk = {**{e.ref: e.pk for e in self.known_employees.values()},
                       **{e.ref: e.pk for e in plan.employees.values()}}
        for client in plan.clients.values():
            client.acquired_by_id = client.acquired_by.pk if client.acquired_by else None
            client.owner_id = client.owner.pk if client.owner else None
        insert(list(plan.clients.values()), CLIENT_FIELDS)
        for client, changes in plan.client_updates:  # after the segments they may name
            update_client_details(client, changes={c: new for c, (_old, new) in changes.items()},
                                  acting_user=None, source=source)
        self.progress(f"wrote {len(plan.clients)} clients")
        handoffs = {ref: (emp, on) for ref, emp, _dept, on, _r in plan.ownerships}
        rows = []
        for ref, client in plan.clients.items():
            handoff = handoffs.get(ref)
            rows.append((client.pk, client.acquired_by_id, Department.ACQUISITION,
                         client.created_on, handoff[1] if handoff else None,
                         OwnershipReason.IMPORTED))
            if handoff:
                rows.append((client.pk, employee_pk.get(handoff[0]), Department.ACCOUNT_MANAGEMENT,
                             handoff[1], None, OwnershipReason.HANDOFF))
        insert_rows(Ownership, ["client_id", "employee_id", "department", "started_on", "ended_on",
                                "reason"], rows)
        for client, manager, on in plan.existing_handoffs:
            manager = Employee.objects.get(ref=manager.ref) if manager else None
            _move_ownership(client, employee=manager, department=Department.ACCOUNT_MANAGEMENT,
                            on=on, reason=OwnershipReason.HANDOFF)
            Client.objects.filter(pk=client.pk).update(handed_off_on=on)
        for deal in plan.deals.values():
            deal.client_id = deal.client.pk
            deal.owner_id = deal.owner.pk
        insert(list(plan.deals.values()), DEAL_FIELDS)
        for ref, changes in plan.deal_updates.items():
            deal = self.known_deals[ref]
            fields = [c for c in ("status", "won_on", "closed_on", "number") if c in changes]
            if {"amount", "cost", "direct_cost", "lines"} & set(changes):
                fields += ["amount", "goods_cost", "direct_cost"]
            lines = plan.deal_lines.get(ref)
            for line in lines or ():
                line.product_id = line.product.pk
            record_source_changes(deal, changes=changes, fields=fields, lines=lines,
                                  direct_cost=plan.deal_direct.get(ref), source=source)
        self.progress(f"wrote {len(plan.deals)} deals")
        lines = []
        for ref, deal_lines in plan.lines.items():
            deal = plan.deals[ref]
            for line in deal_lines:
                line.deal = deal
                line.product_id = line.product.pk
                lines.append(line)
        DealLine.objects.bulk_create(lines, batch_size=BATCH)
        insert_rows(DirectCost, ["deal_id", "category", "amount", "note"],
                    [(plan.deals[ref].pk, CostCategory.OTHER, amount, "imported")
                     for ref, amount in plan.direct.items() if amount])
        for payment in plan.payments.values():
            payment.client_id = payment.client.pk
            payment.deal_id = payment.deal.pk if payment.deal else None
        now = timezone.now()
        for payment in plan.payments.values():
            payment.recorded_at = now
        insert(list(plan.payments.values()), PAYMENT_FIELDS)
        self.progress(f"wrote {len(plan.payments)} payments")

        def pk(kind: dict, key: Any) -> int:
            return kind[key[1]].pk if isinstance(key, tuple) else key

        insert_rows(Allocation, ["payment_id", "deal_id", "amount", "effective_on",
                                 "released_from_id"],
                    [(pk(plan.payments, p), pk(plan.deals, d), a, on,
                      None if r is None else pk(plan.deals, r))
                     for p, d, a, on, r in plan.allocations])
        for activity in plan.activities.values():
            activity.client_id = activity.client.pk
            activity.employee_id = activity.employee.pk
        Activity.objects.bulk_create(plan.activities.values(), batch_size=BATCH)
        for activity, outcome, day, refs in plan.activity_updates:
            complete_activity(activity, outcome=outcome, done_on=day, acting_user=None,
                              materials=list(SalesMaterial.objects.filter(ref__in=refs)))
        material_pk = {**{m.ref: m.pk for m in self.known_materials.values()},
                       **{m.ref: m.pk for m in plan.materials.values()}}
        Through = Activity.materials.through
        Through.objects.bulk_create(
            (Through(activity_id=plan.activities[ref].pk, salesmaterial_id=material_pk[m])
             for ref, refs in plan.activity_materials.items() for m in refs),
            batch_size=BATCH)
        FixedCost.objects.bulk_create(plan.fixed_costs, batch_size=BATCH)
        Target.objects.bulk_create(plan.targets, batch_size=BATCH)
        record_event("import", "import", str(self.path), created=self.report.created,
                     changed=self.report.changed, skipped=self.report.skipped)


def _bad_columns(cells: _Cells) -> set[str]:
    return {p.column for p in cells.rows.problems if p.line == cells.line
            and p.file == cells.rows.table.label}


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    return repr(str(value))


def run_import(path: Path, *, dry_run: bool = False, progress: Progress | None = None,
               create_segments: bool = False) -> ImportReport:
    """``create_segments``: a segment code the clients name that is not in the table is added
    (named after its code) rather than reported as a bad row."""
    return Importer(path, progress=progress, create_segments=create_segments).run(dry_run=dry_run)
