"""Small builders so an engine test reads like the business: who, which deal, what was paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History, Meeting, Span
from salesrelay.engine.payroll import Calculator, Payroll
from salesrelay.engine.periods import Month
from salesrelay.engine.plans import parse_plans

D = Decimal


def hunter(id: str, hired: str = "2025-01-01", left: str | None = None, **more) -> Employee:
    return Employee(id, f"Hunter {id}", "acquisition", "hunter", date.fromisoformat(hired),
                    date.fromisoformat(left) if left else None, **more)


def manager(id: str, hired: str = "2025-01-01", left: str | None = None, weight: str = "1",
            **more) -> Employee:
    return Employee(id, f"Manager {id}", "account_management", "account_manager",
                    date.fromisoformat(hired), date.fromisoformat(left) if left else None,
                    D(weight), **more)


def client(id: str, acquired_by: str | None, *owners: tuple[str | None, str, str],
           segment: str = "dealer") -> Client:
    """``owners``: (employee id, department, from) in order; each runs until the next one."""
    spans = []
    for index, (employee, department, start) in enumerate(owners):
        end = owners[index + 1][2] if index + 1 < len(owners) else None
        spans.append(Span(employee, department, date.fromisoformat(start),
                          date.fromisoformat(end) if end else None))
    return Client(id, segment, acquired_by, tuple(spans))


def deal(id: str, client_id: str, number: int, won: str, amount: str, profit: str,
         owner: str = "1", cancelled: str | None = None) -> Deal:
    return Deal(id, client_id, owner, number, date.fromisoformat(won), D(amount), D(profit),
                date.fromisoformat(cancelled) if cancelled else None)


def paid(payment: str, deal_id: str, amount: str, on: str, received: str | None = None
         ) -> Allocation:
    return Allocation(payment, deal_id, D(amount), date.fromisoformat(on),
                      date.fromisoformat(received or on))


def meeting(id: str, client_id: str, employee: str, on: str) -> Meeting:
    return Meeting(id, client_id, employee, date.fromisoformat(on))


def history(first: str, last: str | None = None, *, employees, clients=(), deals=(),
            allocations=(), before=None, fixed=None, targets=None, meetings=(), wins=None
            ) -> History:
    return History(
        Month.parse(first), Month.parse(last or first), tuple(employees),
        {c.id: c for c in clients}, {d.id: d for d in deals}, tuple(allocations),
        {k: D(v) for k, v in (before or {}).items()},
        {Month.parse(k): D(v) for k, v in (fixed or {}).items()},
        {(Month.parse(m), metric): D(v) for (m, metric), v in (targets or {}).items()},
        tuple(meetings),
        {k: tuple(date.fromisoformat(d) for d in v) for k, v in (wins or {}).items()},
    )


def run(facts: History, plan_text: str, month: str | None = None) -> Payroll:
    calculator = Calculator(facts, parse_plans(plan_text))
    return calculator.month(Month.parse(month) if month else facts.first)


def amounts(payroll: Payroll, employee_id: str) -> list[tuple[str, Decimal]]:
    return [(line.component, line.amount) for line in payroll.lines_of(employee_id)]


HUNTERS = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2025-01-01

  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.90"
"""

MANAGERS = """
[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2025-01-01

  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  rate = "0.05"
"""
