"""One month's pay, and the company's figures that go with it (SPEC §3).

>>> calculator = Calculator(history, plans)       # doctest: +SKIP
>>> march = calculator.month(Month(2026, 3))      # doctest: +SKIP
>>> march.total("7"), march.company.breakeven_revenue   # doctest: +SKIP

The calculator works in two phases. First every component that does not depend on the others
(salary, deal profit shares, collections pools, KPI bonuses); then the company figures that need
the variable pay *V* of the first phase, and the break-even bonus that needs the operating result.
Component kinds are plugins (:mod:`salesrelay.engine.components`); this module knows none of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from salesrelay.engine.components import KINDS, VARIABLE_PAY_KINDS
from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History
from salesrelay.engine.lines import Line
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.ordinals import id_key_for, id_sort_key
from salesrelay.engine.periods import Month, months_between, overlap_days
from salesrelay.engine.plans import Component, Plan, PlanSet


@dataclass(frozen=True)
class CompanyFigures:
    collections: Decimal
    gross_profit: Decimal
    fixed_costs: Decimal
    variable_pay: Decimal
    operating_result: Decimal
    breakeven_revenue: Decimal | None
    new_clients: int


@dataclass(frozen=True)
class Payroll:
    month: Month
    company: CompanyFigures
    employees: tuple[Employee, ...]
    lines: tuple[Line, ...]
    forfeited: tuple[Line, ...]
    problems: tuple[str, ...]

    def lines_of(self, employee_id: str) -> list[Line]:
        return [line for line in self.lines if line.employee_id == employee_id]

    def total(self, employee_id: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.employee_id == employee_id), ZERO)

    def totals(self) -> dict[str, Decimal]:
        result: dict[str, Decimal] = {e.id: ZERO for e in self.employees}
        for line in self.lines:
            result[line.employee_id] = result.get(line.employee_id, ZERO) + line.amount
        return result


def counted_parts(allocations: tuple[Allocation, ...], deals: dict[str, Deal],
                  before: dict[str, Decimal]) -> list[Decimal]:
    """For each allocation, the part *c* that moves its deal's cumulative amount within
    ``[0, amount]``: ``clamp(cum + x) − clamp(cum)``."""
    cumulative = dict(before)
    result = []
    for allocation in allocations:
        deal = deals[allocation.deal_id]
        cum = cumulative.get(allocation.deal_id, ZERO)
        new = cum + allocation.amount
        cumulative[allocation.deal_id] = new
        result.append(_clamp(new, deal.amount) - _clamp(cum, deal.amount))
    return result


def _clamp(value: Decimal, high: Decimal) -> Decimal:
    return min(max(value, ZERO), high)


def collected_profit(deal: Deal, counted: Decimal) -> Decimal:
    """``profit × c / amount``: the gross profit a counted part of a payment brings."""
    if counted == 0 or deal.amount == 0:
        return ZERO
    return deal.profit * counted / deal.amount


def plan_members(employees: Mapping[str, Employee], month: Month, plan: Plan
                 ) -> list[tuple[Employee, int]]:
    """The employees a plan covers with the days of the month they were employed while it was in
    effect; only those with at least one such day, in id order."""
    first, last = month.first, month.last
    start = max(first, plan.effective_from)
    end = last if plan.effective_to is None else min(last, plan.effective_to)
    if end < start:
        return []
    result = []
    for employee in sorted(employees.values(), key=lambda e: id_sort_key(e.id)):
        if plan.covers(employee):
            days = overlap_days(start, end, employee.hired_on, employee.left_on)
            if days > 0:
                result.append((employee, days))
    return result


def credited_employee(clients: Mapping[str, Client], employees: Mapping[str, Employee],
                      credit_to: str, deal: Deal, day: date) -> Employee | None:
    """Who a deal's share goes to on ``day``: the acquirer, the deal's owner, or the client's
    owner that day."""
    if credit_to == "acquirer":
        employee_id = clients[deal.client_id].acquired_by
    elif credit_to == "deal_owner":
        employee_id = deal.owner_id
    else:
        span = clients[deal.client_id].owner_on(day)
        employee_id = None if span is None else span.employee_id
    return None if employee_id is None else employees.get(employee_id)


class Calculator:
    """Pay for any month of a :class:`History` under one :class:`PlanSet`."""

    def __init__(self, history: History, plans: PlanSet) -> None:
        self.history = history
        self.plans = plans
        self.employees = {e.id: e for e in history.employees}
        self.clients: dict[str, Client] = dict(history.clients)
        self.deals = dict(history.deals)
        parts = counted_parts(history.allocations, self.deals, dict(history.allocated_before))
        # Grouped by (year, month) first: a million Month objects would cost more than the rest.
        by_month: dict[tuple[int, int], list[tuple[Allocation, Decimal]]] = defaultdict(list)
        for allocation, part in zip(history.allocations, parts, strict=True):
            day = allocation.effective_on
            by_month[day.year, day.month].append((allocation, part))
        self.by_month = {Month(*key): rows for key, rows in by_month.items()}
        won: dict[tuple[int, int], list[Deal]] = defaultdict(list)
        cancelled: dict[tuple[int, int], list[Deal]] = defaultdict(list)
        for deal in self.deals.values():
            won[deal.won_on.year, deal.won_on.month].append(deal)
            if deal.cancelled_on is not None:
                cancelled[deal.cancelled_on.year, deal.cancelled_on.month].append(deal)
        deal_key = id_key_for(self.deals)
        for deals in (*won.values(), *cancelled.values()):
            deals.sort(key=lambda d: (d.won_on, deal_key(d.id)))
        self.won = {Month(*key): deals for key, deals in won.items()}
        self.cancelled = {Month(*key): deals for key, deals in cancelled.items()}

    def months(self) -> list[Payroll]:
        return [self.month(m) for m in months_between(self.history.first, self.history.last)]

    def month(self, month: Month) -> Payroll:
        if not self.history.first <= month <= self.history.last:
            raise ValueError(f"{month} is outside the history loaded ({self.history.first} to "
                             f"{self.history.last})")
        context = MonthBeingPaid(self, month)
        phases: list[list[tuple[Plan, Component]]] = [[], []]
        for plan in self.plans.plans:
            for component in plan.components:
                phases[KINDS[component.kind].phase].append((plan, component))
        for plan, component in phases[0]:
            KINDS[component.kind].compute(context, plan, component)
        context.close_variable_pay()
        for plan, component in phases[1]:
            KINDS[component.kind].compute(context, plan, component)
        return context.result()


class MonthBeingPaid:
    """What the components of one month read, and where they write their lines: the
    :class:`~salesrelay.engine.components.base.MonthContext` they are given."""

    def __init__(self, calculator: Calculator, month: Month) -> None:
        self.calculator = calculator
        self.history = calculator.history
        self.month = month
        self.employees = calculator.employees
        self.deals = calculator.deals
        self.clients = calculator.clients
        self.allocations = calculator.by_month.get(month, [])
        self.won = calculator.won.get(month, [])
        self.cancelled = calculator.cancelled.get(month, [])
        self.lines: list[Line] = []
        self.forfeited: list[Line] = []
        self.memo: dict[object, Any] = {}
        """Figures a component computes once a month and reads for every member."""
        self.problems: list[str] = []
        self.collections = sum((a.amount for a, _ in self.allocations), ZERO)
        with localcontext() as exact:
            exact.prec = 40
            profit = sum((collected_profit(self.deals[a.deal_id], c) for a, c in self.allocations),
                         Decimal(0))
        self.gross_profit = round_money(profit)
        self.fixed_costs = self.history.fixed_costs.get(month, ZERO)
        self.variable_pay = ZERO
        self.operating_result = ZERO
        self.breakeven_revenue: Decimal | None = None

    # Who --------------------------------------------------------------------------------------
    def members(self, plan: Plan) -> list[tuple[Employee, int]]:
        return plan_members(self.employees, self.month, plan)

    def credited(self, credit_to: str, deal: Deal, day: date) -> Employee | None:
        return credited_employee(self.clients, self.employees, credit_to, deal, day)

    # Writing ---------------------------------------------------------------------------------
    def pay(self, employee: Employee, line: Line, day: date, *, pay_after_leaving: bool) -> None:
        """Pay a line to an employee who was employed on ``day``; otherwise report it forfeited."""
        if employee.employed_on(day) or pay_after_leaving:
            self.lines.append(line)
        elif day < employee.hired_on:
            self.forfeited.append(replace(line, reason=f"not employed until {employee.hired_on}"))
        else:
            self.forfeited.append(replace(line, reason=f"left on {employee.left_on}"))

    def close_variable_pay(self) -> None:
        self.variable_pay = sum(
            (line.amount for line in self.lines if line.kind in VARIABLE_PAY_KINDS), ZERO)
        self.operating_result = self.gross_profit - self.fixed_costs - self.variable_pay
        margin = self.gross_profit - self.variable_pay
        if margin > 0 and self.collections != 0:
            with localcontext() as exact:
                exact.prec = 40
                self.breakeven_revenue = round_money(
                    self.fixed_costs * self.collections / margin)

    def result(self) -> Payroll:
        listed = {employee.id for plan in self.calculator.plans.plans
                  for employee, _ in self.members(plan)}
        listed.update(line.employee_id for line in self.lines)
        employees = tuple(sorted((self.employees[i] for i in listed if i in self.employees),
                                 key=lambda e: id_sort_key(e.id)))
        new_clients = sum(1 for deal in self.won if deal.number == 1)
        company = CompanyFigures(self.collections, self.gross_profit, self.fixed_costs,
                                 self.variable_pay, self.operating_result,
                                 self.breakeven_revenue, new_clients)
        return Payroll(self.month, company, employees, tuple(self.lines),
                       tuple(self.forfeited), tuple(self.problems))
