"""What a component kind is, and what it may read and write while a month is paid.

A kind's ``compute(context, plan, component)`` sees the month through :class:`MonthContext`, a
protocol: the components depend on this module only, and :mod:`salesrelay.engine.payroll`, which
runs them, provides the context. So the plugins never import the calculator that imports them::

    engine.payroll ──▶ engine.components ──▶ engine.components.base
    (payroll's MonthBeingPaid is a MonthContext; nothing below imports payroll)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History
from salesrelay.engine.lines import Line
from salesrelay.engine.periods import Month

if TYPE_CHECKING:
    from salesrelay.engine.params import Reader
    from salesrelay.engine.plans import Component, Plan


class MonthContext(Protocol):
    """One month being paid: the history read, the lines written so far, the company figures.

    ``variable_pay``, ``operating_result`` and ``breakeven_revenue`` are known in phase 1 only
    (after every phase-0 component has written its lines)."""

    month: Month
    history: History
    employees: dict[str, Employee]
    deals: dict[str, Deal]
    clients: dict[str, Client]
    allocations: list[tuple[Allocation, Decimal]]
    """The allocations effective in the month, each with the part of it that counts."""
    won: list[Deal]
    cancelled: list[Deal]
    lines: list[Line]
    memo: dict[object, Any]
    """Figures a component computes once a month and reads for every member."""
    problems: list[str]
    collections: Decimal
    gross_profit: Decimal
    fixed_costs: Decimal
    variable_pay: Decimal
    operating_result: Decimal
    breakeven_revenue: Decimal | None

    def members(self, plan: Plan) -> list[tuple[Employee, int]]:
        """The employees ``plan`` covers in the month, with their days under it, in id order."""

    def credited(self, credit_to: str, deal: Deal, day: date) -> Employee | None:
        """Who a deal's share goes to on ``day``."""

    def pay(self, employee: Employee, line: Line, day: date, *, pay_after_leaving: bool) -> None:
        """A line for an employee employed on ``day``; otherwise it is reported forfeited."""


@dataclass(frozen=True)
class Kind:
    """A component kind: its name, its phase (0: computed first; 1: after the company's
    variable pay is known), ``parse`` (read and check a plan file's parameters) and ``compute``
    (write the month's lines)."""

    name: str
    phase: int
    parse: Callable[[Reader], Any]
    compute: Callable[[MonthContext, Plan, Component], None]
