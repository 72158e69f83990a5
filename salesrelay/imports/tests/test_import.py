from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.models import Deal
from salesrelay.imports.exporter import export_all
from salesrelay.imports.importer import run_import
from salesrelay.payments.models import Allocation, Payment

EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01
"""
CLIENTS = """id,name,segment,acquired_by,created_on,tax_id
C1,ACME Baths,dealer,H1,2026-01-05,7701000001
C2,Nord Plumbing,online_store,H1,2026-01-06,
"""
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
10,C1,H1,won,2026-01-10,2026-02-01,,100000.00,60000.00
9,C1,H1,won,2026-01-10,2026-02-01,,50000.00,20000.00
11,C2,H1,lost,2026-01-10,,2026-02-01,10000.00,5000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-01-20,120000.00,,C1
P2,2026-02-10,30000.00,,C1
"""


def write(folder, **files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def snapshot():
    return (Client.objects.count(), Deal.objects.count(), Payment.objects.count(),
            Allocation.objects.count(), Ownership.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def history(tmp_path):
    return write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                 payments=PAYMENTS)


def test_import_numbers_deals_by_won_on_then_numeric_id_and_replays_payments(db, history):
    report = run_import(history)
    assert report.ok, report.problems
    assert dict(Deal.objects.values_list("ref", "number")) == {"9": 1, "10": 2, "11": None}
    # P1 came before any win: credit, applied at the first win (deal 9 first, then 10).
    assert list(Allocation.objects.order_by("id").values_list(
        "payment__ref", "deal__ref", "amount", "effective_on")) == [
        ("P1", "9", D("50000.00"), date(2026, 2, 1)),
        ("P1", "10", D("70000.00"), date(2026, 2, 1)),
        ("P2", "10", D("30000.00"), date(2026, 2, 10)),
    ]
    acme = Client.objects.get(ref="C1")
    assert (acme.owner.ref, acme.handed_off_on, acme.acquired_by.ref) == (
        "M1", date(2026, 2, 1), "H1")
    assert Client.objects.get(ref="C2").owner.ref == "H1"


def test_importing_the_same_files_again_changes_nothing(db, history):
    run_import(history)
    before = snapshot()
    report = run_import(history)
    assert report.ok and report.created == {}
    assert report.skipped == {"employees": 2, "clients": 2, "deals": 3, "payments": 2}
    # The second import writes only its own audit row.
    assert snapshot() == (*before[:5], before[5] + 1)


def test_every_bad_row_is_reported_and_nothing_is_imported(db, tmp_path, capsys):
    folder = write(tmp_path / "bad", employees=EMPLOYEES, clients=CLIENTS.replace(
        "online_store", "shop"), deals=DEALS.replace("2026-02-01,,100000.00", "31.02.2026,,100000.00")
        .replace("C2,H1,lost", "C9,H1,lost"), payments=PAYMENTS.replace("30000.00", "0"))
    with pytest.raises(CommandError) as failed:
        call_command("import", str(folder), verbosity=0)
    assert str(failed.value) == "nothing imported: 4 bad rows"
    assert capsys.readouterr().err.splitlines() == [
        "clients.csv:3: segment: 'shop' is not a known segment: retail_chain, online_store, "
        "dealer, other (add it on the Segments page, or import with --create-segments)",
        "deals.csv:2: won_on: '31.02.2026' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        "deals.csv:4: client_id: no client with id 'C9'",
        "payments.csv:3: amount: a payment of zero applies to nothing",
    ]
    assert snapshot() == (0, 0, 0, 0, 0, 0)


def test_a_refund_above_the_credit_or_above_what_the_deal_holds_is_a_bad_row(db, tmp_path):
    folder = write(tmp_path / "refunds", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                   payments=PAYMENTS + "R1,2026-02-11,-10.00,,C1\nR2,2026-02-12,-999999.00,10,\n")
    report = run_import(folder)
    # P1 and P2 went whole to deals 9 and 10: C1 has no credit left to refund.
    assert [str(p) for p in report.problems] == [
        "payments.csv:4: amount: the refund of 10.00 is more than the client's credit of 0.00",
        "payments.csv:5: amount: the refund of 999999.00 exceeds the 100000.00 paid on deal '10'",
    ]
    assert snapshot() == (0, 0, 0, 0, 0, 0)


def test_dry_run_reports_without_writing(db, history):
    report = run_import(history, dry_run=True)
    assert report.ok and not report.written
    assert report.created == {"employees": 2, "clients": 2, "deals": 3, "payments": 2}
    assert snapshot() == (0, 0, 0, 0, 0, 0)


def test_russian_style_files_import_the_same_as_english_ones(db, tmp_path, history):
    russian = tmp_path / "ru"
    russian.mkdir()
    for source in history.iterdir():
        text = source.read_text(encoding="utf-8").replace(",", ";")
        text = _dotted_dates(_decimal_commas(text))
        (russian / source.name).write_bytes(text.replace("ACME Baths", "Аква Люкс").encode("cp1251"))
    report = run_import(russian)
    assert report.ok, report.problems
    assert Client.objects.get(ref="C1").name == "Аква Люкс"
    assert list(Allocation.objects.order_by("id").values_list("deal__ref", "amount")) == [
        ("9", D("50000.00")), ("10", D("70000.00")), ("10", D("30000.00"))]


def _decimal_commas(text):
    import re

    return re.sub(r"(\d)\.(\d\d)\b", r"\1,\2", text)


def _dotted_dates(text):
    import re

    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3.\2.\1", text)


def test_export_then_import_into_an_empty_database_is_lossless(db, history, tmp_path):
    run_import(history)
    first = export_all(tmp_path / "out1")
    book = tmp_path / "all.xlsx"
    export_all(book)
    texts = {p.name: p.read_text() for p in (tmp_path / "out1").iterdir()}
    for model in (Allocation, Payment, Deal, Ownership, Client):
        model.objects.all().delete()
    from salesrelay.people.models import Employee

    Employee.objects.all().delete()
    report = run_import(book)
    assert report.ok, report.problems
    export_all(tmp_path / "out2")
    assert {p.name: p.read_text() for p in (tmp_path / "out2").iterdir()} == texts
    assert first["deals"] == 3
