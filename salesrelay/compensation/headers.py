"""The workbooks' headings in the reader's language.

A CSV file keeps its machine column names (``employee_id``, ``gross_profit``): programs read it.
A workbook is read by people, so its header row and its sheet names are words in the language
of whoever asked for it ("Валовая прибыль G"); the columns stay in the same order.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesrelay.cells import Columns, xlsx_cell

HEADINGS = {
    "period": _("Period"), "employee_id": _("Employee id"), "employee": _("Employee"),
    "source": _("Source"), "adjusts": _("Adjusts"), "plan": _("Plan"),
    "component": _("Component"), "kind": _("Kind"), "amount": _("Amount"),
    "client_id": _("Client id"), "deal_id": _("Deal id"), "deal_number": _("Deal number"),
    "payment_id": _("Payment id"), "base": _("Base"), "rate": _("Rate"),
    "explanation": _("Explanation"), "reason": _("Reason"), "role": _("Role"),
    "total": _("Total"), "market_salary": _("Market salary"),
    "pay_vs_market": _("Pay ÷ market salary"), "components": _("Components"),
    "status": _("Status"), "collections": _("Collections R"),
    "gross_profit": _("Gross profit G"), "fixed_costs": _("Fixed costs F"),
    "variable_pay": _("Variable pay V"), "operating_result": _("Operating result O"),
    "breakeven_revenue": _("Break-even revenue"), "new_clients": _("New clients"),
    "pay": _("Pay"), "months": _("Months"), "average_month": _("Average month"),
    "cohort": _("Cohort"), "hunter_shares": _("Hunter shares"),
    "cost_per_new_client": _("Cost per new client"),
    "gross_profit_so_far": _("Gross profit so far"),
}
SHEETS = {
    "Summary": _("Summary"), "Company": _("Company"), "Lines": pgettext_lazy("workbook sheet", "Lines"),
    "Forfeited": _("Forfeited"), "Months": _("Months"), "Employees": _("Employees"),
    "Acquisition": _("Acquisition"),
}


def append_header(columns: Columns, sheet) -> None:
    sheet.append([xlsx_cell(sheet, str(HEADINGS.get(name, name))) for name in columns.names])


def sheet_name(name: str) -> str:
    return str(SHEETS.get(name, name))
