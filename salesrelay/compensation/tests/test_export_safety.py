"""Pay exports (payroll and simulation, CSV and XLSX) cannot attack the accountant who opens them."""

from io import StringIO

from django.core.management import call_command
from openpyxl import load_workbook

from salesrelay.cells import MONEY, RATIO
from salesrelay.compensation.tests.factories import FILES, PLAN, imported

CALC = "=cmd|' /C calc'!A0"
# Amounts in the explanations are written as the language writes them: "40,000.00".


def hunter_named_calc(tmp_path):
    imported(tmp_path / "in", {**FILES, "employees": FILES["employees"].replace("Anna Hunter", CALC)})


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_payroll_csv_quotes_the_name_and_keeps_amounts_numbers(db, tmp_path):
    hunter_named_calc(tmp_path)
    lines = run("payroll", "2026-03", "--format", "csv").splitlines()
    assert lines[1] == ("2026-03,H1,'=cmd|' /C calc'!A0,calculated,,hunters,salary,salary,40000.00,,,,,"
                        '40000,1,"Salary 40,000.00 for the whole month"')
    assert lines[4] == ("2026-03,M1,Boris Manager,calculated,,managers,salary,salary,50000.00,,,,,"
                        '50000,1,"Salary 50,000.00 for the whole month"')


def test_payroll_workbook_holds_the_name_as_text_and_amounts_as_money(db, tmp_path):
    hunter_named_calc(tmp_path)
    target = tmp_path / "march.xlsx"
    run("payroll", "2026-03", "--format", "xlsx", "--output", str(target))
    book = load_workbook(target)
    name, amount = book["Lines"]["C2"], book["Lines"]["I2"]
    assert (name.value, name.data_type, name.quotePrefix) == (CALC, "s", True)
    assert (amount.value, amount.data_type, amount.number_format) == (40000, "n", MONEY)
    total, against = book["Summary"]["E2"], book["Summary"]["G2"]
    assert (total.value, total.number_format) == (94016.49, MONEY)
    assert (against.value, against.number_format) == (1.57, RATIO)
    assert book["Company"]["C2"].number_format == MONEY
    assert [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row
            if c.data_type == "f"] == []


def test_simulation_csv_and_workbook_are_just_as_safe(db, tmp_path):
    hunter_named_calc(tmp_path)
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    common = ("simulate", "--plan", str(plan), "--from", "2026-02", "--to", "2026-03")
    lines = run(*common, "--format", "csv").splitlines()
    assert lines[1] == ("plan.toml,2026-02,100000.00,60000.00,0.00,59000.00,1000.00,0.00,1,H1,"
                        "'=cmd|' /C calc'!A0,94050.00,1.57")
    target = tmp_path / "simulation.xlsx"
    run(*common, "--format", "xlsx", "--output", str(target))
    book = load_workbook(target)
    name, pay = book["Employees"]["C2"], book["Employees"]["E2"]
    assert (name.value, name.data_type, name.quotePrefix) == (CALC, "s", True)
    assert (pay.value, pay.number_format) == (188066.49, MONEY)
    assert book["Months"]["C2"].number_format == MONEY
