"""Stage 2 of an import: the rows of each file as frozen records, every bad cell reported.

Nothing here looks at the database or at another file: a cell that is not a date, a won deal
without its win date, an id twice in the file are found from the row and its file alone. What the
rows mean together and against what is stored is the plan's (``salesrelay.imports.plan``).

>>> from salesrelay.imports.reader import read_text
>>> table = read_text("payments", "id,received_on,amount,deal_id\\nP1,2026-01-20,100,7\\n")
>>> problems = []
>>> [(p.line, p.ref, p.received_on, p.amount, p.deal_ref) for p in parse_payments(table, problems).records]
[(2, 'P1', datetime.date(2026, 1, 20), Decimal('100.00'), '7')]

A row with a problem gives no record; its problems are ``Problem`` values
(``deals.csv:17: won_on: '31.02.2026' is not a date``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from salesrelay.clients.names import normalize_name
from salesrelay.deals.choices import DealStatus
from salesrelay.engine.money import ZERO
from salesrelay.imports.formats import (
    FORMATS,
    NotPlain,
    parse_date,
    parse_money,
    parse_month,
    parse_number,
    plain_day,
    plain_money,
)
from salesrelay.imports.reader import Problem, Table
from salesrelay.materials.choices import MaterialKind
from salesrelay.payments.rules import Refusal, refusals
from salesrelay.people.actions import check_role
from salesrelay.pipeline.choices import ActivityKind, Outcome

# The payment rules (``payments.rules``) in an import's words: the column each is about, and why.
PAYMENT_COLUMNS = {"deal": "deal_id", "client": "client_id", "amount": "amount"}
PAYMENT_REFUSALS = {
    Refusal.NO_TARGET: "a payment names its deal or its client",
    Refusal.ZERO: "a payment of zero applies to nothing",
    Refusal.OTHER_CLIENT: "the deal is a deal of another client",
    Refusal.LOST_DEAL: "the deal is lost",
}

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class EmployeeRecord:
    line: int
    ref: str
    name: str
    email: str
    department: str
    role: str
    hired_on: date
    left_on: date | None
    pool_weight: Decimal
    market_salary: Decimal | None


@dataclass(frozen=True, slots=True)
class MaterialRecord:
    line: int
    ref: str
    title: str
    kind: str
    published_on: date | None


@dataclass(frozen=True, slots=True)
class ProductRecord:
    line: int
    sku: str
    name: str
    price: Decimal
    unit_cost: Decimal
    product_line: str  # the file's ``line`` column: the product line it belongs to


@dataclass(frozen=True, slots=True)
class ClientRecord:
    line: int
    ref: str
    name: str
    segment: str
    acquired_by: str | None
    created_on: date
    tax_id: str | None
    account_manager: str | None


@dataclass(frozen=True, slots=True)
class DealRecord:
    line: int
    ref: str
    client_ref: str
    owner_ref: str
    status: str
    created_on: date
    won_on: date | None
    closed_on: date | None
    amount: Decimal | None
    cost: Decimal | None
    direct_cost: Decimal


@dataclass(frozen=True, slots=True)
class LineRecord:
    line: int
    deal_ref: str
    sku: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal | None  # None: the product's unit cost


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    line: int
    ref: str
    received_on: date
    amount: Decimal
    deal_ref: str | None
    client_ref: str | None


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    line: int
    ref: str
    client_ref: str
    employee_ref: str
    kind: str
    day: date
    outcome: str
    materials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MonthValueRecord:
    """A row of ``fixed_costs`` (``key`` is its category) or ``targets`` (its metric)."""

    line: int
    month: date
    key: str
    value: Decimal


@dataclass
class ParsedFile(Generic[R]):
    label: str
    columns: frozenset[str]
    records: list[R] = field(default_factory=list)


@dataclass
class Parsed:
    """Every file of an import as records (an absent file is an empty one)."""

    employees: ParsedFile[EmployeeRecord]
    materials: ParsedFile[MaterialRecord]
    products: ParsedFile[ProductRecord]
    clients: ParsedFile[ClientRecord]
    deals: ParsedFile[DealRecord]
    deal_lines: ParsedFile[LineRecord]
    payments: ParsedFile[PaymentRecord]
    activities: ParsedFile[ActivityRecord]
    fixed_costs: ParsedFile[MonthValueRecord]
    targets: ParsedFile[MonthValueRecord]


class _Row:
    """The cells of one row, read by column; a bad cell is a problem and marks the row bad."""

    __slots__ = ("index", "label", "line", "cells", "problems", "bad")

    def __init__(self, index: dict[str, int], label: str, line: int,
                 cells: tuple[str | None, ...], problems: list[Problem]) -> None:
        self.index = index
        self.label = label
        self.line = line
        self.cells = cells
        self.problems = problems
        self.bad: set[str] = set()

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(Problem(self.label, self.line, column, reason))
        self.bad.add(column)

    def get(self, column: str, parse: Callable[[str], Any] | None = None, *,
            required: bool = False, default: Any = None) -> Any:
        i = self.index.get(column)
        text = None if i is None else self.cells[i]
        if text is None:
            if required:
                self.problem(column, "required value is missing")
            return default
        if parse is None:
            return text
        try:
            return parse(text)
        except ValueError as error:
            self.problem(column, str(error))
            return default

    def unique(self, column: str, value: str | None, seen: set[Any]) -> None:
        if value is None:
            return
        if value in seen:
            self.problem(column, f"id {value!r} appears twice in the file")
        seen.add(value)


def _rows(table: Table | None, name: str, problems: list[Problem]):
    """The file's label and columns, and its rows as ``_Row``s."""
    label = table.label if table is not None else f"{name}.csv"
    index = table.columns if table is not None else {}
    columns = frozenset(index)
    rows = ((_Row(index, label, line, cells, problems) for line, cells in table.rows)
            if table is not None else iter(()))
    return label, columns, rows


