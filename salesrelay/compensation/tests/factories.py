"""A small imported history with known figures, and the plan that pays it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from salesrelay.compensation.plans import load_plan
from salesrelay.imports.importer import run_import

EMPLOYEES = """id,name,email,department,role,hired_on,left_on,pool_weight,market_salary
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01,,1,60000.00
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01,,1,70000.00
M2,Vera Manager,vera@example.com,account_management,account_manager,2026-03-16,,2,70000.00
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,ACME Baths,dealer,H1,2026-01-05
"""
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,won,2026-01-10,2026-02-01,,200000.00,80000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-02-10,100000.00,1,
P2,2026-03-05,100000.00,1,
P3,2026-03-20,50000.00,,C1
"""
FIXED_COSTS = """month,category,amount
2026-03,rent,500.00
"""

HUNTERS_PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.90"

"""

PLAN = HUNTERS_PLAN + """
[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "50000.00"
  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  rate = "0.05"

[[plans]]
id = "company"
roles = ["hunter", "account_manager"]
effective_from = 2026-01-01
  [[plans.components]]
  id = "breakeven"
  kind = "breakeven_bonus"
  share = "0.10"
"""

FILES = {"employees": EMPLOYEES, "clients": CLIENTS, "deals": DEALS, "payments": PAYMENTS,
         "fixed_costs": FIXED_COSTS}


def write_files(folder: Path, files: dict[str, str] = FILES, *, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding=encoding)
    return folder


def russian_style(files: dict[str, str]) -> dict[str, str]:
    """The same facts the way a Russian accounting export writes them: ``;``, decimal comma,
    DD.MM.YYYY (encoded in Windows-1251 by ``write_files``)."""
    import re

    result = {}
    for name, text in files.items():
        lines = []
        for line in text.strip().splitlines():
            cells = line.split(",")
            cells = [re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3.\2.\1", c) for c in cells]
            cells = [re.sub(r"^(-?\d+)\.(\d{2})$", r"\1,\2", c) for c in cells]
            lines.append(";".join(cells))
        result[name] = "\n".join(lines) + "\n"
    return result


def imported(folder: Path, files: dict[str, str] = FILES, *, encoding: str = "utf-8",
             plan: str = PLAN) -> None:
    report = run_import(write_files(folder, files, encoding=encoding))
    assert report.ok, report.problems
    load_plan(plan)


def payroll_json(month: str, *more: str) -> dict:
    out = StringIO()
    call_command("payroll", month, "--format", "json", *more, stdout=out)
    return json.loads(out.getvalue())
