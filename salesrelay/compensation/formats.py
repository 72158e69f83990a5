"""A period's pay as JSON (SPEC §6, exactly), CSV, a text table or an XLSX workbook.

The CSV and the workbook are built by :mod:`salesrelay.cells`: an employee or a plan component
named ``=cmd|' /C calc'!A0`` is text that no spreadsheet runs, and amounts are numbers (money as
``#,##0.00`` in the workbook, ``-1500.00`` in CSV).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from salesrelay.cells import MONEY, RATIO, Columns
from salesrelay.compensation.choices import LineSource
from salesrelay.compensation.headers import append_header, sheet_name
from salesrelay.compensation.report import PeriodReport, ReportLine

FORMATS = ("table", "json", "csv", "xlsx")


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _line(line: ReportLine) -> dict[str, Any]:
    return {
        "component": line.component, "kind": line.kind, "amount": money_text(line.amount),
        "client_id": line.client_id, "deal_id": line.deal_id, "deal_number": line.deal_number,
        "payment_id": line.payment_id, "explanation": line.explanation,
    }


def as_json(report: PeriodReport) -> dict[str, Any]:
    company = report.company
    names = {e.id: e.name for e in report.employees}
    return {
        "period": str(report.month),
        "currency": report.currency,
        "company": {
            "collections": money_text(company.collections),
            "gross_profit": money_text(company.gross_profit),
            "fixed_costs": money_text(company.fixed_costs),
            "variable_pay": money_text(company.variable_pay),
            "operating_result": money_text(company.operating_result),
            "breakeven_revenue": money_text(company.breakeven_revenue),
        },
        "employees": [
            {"id": e.id, "name": e.name, "total": money_text(e.total),
             "lines": [_line(line) for line in e.lines]}
            for e in report.employees
        ],
        "forfeited": [
            {"employee_id": line.employee_id, "name": names.get(line.employee_id, ""),
             **_line(line), "reason": line.reason}
            for line in report.forfeited
        ],
    }


def render_json(report: PeriodReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("period", "employee_id", "employee", "source", "adjusts", "plan", "component",
               "kind", "amount", "client_id", "deal_id", "deal_number", "payment_id", "base",
               "rate", "explanation")
LINES = Columns(CSV_COLUMNS, {"amount": MONEY})
FORFEITED = Columns((*CSV_COLUMNS, "reason"), {"amount": MONEY})
SUMMARY = Columns(("period", "employee_id", "employee", "role", "total", "market_salary",
                   "pay_vs_market", "components"),
                  {"total": MONEY, "market_salary": MONEY, "pay_vs_market": RATIO})
COMPANY = Columns(("period", "status", "collections", "gross_profit", "fixed_costs",
                   "variable_pay", "operating_result", "breakeven_revenue", "new_clients"),
                  dict.fromkeys(("collections", "gross_profit", "fixed_costs", "variable_pay",
                                 "operating_result", "breakeven_revenue"), MONEY))


def _rows(report: PeriodReport):
    for employee in report.employees:
        for line in employee.lines:
            yield employee.name, line
    names = {e.id: e.name for e in report.employees}
    for line in report.forfeited:
        yield names.get(line.employee_id, ""), line


def _row(report: PeriodReport, name: str, line: ReportLine) -> list[Any]:
    return [str(report.month), line.employee_id, name, line.source,
            str(line.adjusts) if line.adjusts else None, line.plan_id, line.component, line.kind,
            line.amount, line.client_id, line.deal_id, line.deal_number, line.payment_id,
            line.base, line.rate, line.explanation]


def render_csv(report: PeriodReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINES.csv_header())
    for name, line in _rows(report):
        writer.writerow(LINES.csv_row(_row(report, name, line)))
    return out.getvalue()


def render_table(report: PeriodReport) -> str:
    company = report.company
    lines = [
        _("Payroll %(month)s (%(status)s), %(currency)s") % {
            "month": report.month, "status": report.status, "currency": report.currency},
        _("Collections R %(r)s · gross profit G %(g)s · fixed costs F %(f)s · variable pay V %(v)s "
          "· operating result O %(o)s · break-even revenue %(b)s") % {
            "r": money_text(company.collections), "g": money_text(company.gross_profit),
            "f": money_text(company.fixed_costs), "v": money_text(company.variable_pay),
            "o": money_text(company.operating_result),
            "b": money_text(company.breakeven_revenue) or _("undefined")},
        "",
    ]
    for employee in report.employees:
        lines.append(f"{employee.id:<10} {employee.name:<32} {money_text(employee.total):>14}")
        for line in employee.lines:
            lines.append(f"    {line.component:<20} {money_text(line.amount):>14}  {line.explanation}")
    if report.forfeited:
        lines += ["", _("Forfeited")]
        for line in report.forfeited:
            lines.append(f"{line.employee_id:<10} {line.component:<20} "
                         f"{money_text(line.amount):>14}  {line.explanation}")
    for problem in report.problems:
        lines.append(_("Problem: %(problem)s") % {"problem": problem})
    lines.append("")
    lines.append(_("Total %(total)s") % {"total": money_text(report.total)})
    return "\n".join(lines) + "\n"


def write_xlsx(reports: list[PeriodReport], target: Path | io.BytesIO) -> None:
    """Every statement of the periods: a summary per employee, every line, the forfeited
    amounts and the company figures, one sheet each."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)  # a new workbook opens on its one worksheet
    summary.title = sheet_name("Summary")
    append_header(SUMMARY, summary)
    company = book.create_sheet(sheet_name("Company"))
    append_header(COMPANY, company)
    detail = book.create_sheet(sheet_name("Lines"))
    append_header(LINES, detail)
    forfeited = book.create_sheet(sheet_name("Forfeited"))
    append_header(FORFEITED, forfeited)
    for report in reports:
        figures = report.company
        COMPANY.append(company, [str(report.month), report.status, figures.collections,
                                 figures.gross_profit, figures.fixed_costs, figures.variable_pay,
                                 figures.operating_result, figures.breakeven_revenue,
                                 figures.new_clients])
        for employee in report.employees:
            SUMMARY.append(summary, [str(report.month), employee.id, employee.name, employee.role,
                                     employee.total, employee.market_salary,
                                     employee.against_market,
                                     "; ".join(f"{c} {money_text(a)}"
                                               for c, a in employee.totals_by_component())])
        for name, line in _rows(report):
            row = _row(report, name, line)
            if line.source == LineSource.FORFEITED:
                FORFEITED.append(forfeited, [*row, line.reason])
            else:
                LINES.append(detail, row)
    for sheet in (summary, company, detail, forfeited):
        sheet.freeze_panes = "A2"
    book.save(target)
