"""Stage 3 of an import: the records against each other and against what is stored.

Each record is new, changed (with the columns that change), unchanged, or refused with a
problem. A record whose id is already stored with the same values is unchanged, so importing the
same files twice changes nothing. A later export of the same source **synchronises**: a stored
record may move on as the app's own actions would move it (an open deal won, lost or cancelled, a
won deal cancelled, a planned activity done, a client renamed or re-segmented, an employee's name,
e-mail and first leaving date); what would rewrite history is refused: a payment's amount, date,
deal or client; a deal's client, owner, creation or win date, a status that goes back; a deal's
amount or lines once it is won, or once its payments fall in a locked month. A record the file
leaves out is kept (exports may be partial): nothing is ever deleted by an import.

The plan reads the database and writes nothing. ``replay_input`` then gives the replay
(``salesrelay.imports.replay``) the events and the stored state they start from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings

from salesrelay.clients.actions import SEGMENT_CODE
from salesrelay.clients.choices import OwnershipReason
from salesrelay.clients.models import Client, Ownership, Segment
from salesrelay.compensation.choices import PeriodStatus
from salesrelay.compensation.models import Period
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal, DealLine, Product
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.ordinals import next_number
from salesrelay.finance.models import FixedCost, Target
from salesrelay.imports.parse import (
    PAYMENT_COLUMNS,
    PAYMENT_REFUSALS,
    ActivityRecord,
    ClientRecord,
    DealRecord,
    EmployeeRecord,
    LineRecord,
    MaterialRecord,
    MonthValueRecord,
    Parsed,
    ParsedFile,
    PaymentRecord,
    ProductRecord,
)
from salesrelay.imports.reader import Problem
from salesrelay.imports.replay import Cancel, ClientStart, Manager, Pay, Win
from salesrelay.imports.report import ImportReport
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.ledger import load_ledger
from salesrelay.payments.models import Allocation, Payment
from salesrelay.payments.rules import Refusal, refusals
from salesrelay.people.choices import Role
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import Activity

# How a stored deal may move on in a later file: as the deal page moves it.
DEAL_MOVES = {(DealStatus.OPEN, DealStatus.WON), (DealStatus.OPEN, DealStatus.LOST),
              (DealStatus.OPEN, DealStatus.CANCELLED), (DealStatus.WON, DealStatus.CANCELLED)}
CHUNK = 10000


class DealFigures(NamedTuple):
    amount: Decimal
    goods_cost: Decimal
    direct_cost: Decimal


@dataclass
class Plan:
    """What the write stores: new records by the files' ids, stored records with their changes
    (``{column: [old, new]}``, for the audit)."""

    employees: dict[str, EmployeeRecord] = field(default_factory=dict)
    materials: dict[str, MaterialRecord] = field(default_factory=dict)
    products: dict[str, ProductRecord] = field(default_factory=dict)
    clients: dict[str, ClientRecord] = field(default_factory=dict)
    client_am: dict[str, str] = field(default_factory=dict)  # the account manager a row names
    deals: dict[str, DealRecord] = field(default_factory=dict)
    figures: dict[str, DealFigures] = field(default_factory=dict)
    lines: dict[str, list[LineRecord]] = field(default_factory=lambda: defaultdict(list))
    payments: dict[str, PaymentRecord] = field(default_factory=dict)  # client_ref always set
    activities: dict[str, ActivityRecord] = field(default_factory=dict)
    fixed_costs: list[MonthValueRecord] = field(default_factory=list)
    targets: list[MonthValueRecord] = field(default_factory=list)
    new_segments: list[str] = field(default_factory=list)
    # What is stored, by the files' ids (the records the files name and those they refer to).
    known_employees: dict[str, Employee] = field(default_factory=dict)
    known_materials: dict[str, SalesMaterial] = field(default_factory=dict)
    known_products: dict[str, Product] = field(default_factory=dict)
    known_clients: dict[str, Client] = field(default_factory=dict)
    known_deals: dict[str, Deal] = field(default_factory=dict)
    employee_updates: list[tuple[Employee, dict[str, list[Any]]]] = field(default_factory=list)
    client_updates: list[tuple[Client, dict[str, list[Any]]]] = field(default_factory=list)
    # Stored deals the file moves on: their changes; the stored deal is moved on in memory.
    deal_updates: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    deal_moves: dict[str, tuple[str, date | None, date | None]] = field(default_factory=dict)
    deal_lines: dict[str, list[LineRecord]] = field(default_factory=dict)
    deal_direct: dict[str, Decimal] = field(default_factory=dict)
    activity_updates: list[tuple[Activity, str, date, tuple[str, ...]]] = field(
        default_factory=list)
    payment_lines: dict[str, int] = field(default_factory=dict)  # new payment -> its line


def make_plan(parsed: Parsed, report: ImportReport, *, create_segments: bool = False) -> Plan:
    """The plan of ``parsed`` against the database; problems and counts go to ``report``."""
    return _Planner(parsed, report, create_segments).run()


class _Planner:
    def __init__(self, parsed: Parsed, report: ImportReport, create_segments: bool) -> None:
        self.parsed = parsed
        self.report = report
        self.problems = report.problems
        self.create_segments = create_segments
        self.plan = Plan()
        self.stored_deal_rows: dict[str, DealRecord] = {}
        self.stored_lines: dict[str, list[LineRecord]] = defaultdict(list)

    def run(self) -> Plan:
        self._employees()
        self._materials()
        self._products()
        self._clients()
        self._deals()
        self._lines()
        self._payments()
        self._activities()
        self._month_values(self.parsed.fixed_costs, "fixed_costs", FixedCost, "category",
                           "amount", self.plan.fixed_costs)
        self._month_values(self.parsed.targets, "targets", Target, "metric", "value",
                           self.plan.targets)
        if not self.problems:
            self._deal_changes()
        return self.plan

    # Helpers -------------------------------------------------------------------------------
    def _refuse(self, file: ParsedFile[Any], record: Any, column: str, reason: str) -> None:
        self.problems.append(Problem(file.label, record.line, column, reason))

    def _same(self, file: ParsedFile[Any], record: Any, name: str, kind: str, ref: str,
              stored: dict[str, Any], given: dict[str, Any]) -> None:
        """A record already stored: identical is fine, different is a problem."""
        for column, value in given.items():
            if stored[column] != value:
                self._refuse(file, record, column, f"{kind} {ref!r} already exists with "
                             f"{column} {_show(stored[column])}, the file has {_show(value)}")
                return
        self.report.count(name, created=False)

    def _sync(self, file: ParsedFile[Any], record: Any, name: str, kind: str, ref: str,
              stored: dict[str, Any], given: dict[str, Any], *, updatable: set[str],
              why: str) -> dict[str, list[Any]] | None:
        """A record already stored: the columns that differ, if the file may change them all
        (``updatable``), else a problem naming the first one that may not and ``why``. ``None``
        when it is unchanged or refused."""
        # A column the file does not have says nothing (a partial export): never a change.
        changes = {column: value for column, value in given.items()
                   if stored[column] != value and column in file.columns}
        for column, value in changes.items():
            if column not in updatable:
                self._refuse(file, record, column, f"{kind} {ref!r} already exists with "
                             f"{column} {_show(stored[column])}, the file has {_show(value)}: "
                             f"{why}")
                return None
        if not changes:
            self.report.count(name, created=False)
            return None
        self.report.count_changed(name, changes)
        return {column: [stored[column], value] for column, value in changes.items()}

    def _count_new(self, name: str, new: dict[str, Any]) -> None:
        if new:
            self.report.count(name, created=True, n=len(new))

    def _employee(self, ref: str | None) -> EmployeeRecord | Employee | None:
        if ref is None:
            return None
        return self.plan.employees.get(ref) or self.plan.known_employees.get(ref)

    def _client(self, ref: str | None) -> ClientRecord | Client | None:
        if ref is None:
            return None
        found = self.plan.clients.get(ref) or self.plan.known_clients.get(ref)
        if found is None:
            found = Client.objects.filter(ref=ref).first()
            if found is not None:
                self.plan.known_clients[ref] = found
        return found

    def _deal(self, ref: str | None) -> DealRecord | Deal | None:
        if ref is None:
            return None
        found = self.plan.deals.get(ref) or self.plan.known_deals.get(ref)
        if found is None:
            found = Deal.objects.select_related("client").filter(ref=ref).first()
            if found is not None:
                self.plan.known_deals[ref] = found
        return found

    # Files ---------------------------------------------------------------------------------
    def _employees(self) -> None:
        file = self.parsed.employees
        known = self.plan.known_employees = {e.ref: e for e in Employee.objects.all()}
        for record in file.records:
            given = {"name": record.name, "email": record.email,
                     "department": record.department, "role": record.role,
                     "hired_on": record.hired_on, "left_on": record.left_on,
                     "pool_weight": record.pool_weight, "market_salary": record.market_salary}
            stored = known.get(record.ref)
            if stored is not None:
                updatable = {"name", "email"} | ({"left_on"} if stored.left_on is None else set())
                changes = self._sync(
                    file, record, "employees", "employee", record.ref, vars(stored), given,
                    updatable=updatable, why="only the name, the e-mail and a first leaving "
                    "date of a stored employee are taken from a later file")
                if changes:
                    self.plan.employee_updates.append((stored, changes))
                continue
            self.plan.employees[record.ref] = record
            self.report.count("employees", created=True)

    def _materials(self) -> None:
        file = self.parsed.materials
        known = self.plan.known_materials = {m.ref: m for m in SalesMaterial.objects.all()}
        for record in file.records:
            if record.ref in known:
                self._same(file, record, "materials", "material", record.ref,
                           vars(known[record.ref]), {"title": record.title, "kind": record.kind,
                                                     "published_on": record.published_on})
                continue
            self.plan.materials[record.ref] = record
            self.report.count("materials", created=True)

    def _products(self) -> None:
        file = self.parsed.products
        known = self.plan.known_products = {p.sku: p for p in Product.objects.all()}
        for record in file.records:
            if record.sku in known:
                self._same(file, record, "products", "product", record.sku,
                           vars(known[record.sku]),
                           {"name": record.name, "price": record.price,
                            "unit_cost": record.unit_cost, "line": record.product_line})
                continue
            self.plan.products[record.sku] = record
            self.report.count("products", created=True)

    def _clients(self) -> None:
        file = self.parsed.clients
        stored = _existing(Client, "ref", [r.ref for r in file.records], "acquired_by")
        self.plan.known_clients = stored
        taxes = [r.tax_id for r in file.records if r.tax_id]
        stored_taxes = (
            {c.tax_id: c.ref for c in Client.objects.filter(tax_id__in=taxes)}
            if len(taxes) <= 900 else
            {c.tax_id: c.ref for c in Client.objects.exclude(tax_id=None).only("tax_id", "ref")})
        segments = list(Segment.objects.values_list("code", flat=True))
        for record in file.records:
            before = len(self.problems)
            ref, segment = record.ref, record.segment
            if segment not in segments:
                if not self.create_segments:
                    self._refuse(file, record, "segment", f"{segment!r} is not a known segment: "
                                 f"{', '.join(segments)} (add it on the Segments page, or import "
                                 f"with --create-segments)")
                elif not SEGMENT_CODE.fullmatch(segment):
                    self._refuse(file, record, "segment", f"{segment!r} is not a segment code: "
                                 f"lower-case Latin letters, digits, _ and -, at most 32, "
                                 f"starting with a letter")
                elif segment not in self.plan.new_segments:
                    self.plan.new_segments.append(segment)
            if record.acquired_by and self._employee(record.acquired_by) is None:
                self._refuse(file, record, "acquired_by",
                             f"no employee with id {record.acquired_by!r}")
            if (am := record.account_manager):
                manager = self._employee(am)
                if manager is None:
                    self._refuse(file, record, "account_manager", f"no employee with id {am!r}")
                elif manager.role != Role.ACCOUNT_MANAGER:
                    self._refuse(file, record, "account_manager",
                                 f"employee {am!r} is not an account manager")
            if record.tax_id and stored_taxes.get(record.tax_id, ref) != ref:
                self._refuse(file, record, "tax_id", f"tax id {record.tax_id!r} belongs to "
                             f"client {stored_taxes[record.tax_id]!r} in the database")
            if len(self.problems) > before:
                continue
            if ref in stored:
                client = stored[ref]
                changes = self._sync(file, record, "clients", "client", ref, {
                    "name": client.name, "segment": client.segment,
                    "acquired_by": client.acquired_by.ref if client.acquired_by else None,
                    "created_on": client.created_on, "tax_id": client.tax_id,
                }, {"name": record.name, "segment": segment, "acquired_by": record.acquired_by,
                    "created_on": record.created_on, "tax_id": record.tax_id},
                    updatable={"name", "segment", "tax_id"},
                    why="who acquired a client and when is its history")
                if changes:
                    self.plan.client_updates.append((client, changes))
                continue
            self.plan.clients[ref] = record
            if record.account_manager:
                self.plan.client_am[ref] = record.account_manager
        self._count_new("clients", self.plan.clients)
        self.report.new_segments = self.plan.new_segments

    def _deals(self) -> None:
        file = self.parsed.deals
        stored = _existing(Deal, "ref", [r.ref for r in file.records], "client", "owner")
        self.plan.known_deals = stored
        for record in file.records:
            before = len(self.problems)
            if self._client(record.client_ref) is None:
                self._refuse(file, record, "client_id",
                             f"no client with id {record.client_ref!r}")
            if self._employee(record.owner_ref) is None:
                self._refuse(file, record, "owner_id",
                             f"no employee with id {record.owner_ref!r}")
            if len(self.problems) > before:
                continue
            if record.ref in stored:
                self._stored_deal(file, record, stored[record.ref])
                if len(self.problems) == before:
                    self.stored_deal_rows[record.ref] = record
                continue
            self.plan.deals[record.ref] = record
        self._count_new("deals", self.plan.deals)

    def _stored_deal(self, file: ParsedFile[DealRecord], record: DealRecord, deal: Deal) -> None:
        """A deal already stored: it may move on the way the deal page moves it (open → won,
        lost or won and cancelled; won → cancelled); anything else would rewrite its history."""
        ref = deal.ref
        before = len(self.problems)
        if deal.client.ref != record.client_ref:
            self._refuse(file, record, "client_id", f"deal {ref!r} is a deal of client "
                         f"{deal.client.ref!r}, the file has {record.client_ref!r}: a deal never "
                         f"moves to another client")
        if deal.owner.ref != record.owner_ref:
            self._refuse(file, record, "owner_id", f"deal {ref!r} is owned by "
                         f"{deal.owner.ref!r}, the file has {record.owner_ref!r}: a deal's owner "
                         f"is changed in the app")
        if deal.created_on != record.created_on:
            self._refuse(file, record, "created_on", f"deal {ref!r} was created on "
                         f"{_show(deal.created_on)}, the file has {_show(record.created_on)}")
        if len(self.problems) > before:
            return
        status = record.status
        if deal.status != status and (deal.status, status) not in DEAL_MOVES:
            whys: dict[str, str] = {
                DealStatus.WON: "a won deal can only be cancelled",
                DealStatus.OPEN: "an open deal is won, lost, or won and cancelled"}
            why = whys.get(deal.status, "a closed deal does not reopen")
            self._refuse(file, record, "status", f"deal {ref!r} is {deal.status} in the "
                         f"database, the file has {status}: {why}")
            return
        if deal.won_on is not None and record.won_on != deal.won_on:
            self._refuse(file, record, "won_on", f"deal {ref!r} was won on "
                         f"{_show(deal.won_on)}, the file has {_show(record.won_on)}: a win date "
                         f"never changes")
        elif deal.closed_on is not None and record.closed_on != deal.closed_on:
            self._refuse(file, record, "closed_on", f"deal {ref!r} was closed on "
                         f"{_show(deal.closed_on)}, the file has {_show(record.closed_on)}: a "
                         f"closing date never changes")
        elif deal.status != status:
            self.plan.deal_moves[ref] = (status, record.won_on, record.closed_on)

    def _lines(self) -> None:
        file = self.parsed.deal_lines
        plan = self.plan
        for record in file.records:
            before = len(self.problems)
            product = plan.products.get(record.sku) or plan.known_products.get(record.sku)
            if product is None:
                self._refuse(file, record, "sku", f"no product with sku {record.sku!r}")
            if self._deal(record.deal_ref) is None:
                self._refuse(file, record, "deal_id", f"no deal with id {record.deal_ref!r}")
            if len(self.problems) > before:
                continue
            if record.unit_cost is None and product is not None:  # (a known product, above)
                record = replace(record, unit_cost=product.unit_cost)
            if record.deal_ref in plan.known_deals:
                # Lines of a stored deal: compared with its stored lines in _stored_figures.
                if record.deal_ref in self.stored_deal_rows:
                    self.stored_lines[record.deal_ref].append(record)
                continue
            plan.lines[record.deal_ref].append(record)
        deals = self.parsed.deals
        for ref, deal in plan.deals.items():
            lines = plan.lines.get(ref)
            direct = deal.direct_cost
            if lines:
                figures = DealFigures(_total(lines, "unit_price"), _total(lines, "unit_cost"),
                                      direct)
            else:
                # A deal without lines: amount and cost as given, cost including direct costs.
                total = deal.cost if deal.cost is not None else direct
                if direct > total:
                    self._refuse(deals, deal, "direct_cost", "is more than the deal's cost")
                figures = DealFigures(deal.amount or ZERO, total - direct, direct)
            if deal.status in (DealStatus.WON, DealStatus.CANCELLED) and figures.amount <= 0:
                self._refuse(deals, deal, "amount", "a won deal needs an amount (or lines)")
            plan.figures[ref] = figures
        self._stored_figures()

    def _stored_figures(self) -> None:
        """A stored deal's amount, cost and lines as the file has them. They change only while
        the deal is open (as on the deal page) and never once its payments fall in a locked month;
        a stored deal the file gives no lines for keeps its lines (a partial export)."""
        if not self.stored_deal_rows:
            return
        plan, file = self.plan, self.parsed.deals
        self.locked_months = set(Period.objects.filter(status=PeriodStatus.LOCKED)
                                 .values_list("month", flat=True))
        stored_lines: dict[int, list[DealLine]] = defaultdict(list)
        pks = [plan.known_deals[ref].pk for ref in self.stored_deal_rows]
        for start in range(0, len(pks), CHUNK):
            for line in DealLine.objects.filter(
                    deal_id__in=pks[start:start + CHUNK]).select_related("product"):
                stored_lines[line.deal_id].append(line)
        for ref, record in self.stored_deal_rows.items():
            deal = plan.known_deals[ref]
            amount, cost, direct = record.amount, record.cost, record.direct_cost
            if "direct_cost" not in file.columns:
                direct = deal.direct_cost  # not in the file: kept
            lines = stored_lines.get(deal.pk, [])
            free = [x for x in lines if x.product is None]  # free text: never in a file
            given = self.stored_lines.get(ref)
            if given:
                figures = {"amount": _total(free, "unit_price") + _total(given, "unit_price"),
                           "cost": _total(free, "unit_cost") + _total(given, "unit_cost")
                           + direct, "direct_cost": direct}
            elif lines or amount is None:
                continue  # no lines in the file for a deal with lines: nothing said about them
            else:
                figures = {"amount": amount, "cost": cost if cost is not None else direct,
                           "direct_cost": direct}
            stored = {"amount": deal.amount, "cost": deal.goods_cost + deal.direct_cost,
                      "direct_cost": deal.direct_cost}
            changes: dict[str, list[Any]] = {c: [stored[c], v] for c, v in figures.items()
                                             if stored[c] != v}
            if given and sorted((x.sku, x.quantity, x.unit_price, x.unit_cost) for x in given) \
                    != sorted((x.product.sku, x.quantity, x.unit_price, x.unit_cost)
                              for x in lines if x.product):
                changes["lines"] = [len(lines) - len(free), len(given)]
            if not changes:
                continue
            column = "amount" if "amount" in changes or "lines" in changes else next(iter(changes))
            what = "lines" if "lines" in changes else column
            locked = self._locked_months_of(deal)
            if locked:
                self._refuse(file, record, column, f"deal {ref!r} has payments in the locked "
                             f"month {min(locked):%Y-%m}: its {what} cannot change (a locked "
                             f"month's pay is final)")
                continue
            if deal.status != DealStatus.OPEN:
                self._refuse(file, record, column,
                             f"deal {ref!r} is {deal.status}: its {what} were fixed when it was "
                             f"won, as on the deal page" if what == "lines" else
                             f"deal {ref!r} is {deal.status}: its {what} was fixed when it was "
                             f"won, as on the deal page")
                continue
            if direct > figures["cost"]:
                self._refuse(file, record, "direct_cost", "is more than the deal's cost")
                continue
            deal.amount = figures["amount"]
            deal.direct_cost = direct
            deal.goods_cost = figures["cost"] - direct
            plan.deal_updates[ref] = changes
            if given:
                plan.deal_lines[ref] = given
            if "direct_cost" in changes or "cost" in changes:
                plan.deal_direct[ref] = direct
        for ref, (status, _won, _closed) in plan.deal_moves.items():
            deal = plan.known_deals[ref]
            if status in (DealStatus.WON, DealStatus.CANCELLED) and deal.amount <= 0:
                self._refuse(file, self.stored_deal_rows[ref], "amount",
                             "a won deal needs an amount (or lines)")

    def _locked_months_of(self, deal: Deal) -> set[date]:
        """The locked months in which the deal's payments fall: the payments naming it and the
        allocations it holds."""
        if not self.locked_months:
            return set()
        days = {*Payment.objects.filter(deal=deal).values_list("received_on", flat=True),
                *Allocation.objects.filter(deal=deal).values_list("effective_on", flat=True)}
        return {d.replace(day=1) for d in days} & self.locked_months

    def _deal_changes(self) -> None:
        """Stored deals: counted as changed or unchanged, and moved on in memory (status and
        dates; the replay gives the number and the money)."""
        plan = self.plan
        for ref in self.stored_deal_rows:
            deal = plan.known_deals[ref]
            changes = plan.deal_updates.get(ref, {})
            if ref in plan.deal_moves:
                status, won_on, closed_on = plan.deal_moves[ref]
                for column, value in (("status", status), ("won_on", won_on),
                                      ("closed_on", closed_on)):
                    if getattr(deal, column) != value:
                        changes[column] = [getattr(deal, column), value]
                        setattr(deal, column, value)
            if changes:
                plan.deal_updates[ref] = changes
                self.report.count_changed("deals", changes)
            else:
                self.report.count("deals", created=False)

    def _payments(self) -> None:
        file = self.parsed.payments
        plan = self.plan
        stored = _existing(Payment, "ref", [r.ref for r in file.records], "deal", "client")
        new_deals, new_clients, moves = plan.deals, plan.clients, plan.deal_moves
        new, lines = plan.payments, plan.payment_lines
        for record in file.records:
            before = len(self.problems)
            ref, deal_ref, client_ref = record.ref, record.deal_ref, record.client_ref
            # The deal and the client, as in ``_deal`` and ``_client``: new ones first.
            deal = None if deal_ref is None else new_deals.get(deal_ref) or self._deal(deal_ref)
            client = None if client_ref is None else (
                new_clients.get(client_ref) or self._client(client_ref))
            deal_client = None if deal is None else _client_ref(deal)
            if deal_ref and deal is None:
                self._refuse(file, record, "deal_id", f"no deal with id {deal_ref!r}")
            if client_ref and client is None:
                self._refuse(file, record, "client_id", f"no client with id {client_ref!r}")
            status = moves[deal_ref][0] if deal_ref in moves else \
                deal.status if deal is not None else None
            for refusal in refusals(amount=record.amount, deal_client=deal_client,
                                    client=client_ref if client is not None else None,
                                    deal_status=status):
                self._refuse(file, record, PAYMENT_COLUMNS[refusal.field], {
                    Refusal.OTHER_CLIENT: f"deal {deal_ref!r} is a deal of client {deal_client!r}",
                    Refusal.LOST_DEAL: f"deal {deal_ref!r} is lost",
                }.get(refusal, PAYMENT_REFUSALS[refusal]))
            if len(self.problems) > before:
                continue
            if ref in stored:
                payment = stored[ref]
                self._sync(file, record, "payments", "payment", ref, {
                    "received_on": payment.received_on, "amount": payment.amount,
                    "deal_id": payment.deal.ref if payment.deal else None,
                    "client_id": None if payment.deal else payment.client.ref,
                }, {"received_on": record.received_on, "amount": record.amount,
                    "deal_id": deal_ref, "client_id": None if deal_ref else client_ref},
                    updatable=set(), why="a payment is never changed, moved or deleted: record "
                    "a refund or a new payment")
                continue
            if deal_client is not None and deal_client != client_ref:
                record = PaymentRecord(record.line, ref, record.received_on, record.amount,
                                       deal_ref, deal_client)
            new[ref] = record
            lines[ref] = record.line
        self._count_new("payments", new)

    def _activities(self) -> None:
        file = self.parsed.activities
        plan = self.plan
        stored = _existing(Activity, "ref", [r.ref for r in file.records])
        for record in file.records:
            before = len(self.problems)
            if self._client(record.client_ref) is None:
                self._refuse(file, record, "client_id",
                             f"no client with id {record.client_ref!r}")
            if self._employee(record.employee_ref) is None:
                self._refuse(file, record, "employee_id",
                             f"no employee with id {record.employee_ref!r}")
            for material in record.materials:
                if material not in plan.materials and material not in plan.known_materials:
                    self._refuse(file, record, "materials",
                                 f"no sales material with id {material!r}")
            if len(self.problems) > before:
                continue
            if record.ref in stored:
                activity = stored[record.ref]
                # A planned activity now done: its outcome, and the day it was done.
                completed = not activity.outcome and record.outcome
                changes = self._sync(file, record, "activities", "activity", record.ref, {
                    "kind": activity.kind, "date": activity.day, "outcome": activity.outcome,
                }, {"kind": record.kind, "date": record.day, "outcome": record.outcome},
                    updatable={"date", "outcome"} if completed else set(),
                    why="a planned activity is completed with its outcome; one done stays as it "
                    "was")
                if changes:
                    plan.activity_updates.append((activity, record.outcome, record.day,
                                                  record.materials))
                continue
            plan.activities[record.ref] = record
            self.report.count("activities", created=True)

    def _month_values(self, file: ParsedFile[MonthValueRecord], name: str, model: Any,
                      key: str, value_field: str, into: list[MonthValueRecord]) -> None:
        stored = {(o.month, getattr(o, key)): getattr(o, value_field) for o in model.objects.all()}
        for record in file.records:
            found = stored.get((record.month, record.key))
            if found is None:
                into.append(record)
                self.report.count(name, created=True)
            elif found != record.value:
                self._refuse(file, record, value_field, f"{record.month:%Y-%m} {record.key} is "
                             f"already {found} in the database")
            else:
                self.report.count(name, created=False)


@dataclass
class ReplayInput:
    wins: list[Win]
    payments: list[Pay]
    cancels: list[Cancel]
    managers: list[Manager]
    starts: dict[str, ClientStart]
    last_manager: str | None
    chosen: dict[str, str]
    handoff_on_payment: bool


def replay_input(plan: Plan) -> ReplayInput:
    """The events of the plan (new deals won or cancelled, stored deals the file wins or
    cancels, new payments) and the stored state they start from. A deal's key in the ledgers is
    its primary key when stored, else its id (a str is never equal to an int)."""
    wins: list[Win] = []
    cancels: list[Cancel] = []
    for ref, deal in plan.deals.items():
        if deal.won_on is not None:
            wins.append(Win(deal.won_on, ref, ref, deal.client_ref, plan.figures[ref].amount))
        if deal.status == DealStatus.CANCELLED:
            assert deal.closed_on is not None  # parse refuses a cancelled deal without its day
            cancels.append(Cancel(deal.closed_on, ref, ref, deal.client_ref))
    for ref in plan.deal_moves:
        stored = plan.known_deals[ref]  # moved on in memory by the plan
        was_won = plan.deal_updates[ref]["status"][0] == DealStatus.WON
        if stored.won_on is not None and not was_won:
            wins.append(Win(stored.won_on, stored.pk, ref, stored.client.ref, stored.amount))
        if stored.status == DealStatus.CANCELLED:
            assert stored.closed_on is not None  # moved on with the file's closing day
            cancels.append(Cancel(stored.closed_on, stored.pk, ref, stored.client.ref))
    stored_deals = {ref: d.pk for ref, d in plan.known_deals.items() if ref not in plan.deals}
    payments: list[Pay] = []
    for p in plan.payments.values():
        assert p.client_ref is not None  # set on every payment of the plan (Plan.payments)
        payments.append(Pay(
            p.received_on, p.ref, p.ref, p.client_ref, p.amount,
            None if p.deal_ref is None else stored_deals.get(p.deal_ref, p.deal_ref), p.deal_ref))
    # The stored clients the events touch start from what is stored.
    starts: dict[str, ClientStart] = {}
    stored_clients = {**{d.client.ref: d.client for d in plan.known_deals.values()},
                      **plan.known_clients}
    touched = {w.client for w in wins} | {c.client for c in cancels} | {p.client for p in payments}
    for ref in sorted(touched - set(plan.clients)):
        client = stored_clients.get(ref) or Client.objects.get(ref=ref)
        numbers = Deal.objects.filter(client=client).values_list("number", flat=True)
        starts[ref] = ClientStart(load_ledger(client), next_number(numbers) - 1,
                                  client.handed_off_on)
    staff: list[Employee | EmployeeRecord] = [*plan.known_employees.values(),
                                              *plan.employees.values()]
    managers = sorted(
        (e for e in staff if e.role == Role.ACCOUNT_MANAGER),
        key=lambda e: (0, e.pk) if isinstance(e, Employee) else (1, 0))
    last = (Ownership.objects.filter(reason=OwnershipReason.HANDOFF, employee__isnull=False)
            .order_by("-id").values_list("employee__ref", flat=True).first())
    return ReplayInput(wins, payments, cancels,
                       [Manager(m.ref, m.hired_on, m.left_on) for m in managers], starts, last,
                       dict(plan.client_am), settings.SALESRELAY["HANDOFF_ON"] == "payment")


def _client_ref(deal: DealRecord | Deal) -> str:
    return deal.client_ref if isinstance(deal, DealRecord) else deal.client.ref


def _total(lines: Any, price: str) -> Decimal:
    return sum((round_money(x.quantity * getattr(x, price)) for x in lines), ZERO)


def _existing(model: Any, field_name: str, values: list[str], *related: str) -> dict[str, Any]:
    """The records of the file already stored, by id (none to look up in an empty table)."""
    values = [v for v in values if v]
    found: dict[str, Any] = {}
    if not values or not model.objects.exists():
        return found
    for start in range(0, len(values), CHUNK):
        chunk = values[start:start + CHUNK]
        for obj in model.objects.filter(**{f"{field_name}__in": chunk}).select_related(*related):
            found[getattr(obj, field_name)] = obj
    return found


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    return repr(str(value))
