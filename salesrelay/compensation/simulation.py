"""Simulations as the CLI and the simulation page show them: one or two plans side by side.

The CSV and the workbook are built by :mod:`salesrelay.cells` (text no spreadsheet runs, amounts
as numbers).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from salesrelay.cells import MONEY, RATIO, Columns
from salesrelay.compensation.formats import money_text
from salesrelay.compensation.headers import append_header, sheet_name
from salesrelay.compensation.selectors import load_history
from salesrelay.compensation.snapshot import consistent_reads
from salesrelay.engine.money import ZERO, times
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.engine.plans import PlanSet
from salesrelay.engine.simulation import Simulation, simulate
from salesrelay.errors import ActionError, ErrorCode

MAX_MONTHS = 120


@dataclass(frozen=True)
class Scenario:
    name: str
    result: Simulation


def check_range(first: Month, last: Month) -> None:
    if last < first:
        raise ActionError(ErrorCode.INVALID, _("the range %(first)s to %(last)s ends before it "
                                               "starts") % {"first": first, "last": last})
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        raise ActionError(ErrorCode.INVALID, _("a simulation covers at most %(n)s months") % {
            "n": MAX_MONTHS})


def run_simulation(plans: list[tuple[str, PlanSet]], first: Month, last: Month) -> list[Scenario]:
    check_range(first, last)
    with consistent_reads():
        history = load_history(first, last)
    return [Scenario(name, simulate(history, planset)) for name, planset in plans]


def parse_month(text: str) -> Month:
    try:
        return Month.parse(text)
    except PeriodError as error:
        raise ActionError(ErrorCode.INVALID, str(error)) from None


def as_json(scenarios: list[Scenario], first: Month, last: Month, currency: str) -> dict[str, Any]:
    return {
        "from": str(first), "to": str(last), "currency": currency,
        "plans": [_scenario(s) for s in scenarios],
    }


def _scenario(scenario: Scenario) -> dict[str, Any]:
    result = scenario.result
    return {
        "plan": scenario.name,
        "months": [
            {"period": str(p.month),
             "company": {
                 "collections": money_text(p.company.collections),
                 "gross_profit": money_text(p.company.gross_profit),
                 "fixed_costs": money_text(p.company.fixed_costs),
                 "variable_pay": money_text(p.company.variable_pay),
                 "operating_result": money_text(p.company.operating_result),
                 "breakeven_revenue": money_text(p.company.breakeven_revenue),
             },
             "new_clients": p.company.new_clients,
             "employees": [
                 {"id": e.id, "name": e.name, "pay": money_text(p.total(e.id)),
                  "pay_vs_market": _ratio(p.total(e.id), e.market_salary)}
                 for e in p.employees
             ]}
            for p in result.months
        ],
        "employees": [
            {"id": e.employee.id, "name": e.employee.name, "role": e.employee.role,
             "pay": money_text(e.pay), "months": e.months_employed,
             "average_month": money_text(e.average_month),
             "market_salary": money_text(e.employee.market_salary),
             "pay_vs_market": None if e.against_market is None else str(e.against_market)}
            for e in result.employees
        ],
        "acquisition": {
            "new_clients": result.new_clients,
            "hunter_shares": money_text(result.hunter_shares),
            "cost_per_new_client": money_text(result.cost_per_client),
            "gross_profit_so_far": money_text(result.gross_profit),
            "cohorts": [
                {"month": str(c.month), "new_clients": c.new_clients,
                 "hunter_shares": money_text(c.hunter_shares),
                 "cost_per_new_client": money_text(c.cost_per_client),
                 "gross_profit_so_far": money_text(c.gross_profit)}
                for c in result.cohorts
            ],
        },
    }


def only_employees(data: dict[str, Any], visible: set[str]) -> dict[str, Any]:
    """The simulation as ``as_json`` gives it, with the pay of only the ``visible`` employees
    (a head sees their department's); the company's figures stay."""
    for plan in data["plans"]:
        plan["employees"] = [e for e in plan["employees"] if e["id"] in visible]
        for month in plan["months"]:
            month["employees"] = [e for e in month["employees"] if e["id"] in visible]
    return data


def pay_difference(plans: list[dict[str, Any]]) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """Plan B against plan A, per employee: (name, pay under A, under B, B − A), from the two
    plans as ``as_json`` gives them; someone paid under one plan only counts 0.00 under the
    other."""
    first, second = ({e["id"]: e for e in plan["employees"]} for plan in plans)
    rows = []
    for ref in [*first, *(r for r in second if r not in first)]:
        a = Decimal(first[ref]["pay"]) if ref in first else ZERO
        b = Decimal(second[ref]["pay"]) if ref in second else ZERO
        rows.append(((first.get(ref) or second[ref])["name"], a, b, b - a))
    return rows


def _ratio(pay: Decimal, market: Decimal | None) -> str | None:
    ratio = times(pay, market)
    return None if ratio is None else str(ratio)


def render_json(scenarios, first, last, currency) -> str:
    return json.dumps(as_json(scenarios, first, last, currency), ensure_ascii=False, indent=2) + "\n"


_FIGURES = ("collections", "gross_profit", "fixed_costs", "variable_pay", "operating_result",
            "breakeven_revenue")
CSV_COLUMNS = Columns(("plan", "period", *_FIGURES, "new_clients", "employee_id", "employee",
                       "pay", "pay_vs_market"),
                      {**dict.fromkeys(_FIGURES, MONEY), "pay": MONEY, "pay_vs_market": RATIO})
MONTHS = Columns(("plan", "period", *_FIGURES, "new_clients"), dict.fromkeys(_FIGURES, MONEY))
EMPLOYEES = Columns(("plan", "employee_id", "employee", "role", "pay", "months", "average_month",
                     "market_salary", "pay_vs_market"),
                    {"pay": MONEY, "average_month": MONEY, "market_salary": MONEY,
                     "pay_vs_market": RATIO})
COHORTS = Columns(("plan", "cohort", "new_clients", "hunter_shares", "cost_per_new_client",
                   "gross_profit_so_far"),
                  dict.fromkeys(("hunter_shares", "cost_per_new_client", "gross_profit_so_far"),
                                MONEY))


def _figures(company) -> list[Decimal | None]:
    return [company.collections, company.gross_profit, company.fixed_costs, company.variable_pay,
            company.operating_result, company.breakeven_revenue]


def render_csv(scenarios: list[Scenario], first: Month, last: Month, currency: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS.csv_header())
    for scenario in scenarios:
        for payroll in scenario.result.months:
            figures = _figures(payroll.company)
            for employee in payroll.employees:
                pay = payroll.total(employee.id)
                writer.writerow(CSV_COLUMNS.csv_row([
                    scenario.name, str(payroll.month), *figures, payroll.company.new_clients,
                    employee.id, employee.name, pay, times(pay, employee.market_salary)]))
    return out.getvalue()


def render_table(scenarios: list[Scenario], first: Month, last: Month, currency: str) -> str:
    out = [_("Simulation %(first)s to %(last)s, %(currency)s") % {
        "first": first, "last": last, "currency": currency}]
    for scenario in scenarios:
        data = _scenario(scenario)
        out += ["", f"== {scenario.name} ==",
                f"{'month':<8} {'R':>15} {'G':>15} {'F':>15} {'V':>15} {'O':>15} "
                f"{_('break-even'):>15} {_('new'):>4}"]
        for month in data["months"]:
            c = month["company"]
            out.append(f"{month['period']:<8} {c['collections']:>15} {c['gross_profit']:>15} "
                       f"{c['fixed_costs']:>15} {c['variable_pay']:>15} "
                       f"{c['operating_result']:>15} {c['breakeven_revenue'] or '—':>15} "
                       f"{month['new_clients']:>4}")
        out.append("")
        for e in data["employees"]:
            out.append(f"{e['id']:<10} {e['name']:<30} {e['pay']:>15} "
                       f"{_('a month')} {e['average_month']:>12} × {e['pay_vs_market'] or '—'} "
                       f"{_('of market')}")
        acquisition = data["acquisition"]
        out.append("")
        out.append(_("New clients %(n)s; hunter shares paid for them %(cost)s (%(per)s each); "
                     "gross profit they brought so far %(profit)s") % {
            "n": acquisition["new_clients"], "cost": acquisition["hunter_shares"],
            "per": acquisition["cost_per_new_client"] or "—",
            "profit": acquisition["gross_profit_so_far"]})
    return "\n".join(out) + "\n"


def write_xlsx(scenarios: list[Scenario], target) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    months = book.active
    assert isinstance(months, Worksheet)  # a new workbook opens on its one worksheet
    months.title = sheet_name("Months")
    append_header(MONTHS, months)
    people = book.create_sheet(sheet_name("Employees"))
    append_header(EMPLOYEES, people)
    cohorts = book.create_sheet(sheet_name("Acquisition"))
    append_header(COHORTS, cohorts)
    for scenario in scenarios:
        result = scenario.result
        for p in result.months:
            MONTHS.append(months, [scenario.name, str(p.month), *_figures(p.company),
                                   p.company.new_clients])
        for e in result.employees:
            EMPLOYEES.append(people, [scenario.name, e.employee.id, e.employee.name,
                                      e.employee.role, e.pay, e.months_employed, e.average_month,
                                      e.employee.market_salary, e.against_market])
        for cohort in result.cohorts:
            COHORTS.append(cohorts, [scenario.name, str(cohort.month), cohort.new_clients,
                                     cohort.hunter_shares, cohort.cost_per_client,
                                     cohort.gross_profit])
    book.save(target)
