"""The payroll and simulate commands in every format."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from salesrelay.compensation.models import Period
from salesrelay.compensation.tests.factories import PLAN, imported


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_payroll_csv_has_a_row_per_line_with_its_source(db, tmp_path):
    imported(tmp_path / "in")
    rows = list(csv.DictReader(StringIO(run("payroll", "2026-03", "--format", "csv"))))
    assert len(rows) == 9
    share = rows[1]
    assert {k: share[k] for k in ("employee_id", "component", "kind", "amount", "client_id",
                                  "deal_id", "deal_number", "payment_id", "base", "rate")} == {
        "employee_id": "H1", "component": "first-five", "kind": "deal_profit_share",
        "amount": "54000.00", "client_id": "C1", "deal_id": "1", "deal_number": "1",
        "payment_id": "P2", "base": "100000", "rate": "0.9"}


def test_payroll_table_and_xlsx(db, tmp_path):
    imported(tmp_path / "in")
    table = run("payroll", "2026-03")
    assert "Collections R 100000.00 · gross profit G 60000.00 · fixed costs F 500.00" in table
    assert table.rstrip().endswith("Total 174856.45")
    target = tmp_path / "march.xlsx"
    call_command("payroll", "2026-03", "--format", "xlsx", "--output", str(target),
                 stderr=StringIO())
    book = load_workbook(target)
    assert [row[1:5] for row in book["Summary"].iter_rows(min_row=2, values_only=True)] == [
        ("H1", "Anna Hunter", "hunter", 94016.49), ("M1", "Boris Manager", "account_manager", 52476.81),
        ("M2", "Vera Manager", "account_manager", 28363.15)]
    with pytest.raises(CommandError) as refused:
        call_command("payroll", "2026-03", "--format", "xlsx")
    assert str(refused.value) == "--format xlsx needs --output FILE.xlsx"


def test_simulate_replays_two_months_without_storing_anything(db, tmp_path):
    imported(tmp_path / "in")
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    result = json.loads(run("simulate", "--plan", str(plan), "--from", "2026-02", "--to", "2026-03",
                            "--format", "json"))
    (scenario,) = result["plans"]
    february, march = scenario["months"]
    # February: P1 100 000 → G 60 000, V 54 000 + 5 000, F 0, O 1 000; bonus 100 split 28 : 28.
    assert february["company"] == {
        "collections": "100000.00", "gross_profit": "60000.00", "fixed_costs": "0.00",
        "variable_pay": "59000.00", "operating_result": "1000.00", "breakeven_revenue": "0.00"}
    assert [(e["id"], e["pay"]) for e in february["employees"]] == [
        ("H1", "94050.00"), ("M1", "55050.00")]
    assert march["company"]["operating_result"] == "500.00"
    hunter = scenario["employees"][0]
    # 94 050.00 + 94 016.49 over two months → 94 033.245 → 94 033.25 a month, 1.57 × 60 000.
    assert hunter == {"id": "H1", "name": "Anna Hunter", "role": "hunter", "pay": "188066.49",
                      "months": 2, "average_month": "94033.25", "market_salary": "60000.00",
                      "pay_vs_market": "1.57"}
    assert scenario["acquisition"] == {
        "new_clients": 1, "hunter_shares": "108000.00", "cost_per_new_client": "108000.00",
        "gross_profit_so_far": "120000.00",
        "cohorts": [{"month": "2026-02", "new_clients": 1, "hunter_shares": "108000.00",
                     "cost_per_new_client": "108000.00", "gross_profit_so_far": "120000.00"}]}
    assert Period.objects.count() == 0


def test_simulate_compares_two_plans_side_by_side_and_refuses_bad_input(db, tmp_path):
    imported(tmp_path / "in")
    plan, other = tmp_path / "a.toml", tmp_path / "b.toml"
    plan.write_text(PLAN, encoding="utf-8")
    other.write_text(PLAN.replace('rate = "0.90"', 'rate = "0.50"'), encoding="utf-8")
    result = json.loads(run("simulate", "--plan", str(plan), "--compare", str(other), "--from",
                            "2026-03", "--to", "2026-03", "--format", "json"))
    assert [(s["plan"], s["months"][0]["company"]["variable_pay"]) for s in result["plans"]] == [
        ("a.toml", "59000.00"), ("b.toml", "35000.00")]
    with pytest.raises(CommandError) as refused:
        run("simulate", "--plan", str(plan), "--from", "2026-04", "--to", "2026-03")
    assert str(refused.value) == "the range 2026-04 to 2026-03 ends before it starts"
    with pytest.raises(CommandError) as refused:
        run("simulate", "--plan", str(tmp_path / "none.toml"), "--from", "2026-01", "--to", "2026-03")
    assert str(refused.value) == f"cannot read {tmp_path / 'none.toml'}: No such file or directory"
