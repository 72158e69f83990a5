"""Imports replay cancellations as SPEC §1 says: what a cancelled deal holds is reversed on its
``closed_on`` and released to the client's credit, then to the deals that owe and the next win."""

from datetime import date
from decimal import Decimal as D

from salesrelay.clients.models import Client
from salesrelay.imports.importer import run_import
from salesrelay.imports.tests.test_import import snapshot, write
from salesrelay.payments.models import Allocation
from salesrelay.payments.selectors import credit_by_client

EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,ACME Baths,dealer,H1,2026-01-01
C2,Nord Plumbing,dealer,H1,2026-01-01
"""
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,cancelled,2026-01-02,2026-01-10,2026-03-15,100000.00,60000.00
2,C1,H1,won,2026-01-02,2026-02-01,,80000.00,50000.00
3,C1,H1,won,2026-01-02,2026-04-02,,50000.00,30000.00
5,C2,H1,cancelled,2026-01-02,2026-02-01,2026-02-01,40000.00,10000.00
6,C2,H1,won,2026-01-02,2026-02-20,,25000.00,5000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-01-05,150000.00,,C1
R1,2026-04-10,-15000.00,,C1
P2,2026-04-11,1000.00,1,
P3,2026-02-01,40000.00,,C2
"""


def allocations(client: str) -> list[tuple]:
    return list(Allocation.objects.filter(deal__client__ref=client).order_by("id").values_list(
        "payment__ref", "deal__ref", "amount", "effective_on", "released_from__ref"))


def credit(ref: str) -> D:
    pk = Client.objects.get(ref=ref).pk
    return credit_by_client([pk])[pk]


def test_a_prepayment_released_in_a_later_month_goes_to_the_deal_owing_and_the_next_win(db, tmp_path):
    report = run_import(write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                              payments=PAYMENTS))
    assert report.ok, report.problems
    assert allocations("C1") == [
        ("P1", "1", D("100000.00"), date(2026, 1, 10), None),
        ("P1", "2", D("50000.00"), date(2026, 2, 1), None),
        ("P1", "1", D("-100000.00"), date(2026, 3, 15), "1"),
        ("P1", "2", D("30000.00"), date(2026, 3, 15), "1"),
        ("P1", "3", D("50000.00"), date(2026, 4, 2), "1"),
    ]
    # 20 000.00 left of the release, 15 000.00 refunded, 1 000.00 paid naming the cancelled deal.
    assert credit("C1") == D("6000.00")


def test_on_one_day_the_win_comes_first_then_the_payment_then_the_cancellation(db, tmp_path):
    run_import(write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                     payments=PAYMENTS))
    # Deal 5 won, paid and cancelled on 2026-02-01: the payment went to it, and came back.
    assert allocations("C2") == [
        ("P3", "5", D("40000.00"), date(2026, 2, 1), None),
        ("P3", "5", D("-40000.00"), date(2026, 2, 1), "5"),
        ("P3", "6", D("25000.00"), date(2026, 2, 20), "5"),
    ]
    assert credit("C2") == D("15000.00")


def test_a_later_import_pays_into_and_refunds_from_the_credit_already_stored(db, tmp_path):
    run_import(write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                     payments=PAYMENTS))
    before = snapshot()
    refused = run_import(write(tmp_path / "later", payments=(
        "id,received_on,amount,deal_id,client_id\n"
        "P9,2026-05-01,2000.00,1,\nR9,2026-05-02,-8000.01,,C1\nR10,2026-05-02,-15000.01,5,\n")))
    # Reported in the order replayed: on 2026-05-02, R10 before R9 (ids compared as text).
    assert [str(p) for p in refused.problems] == [
        "payments.csv:4: amount: the refund of 15000.01 is more than the client's credit of "
        "15000.00",
        "payments.csv:3: amount: the refund of 8000.01 is more than the client's credit of 8000.00",
    ]
    assert snapshot() == before
    report = run_import(write(tmp_path / "later", payments=(
        "id,received_on,amount,deal_id,client_id\n"
        "P9,2026-05-01,2000.00,1,\nR9,2026-05-02,-8000.00,,C1\nR10,2026-05-02,-15000.00,5,\n")))
    assert report.ok, report.problems
    assert (credit("C1"), credit("C2")) == (D("0.00"), D("0.00"))
    assert Allocation.objects.count() == before[3]


def test_importing_the_same_files_again_changes_nothing(db, tmp_path):
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS, deals=DEALS,
                   payments=PAYMENTS)
    run_import(folder)
    before = (snapshot()[:5], allocations("C1"), allocations("C2"))
    report = run_import(folder)
    assert report.ok and report.created == {}
    assert (snapshot()[:5], allocations("C1"), allocations("C2")) == before