def _choice(values: list[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(f"{text!r} is not one of {', '.join(values)}")
        return text
    return parse


def _non_negative(parse: Callable[[str], Decimal]) -> Callable[[str], Decimal]:
    def checked(text: str) -> Decimal:
        value = parse(text)
        if value < 0:
            raise ValueError(f"{text!r} is negative")
        return value
    return checked


MATERIAL_KINDS = _choice(MaterialKind.values)
DEAL_STATUSES = _choice(DealStatus.values)
ACTIVITY_KINDS = _choice(ActivityKind.values)
OUTCOMES = _choice(Outcome.values)
money_nn = _non_negative(parse_money)
number_nn = _non_negative(parse_number)
ONE = Decimal("1")


def parse_employees(table: Table | None, problems: list[Problem]) -> ParsedFile[EmployeeRecord]:
    label, columns, rows = _rows(table, "employees", problems)
    parsed: ParsedFile[EmployeeRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    for row in rows:
        ref = row.get("id", required=True)
        name = row.get("name", required=True)
        email = row.get("email", default="")
        department = row.get("department", required=True)
        role = row.get("role", required=True)
        hired_on = row.get("hired_on", parse_date, required=True)
        left_on = row.get("left_on", parse_date)
        weight = row.get("pool_weight", number_nn, default=ONE)
        market = row.get("market_salary", money_nn)
        if department and role and (why := check_role(department, role)):
            row.problem("role", why)
        if hired_on and left_on and left_on < hired_on:
            row.problem("left_on", "is before hired_on")
        row.unique("id", ref, seen)
        if not row.bad:
            parsed.records.append(EmployeeRecord(row.line, ref, name, email, department, role,
                                                 hired_on, left_on, weight, market))
    return parsed


def parse_materials(table: Table | None, problems: list[Problem]) -> ParsedFile[MaterialRecord]:
    label, columns, rows = _rows(table, "materials", problems)
    parsed: ParsedFile[MaterialRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    for row in rows:
        ref = row.get("id", required=True)
        title = row.get("title", required=True)
        kind = row.get("kind", MATERIAL_KINDS, required=True)
        published_on = row.get("published_on", parse_date)
        row.unique("id", ref, seen)
        if not row.bad:
            parsed.records.append(MaterialRecord(row.line, ref, title, kind, published_on))
    return parsed


def parse_products(table: Table | None, problems: list[Problem]) -> ParsedFile[ProductRecord]:
    label, columns, rows = _rows(table, "products", problems)
    parsed: ParsedFile[ProductRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    for row in rows:
        sku = row.get("sku", required=True)
        name = row.get("name", required=True)
        price = row.get("price", money_nn, required=True)
        unit_cost = row.get("unit_cost", money_nn, required=True)
        product_line = row.get("line", default="")
        row.unique("sku", sku, seen)
        if not row.bad:
            parsed.records.append(ProductRecord(row.line, sku, name, price, unit_cost,
                                                product_line))
    return parsed


def parse_clients(table: Table | None, problems: list[Problem]) -> ParsedFile[ClientRecord]:
    """Tax ids are checked here within the file (one tax id, one client); against the database
    in the plan."""
    label, columns, rows = _rows(table, "clients", problems)
    parsed: ParsedFile[ClientRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    seen_tax: dict[str, str] = {}
    for row in rows:
        ref = row.get("id", required=True)
        name = row.get("name", required=True)
        segment = row.get("segment", required=True)
        acquired_by = row.get("acquired_by")
        created_on = row.get("created_on", parse_date, required=True)
        tax_id = row.get("tax_id")
        account_manager = row.get("account_manager")
        if tax_id:
            if tax_id in seen_tax and seen_tax[tax_id] != ref:
                row.problem("tax_id", f"tax id {tax_id!r} is also client {seen_tax[tax_id]!r}")
            seen_tax[tax_id] = ref
        if name is not None and not normalize_name(name):
            row.problem("name", "a client needs a name")
        row.unique("id", ref, seen)
        if not row.bad:
            parsed.records.append(ClientRecord(row.line, ref, name, segment, acquired_by,
                                               created_on, tax_id, account_manager))
    return parsed


def parse_deals(table: Table | None, problems: list[Problem]) -> ParsedFile[DealRecord]:
    """Nearly every row of an export is plain (ISO dates, amounts like ``1234.50``, a status and
    dates that agree): read at once from its cells. Any other row is read cell by cell, which
    says what is wrong with it."""
    label, columns, rows = _rows(table, "deals", problems)
    parsed: ParsedFile[DealRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    if table is None:
        return parsed
    add = parsed.records.append
    found = [table.columns.get(c) for c in ("id", "client_id", "owner_id", "status", "created_on",
                                            "won_on", "closed_on", "amount", "cost",
                                            "direct_cost")]
    none = len(table.columns)  # the None each row is given at its end
    at = [none if i is None else i for i in found]  # an absent column reads as the empty cell
    statuses = set(DealStatus.values)
    won_statuses = {DealStatus.WON.value, DealStatus.CANCELLED.value}
    closed_statuses = {DealStatus.LOST.value, DealStatus.CANCELLED.value}
    index, day, money = table.columns, plain_day, plain_money
    for line, cells in table.rows:
        row = (*cells, None)
        (ref, client_ref, owner_ref, status, created, won, closed, amount, cost,
         direct) = [row[i] for i in at]
        try:
            if ref is None or client_ref is None or owner_ref is None or ref in seen \
                    or status not in statuses:
                raise NotPlain(ref)
            # A None cell raises TypeError here and takes the cell-by-cell path (hence the ignore).
            created_on = day(created)  # type: ignore[arg-type]
            won_on = None if won is None else day(won)
            closed_on = None if closed is None else day(closed)
            amount_value = None if amount is None else money(amount)
            cost_value = None if cost is None else money(cost)
            direct_value = ZERO if direct is None else money(direct)
        except (NotPlain, TypeError):
            record = _deal_row(_Row(index, label, line, cells, problems), seen)
            if record is not None:
                add(record)
            continue
        if ((won_on is not None) != (status in won_statuses)
                or (closed_on is not None) != (status in closed_statuses)
                or (amount_value is not None and amount_value < 0)
                or (cost_value is not None and cost_value < 0) or direct_value < 0
                or (won_on is not None and won_on < created_on)
                or (closed_on is not None and closed_on < (won_on or created_on))):
            record = _deal_row(_Row(index, label, line, cells, problems), seen)
            if record is not None:
                add(record)
            continue
        seen.add(ref)
        add(DealRecord(line, ref, client_ref, owner_ref, status, created_on, won_on, closed_on,
                       amount_value, cost_value, direct_value))
    return parsed


def _deal_row(row: _Row, seen: set[str]) -> DealRecord | None:
    ref = row.get("id", required=True)
    client_ref = row.get("client_id", required=True)
    owner_ref = row.get("owner_id", required=True)
    status = row.get("status", DEAL_STATUSES, required=True)
    created_on = row.get("created_on", parse_date, required=True)
    won_on = row.get("won_on", parse_date)
    closed_on = row.get("closed_on", parse_date)
    amount = row.get("amount", money_nn)
    cost = row.get("cost", money_nn)
    direct = row.get("direct_cost", money_nn, default=ZERO)
    if status in (DealStatus.WON, DealStatus.CANCELLED) and won_on is None \
            and "won_on" not in row.bad:
        row.problem("won_on", f"a {status} deal needs the date it was won")
    if status in (DealStatus.OPEN, DealStatus.LOST) and won_on is not None:
        row.problem("won_on", f"a {status} deal has no win date")
    if status == DealStatus.CANCELLED and closed_on is None:
        row.problem("closed_on", "a cancelled deal needs the date it was cancelled")
    if status in (DealStatus.OPEN, DealStatus.WON) and closed_on is not None:
        row.problem("closed_on", f"a {status} deal is not closed")
    if created_on and won_on and won_on < created_on:
        row.problem("won_on", "is before created_on")
    if won_on and closed_on and closed_on < won_on:
        row.problem("closed_on", "is before won_on")
    if created_on and closed_on and closed_on < created_on:
        row.problem("closed_on", "is before created_on")
    row.unique("id", ref, seen)
    if row.bad:
        return None
    return DealRecord(row.line, ref, client_ref, owner_ref, status, created_on, won_on,
                      closed_on, amount, cost, direct)


def parse_deal_lines(table: Table | None, problems: list[Problem]) -> ParsedFile[LineRecord]:
    label, columns, rows = _rows(table, "deal_lines", problems)
    parsed: ParsedFile[LineRecord] = ParsedFile(label, columns)
    for row in rows:
        deal_ref = row.get("deal_id", required=True)
        sku = row.get("sku", required=True)
        quantity = row.get("quantity", parse_number, required=True)
        price = row.get("unit_price", money_nn, required=True)
        unit_cost = row.get("unit_cost", money_nn)
        if quantity is not None and quantity <= 0:
            row.problem("quantity", "must be above zero")
        if not row.bad:
            parsed.records.append(LineRecord(row.line, deal_ref, sku, quantity, price, unit_cost))
    return parsed


def parse_payments(table: Table | None, problems: list[Problem]) -> ParsedFile[PaymentRecord]:
    """Plain rows at once, any other cell by cell (as ``parse_deals``)."""
    label, columns, rows = _rows(table, "payments", problems)
    parsed: ParsedFile[PaymentRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    if table is None:
        return parsed
    add = parsed.records.append
    found = [table.columns.get(c) for c in ("id", "received_on", "amount", "deal_id", "client_id")]
    none = len(table.columns)  # the None each row is given at its end
    at = [none if i is None else i for i in found]
    index, day, money = table.columns, plain_day, plain_money
    for line, cells in table.rows:
        row = (*cells, None)
        ref, received, amount, deal_ref, client_ref = [row[i] for i in at]
        try:
            # A row a payment rule might refuse (no deal nor client, a zero) goes cell by cell,
            # where ``_payment_row`` asks the rules.
            if ref is None or ref in seen or (deal_ref is None and client_ref is None):
                raise NotPlain(ref)
            # A None cell raises TypeError and takes the cell-by-cell path (hence the ignores).
            received_on = day(received)  # type: ignore[arg-type]
            value = money(amount)  # type: ignore[arg-type]
            if not value:
                raise NotPlain(amount)
        except (NotPlain, TypeError):
            record = _payment_row(_Row(index, label, line, cells, problems), seen)
            if record is not None:
                add(record)
            continue
        seen.add(ref)
        add(PaymentRecord(line, ref, received_on, value, deal_ref, client_ref))
    return parsed


def _payment_row(row: _Row, seen: set[str]) -> PaymentRecord | None:
    ref = row.get("id", required=True)
    received_on = row.get("received_on", parse_date, required=True)
    amount = row.get("amount", parse_money, required=True)
    deal_ref = row.get("deal_id")
    client_ref = row.get("client_id")
    for refusal in refusals(amount=amount, names_deal=bool(deal_ref), names_client=bool(client_ref)):
        row.problem(PAYMENT_COLUMNS[refusal.field], PAYMENT_REFUSALS[refusal])
    row.unique("id", ref, seen)
    if row.bad:
        return None
    return PaymentRecord(row.line, ref, received_on, amount, deal_ref, client_ref)


def parse_activities(table: Table | None, problems: list[Problem]) -> ParsedFile[ActivityRecord]:
    label, columns, rows = _rows(table, "activities", problems)
    parsed: ParsedFile[ActivityRecord] = ParsedFile(label, columns)
    seen: set[str] = set()
    for row in rows:
        ref = row.get("id", required=True)
        client_ref = row.get("client_id", required=True)
        employee_ref = row.get("employee_id", required=True)
        kind = row.get("kind", ACTIVITY_KINDS, required=True)
        day = row.get("date", parse_date, required=True)
        outcome = row.get("outcome", OUTCOMES, default="")
        materials = tuple(m.strip() for m in (row.get("materials") or "").split(";")
                          if m.strip())
        if materials and kind and kind != ActivityKind.MEETING:
            row.problem("materials", "sales materials are shown at meetings only")
        row.unique("id", ref, seen)
        if not row.bad:
            parsed.records.append(ActivityRecord(row.line, ref, client_ref, employee_ref, kind,
                                                 day, outcome, materials))
    return parsed


def _parse_month_values(name: str, key: str, value_column: str,
                        parse: Callable[[str], Decimal]):
    def parse_file(table: Table | None,
                   problems: list[Problem]) -> ParsedFile[MonthValueRecord]:
        label, columns, rows = _rows(table, name, problems)
        parsed: ParsedFile[MonthValueRecord] = ParsedFile(label, columns)
        seen: set[tuple[date, str]] = set()
        for row in rows:
            month = row.get("month", parse_month, required=True)
            label_value = row.get(key, required=True)
            value = row.get(value_column, parse, required=True)
            if row.bad:
                continue
            if (month, label_value) in seen:
                row.problem(key, f"{month:%Y-%m} {label_value} appears twice in the file")
                continue
            seen.add((month, label_value))
            parsed.records.append(MonthValueRecord(row.line, month, label_value, value))
        return parsed
    return parse_file


parse_fixed_costs = _parse_month_values("fixed_costs", "category", "amount", parse_money)
parse_targets = _parse_month_values("targets", "metric", "value", parse_number)


def parse_all(tables: dict[str, Table], problems: list[Problem]) -> Parsed:
    """Every file's records, in the order of ``FORMATS``; problems in file and line order."""
    parsers = {"employees": parse_employees, "materials": parse_materials,
               "products": parse_products, "clients": parse_clients, "deals": parse_deals,
               "deal_lines": parse_deal_lines, "payments": parse_payments,
               "activities": parse_activities, "fixed_costs": parse_fixed_costs,
               "targets": parse_targets}
    assert list(parsers) == list(FORMATS)
    return Parsed(**{name: parse(tables.get(name), problems) for name, parse in parsers.items()})
