"""A period's pay as people read it: per employee, every line with its source and sentence.

The same :class:`PeriodReport` comes from a fresh calculation (engine lines, adjustments for
locked periods, manual adjustments) or from the lines stored for a locked period, so the CLI, the
pages and the exports render one thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from salesrelay.compensation.choices import LineSource
from salesrelay.compensation.explain import explain, forfeit_reason
from salesrelay.engine.lines import Line
from salesrelay.engine.money import ZERO, times
from salesrelay.engine.ordinals import id_sort_key
from salesrelay.engine.payroll import CompanyFigures
from salesrelay.engine.periods import Month


@dataclass
class ReportLine:
    employee_id: str
    component: str
    kind: str
    amount: Decimal
    why: str
    facts: dict[str, Any]
    source: str = LineSource.CALCULATED
    plan_id: str = ""
    client_id: str | None = None
    deal_id: str | None = None
    deal_number: int | None = None
    payment_id: str | None = None
    base: Decimal | None = None
    rate: Decimal | None = None
    adjusts: Month | None = None
    reason: str = ""

    @classmethod
    def of(cls, line: Line, source: str = LineSource.CALCULATED) -> ReportLine:
        return cls(line.employee_id, line.component, line.kind, line.amount, line.why,
                   dict(line.facts), source, line.plan_id, line.client_id, line.deal_id,
                   line.deal_number, line.payment_id, line.base, line.rate,
                   reason=line.reason or "")

    @property
    def key(self) -> tuple[str, str, str, str | None, str | None, str | None]:
        return (self.employee_id, self.component, self.kind, self.client_id, self.deal_id,
                self.payment_id)

    @property
    def explanation(self) -> str:
        text = explain(self.why, self.facts)
        if self.source == LineSource.FORFEITED and self.reason:
            return f"{text} ({forfeit_reason(self.reason)})"
        return text


@dataclass
class EmployeeReport:
    id: str
    name: str
    role: str
    department: str
    market_salary: Decimal | None
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def against_market(self) -> Decimal | None:
        return times(self.total, self.market_salary)

    def totals_by_component(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.component] = totals.get(line.component, ZERO) + line.amount
        return list(totals.items())


@dataclass
class PeriodReport:
    month: Month
    status: str
    currency: str
    company: CompanyFigures
    employees: list[EmployeeReport]
    forfeited: list[ReportLine]
    problems: list[str] = field(default_factory=list)
    plan_version: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((e.total for e in self.employees), ZERO)


@dataclass
class EmployeeTotals:
    """An employee's pay in a period by component, summed by the database: what the period page
    lists, without reading the lines (thousands a month on a big history)."""

    id: str
    name: str
    role: str
    department: str
    market_salary: Decimal | None
    components: list[tuple[str, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _component, amount in self.components), ZERO)

    @property
    def against_market(self) -> Decimal | None:
        return times(self.total, self.market_salary)

    def totals_by_component(self) -> list[tuple[str, Decimal]]:
        return self.components


def sort_employees(employees: list[Any]) -> list[Any]:
    return sorted(employees, key=lambda e: id_sort_key(e.id))
