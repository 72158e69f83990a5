"""``salary``: ``amount`` a month × days employed in the month / days in the month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from salesrelay.engine.components.base import Kind
from salesrelay.engine.lines import Line, fmt
from salesrelay.engine.money import round_money

if TYPE_CHECKING:
    from salesrelay.engine.components.base import MonthContext
    from salesrelay.engine.params import Reader
    from salesrelay.engine.plans import Component, Plan


@dataclass(frozen=True)
class Salary:
    amount: Decimal


def parse(reader: Reader) -> Salary | None:
    amount = reader.amount("amount")
    reader.finish()
    return None if amount is None else Salary(amount)


def compute(context: MonthContext, plan: Plan, component: Component) -> None:
    params: Salary = component.params
    month_days = context.month.days
    for employee, days in context.members(plan):
        amount = round_money(params.amount * days / month_days)
        if amount == 0:
            continue
        context.lines.append(Line(
            employee.id, plan.id, component.name, component.kind, amount,
            why="salary_full" if days == month_days else "salary_part",
            facts=(("amount", fmt(params.amount)), ("days", str(days)),
                   ("month_days", str(month_days))),
            base=params.amount, rate=Decimal(days) / Decimal(month_days),
        ))


KIND = Kind("salary", 0, parse, compute)
