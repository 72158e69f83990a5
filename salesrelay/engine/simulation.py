"""Replaying a range of months under a plan, storing nothing (SPEC §3, Simulation).

>>> result = simulate(history, plans)      # doctest: +SKIP
>>> [m.company.operating_result for m in result.months]    # doctest: +SKIP

Per month the company's *R*, *G*, *F*, *V*, *O* and break-even revenue and every employee's pay;
over the range each employee's pay against ``market_salary``; and the acquisition cost of the
clients won in the range — what their hunters' profit shares cost — against the gross profit
those clients have brought so far.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from salesrelay.engine.inputs import Employee, History
from salesrelay.engine.money import ZERO, round_money, times
from salesrelay.engine.ordinals import id_sort_key
from salesrelay.engine.payroll import Calculator, Payroll, collected_profit
from salesrelay.engine.periods import Month, overlap_days
from salesrelay.engine.plans import PlanSet


@dataclass(frozen=True)
class EmployeePay:
    employee: Employee
    pay: Decimal
    months_employed: int
    average_month: Decimal
    against_market: Decimal | None


@dataclass(frozen=True)
class Cohort:
    month: Month
    new_clients: int
    hunter_shares: Decimal
    gross_profit: Decimal

    @property
    def cost_per_client(self) -> Decimal | None:
        return None if self.new_clients == 0 else round_money(self.hunter_shares / self.new_clients)


@dataclass(frozen=True)
class Simulation:
    months: tuple[Payroll, ...]
    employees: tuple[EmployeePay, ...]
    cohorts: tuple[Cohort, ...]

    @property
    def new_clients(self) -> int:
        return sum(c.new_clients for c in self.cohorts)

    @property
    def hunter_shares(self) -> Decimal:
        return sum((c.hunter_shares for c in self.cohorts), ZERO)

    @property
    def gross_profit(self) -> Decimal:
        return sum((c.gross_profit for c in self.cohorts), ZERO)

    @property
    def cost_per_client(self) -> Decimal | None:
        count = self.new_clients
        return None if count == 0 else round_money(self.hunter_shares / count)


def simulate(history: History, plans: PlanSet) -> Simulation:
    calculator = Calculator(history, plans)
    months = tuple(calculator.months())
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payroll in months:
        for line in payroll.lines:
            totals[line.employee_id] += line.amount
    employees = []
    for employee in sorted(history.employees, key=lambda e: id_sort_key(e.id)):
        if employee.id not in totals:
            continue
        employed = sum(1 for m in months if overlap_days(m.month.first, m.month.last,
                                                         employee.hired_on, employee.left_on))
        average = round_money(totals[employee.id] / employed) if employed else ZERO
        market = employee.market_salary
        ratio = times(average, market)
        employees.append(EmployeePay(employee, totals[employee.id], employed, average, ratio))
    return Simulation(months, tuple(employees), _cohorts(calculator, months))


def _cohorts(calculator: Calculator, months: tuple[Payroll, ...]) -> tuple[Cohort, ...]:
    """Clients whose deal 1 was won in the range, by month of that win."""
    cohort_of: dict[str, Month] = {}
    for deal in calculator.deals.values():
        won = Month.of(deal.won_on)
        if deal.number == 1 and calculator.history.first <= won <= calculator.history.last:
            cohort_of[deal.client_id] = won
    shares: dict[Month, Decimal] = defaultdict(lambda: ZERO)
    for payroll in months:
        for line in payroll.lines:
            if line.kind != "deal_profit_share" or line.client_id not in cohort_of:
                continue
            if line.employee_id == calculator.history.clients[line.client_id].acquired_by:
                shares[cohort_of[line.client_id]] += line.amount
    profit: dict[Month, Decimal] = defaultdict(lambda: Decimal(0))
    for allocations in calculator.by_month.values():
        for allocation, counted in allocations:
            deal = calculator.deals[allocation.deal_id]
            if deal.client_id in cohort_of:
                profit[cohort_of[deal.client_id]] += collected_profit(deal, counted)
    count: dict[Month, int] = defaultdict(int)
    for month in cohort_of.values():
        count[month] += 1
    return tuple(Cohort(month, count[month], shares[month], round_money(profit[month]))
                 for month in sorted(count))
