"""A later export of the same source synchronises: what moved on is applied the way the deal page
and the payment form would apply it, and what would rewrite history is refused with nothing
written. Importing January's export and then February's gives exactly what February's alone
gives an empty database."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client, Ownership
from salesrelay.compensation.choices import PeriodStatus
from salesrelay.compensation.models import Period
from salesrelay.compensation.plans import load_plan
from salesrelay.compensation.tests.factories import PLAN, payroll_json
from salesrelay.deals.models import Deal, DealLine
from salesrelay.imports.importer import run_import
from salesrelay.imports.tests.test_import import snapshot, write
from salesrelay.payments.models import Allocation, Payment
from salesrelay.pipeline.models import Activity

EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2025-12-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2025-12-01
M2,Vera Manager,vera@example.com,account_management,account_manager,2025-12-01
"""
PRODUCTS = """sku,name,price,unit_cost
TUB,Hydromassage tub,20000.00,12000.00
JET,Jet kit,5000.00,2000.00
"""
JANUARY = {
    "employees": EMPLOYEES,
    "products": PRODUCTS,
    "clients": """id,name,segment,acquired_by,created_on,tax_id
C1,ACME Baths,dealer,H1,2026-01-05,7701000001
C2,Nord Plumbing,online_store,H1,2026-01-06,
C4,Spa Corner,other,H1,2026-01-07,
""",
    "deals": """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,won,2026-01-08,2026-01-10,,100000.00,60000.00
2,C1,M1,open,2026-01-15,,,40000.00,24000.00
3,C2,H1,open,2026-01-16,,,30000.00,10000.00
5,C4,H1,open,2026-01-20,,,15000.00,9000.00
""",
    "deal_lines": """deal_id,sku,quantity,unit_price
2,TUB,2,20000.00
""",
    "payments": """id,received_on,amount,deal_id,client_id
P1,2026-01-20,60000.00,1,
P2,2026-01-25,30000.00,3,
""",
    "activities": """id,client_id,employee_id,kind,date,outcome
A1,C4,H1,meeting,2026-02-03,
""",
}
# A month later: deal 1 cancelled, deal 2 won with one more line, deal 3 won on its prepayment,
# deal 5 lost, a new client with deal 4, new payments, C4 renamed (and re-segmented, with its tax
# id), the meeting held.
FEBRUARY = {
    "employees": EMPLOYEES,
    "products": PRODUCTS,
    "clients": """id,name,segment,acquired_by,created_on,tax_id
C1,ACME Baths,dealer,H1,2026-01-05,7701000001
C2,Nord Plumbing,online_store,H1,2026-01-06,
C4,Spa Corner Salons,retail_chain,H1,2026-01-07,7701000004
C3,Baltic Tiles,dealer,H1,2026-02-02,
""",
    "deals": """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,cancelled,2026-01-08,2026-01-10,2026-02-20,100000.00,60000.00
2,C1,M1,won,2026-01-15,2026-02-05,,45000.00,26000.00
3,C2,H1,won,2026-01-16,2026-02-03,,30000.00,10000.00
4,C3,H1,won,2026-02-02,2026-02-15,,50000.00,20000.00
5,C4,H1,lost,2026-01-20,,2026-02-10,15000.00,9000.00
""",
    "deal_lines": """deal_id,sku,quantity,unit_price
2,TUB,2,20000.00
2,JET,1,5000.00
""",
    "payments": """id,received_on,amount,deal_id,client_id
P1,2026-01-20,60000.00,1,
P2,2026-01-25,30000.00,3,
P3,2026-02-10,20000.00,,C1
P4,2026-02-16,50000.00,4,
""",
    "activities": """id,client_id,employee_id,kind,date,outcome
A1,C4,H1,meeting,2026-02-03,held
""",
}


def database():
    """Everything an import decides, by the files' ids."""
    return {
        "clients": sorted(Client.objects.values_list(
            "ref", "name", "segment", "tax_id", "acquired_by__ref", "owner__ref",
            "owning_department", "handed_off_on")),
        "deals": sorted(Deal.objects.values_list(
            "ref", "client__ref", "owner__ref", "status", "number", "won_on", "closed_on",
            "amount", "goods_cost", "direct_cost")),
        "lines": sorted(DealLine.objects.values_list(
            "deal__ref", "product__sku", "quantity", "unit_price", "unit_cost")),
        "payments": sorted(Payment.objects.values_list(
            "ref", "client__ref", "deal__ref", "received_on", "amount")),
        "allocations": sorted(Allocation.objects.values_list(
            "payment__ref", "deal__ref", "amount", "effective_on", "released_from__ref"),
            key=str),
        "ownership": sorted(Ownership.objects.values_list(
            "client__ref", "employee__ref", "department", "started_on", "ended_on", "reason"),
            key=str),
        "activities": sorted((a.ref, a.kind, a.outcome, a.done_on) for a in Activity.objects.all()),
    }


def imported_then_paid(tmp_path, *exports):
    """The database and the payroll of January and February after importing ``exports`` in
    turn, all rolled back afterwards."""
    with transaction.atomic():
        for i, files in enumerate(exports):
            report = run_import(write(tmp_path / f"export-{len(exports)}-{i}", **files))
            assert report.ok, report.problems
        load_plan(PLAN)
        result = database(), payroll_json("2026-01"), payroll_json("2026-02")
        transaction.set_rollback(True)
    return result


def test_next_months_export_on_this_months_equals_next_months_alone(db, tmp_path):
    synchronised = imported_then_paid(tmp_path, JANUARY, FEBRUARY)
    alone = imported_then_paid(tmp_path, FEBRUARY)
    assert synchronised == alone
    state = synchronised[0]
    assert [(d[0], d[3], d[4]) for d in state["deals"]] == [
        ("1", "cancelled", 1), ("2", "won", 2), ("3", "won", 1), ("4", "won", 1),
        ("5", "lost", None)]
    assert state["allocations"] == sorted([
        ("P1", "1", D("60000.00"), date(2026, 1, 20), None),
        ("P2", "3", D("30000.00"), date(2026, 2, 3), None),
        # P3 names the client: to deal 1, won first and still owing 40 000.00.
        ("P3", "1", D("20000.00"), date(2026, 2, 10), None),
        ("P4", "4", D("50000.00"), date(2026, 2, 16), None),
        # Deal 1 cancelled on 20 February: its 80 000.00 back, 45 000.00 of it to deal 2.
        ("P1", "1", D("-60000.00"), date(2026, 2, 20), "1"),
        ("P3", "1", D("-20000.00"), date(2026, 2, 20), "1"),
        ("P1", "2", D("45000.00"), date(2026, 2, 20), "1"),
    ], key=str)
    # Handed off in turn: C1 in January to M1, then C2 to M2 and C3 to M1.
    assert [(c[0], c[5], c[7]) for c in state["clients"]] == [
        ("C1", "M1", date(2026, 1, 10)), ("C2", "M2", date(2026, 2, 3)),
        ("C3", "M1", date(2026, 2, 15)), ("C4", "H1", None)]
    assert state["clients"][3][1:4] == ("Spa Corner Salons", "retail_chain", "7701000004")
    february = synchronised[2]
    assert february["company"]["collections"] == "65000.00"


def test_what_moved_on_is_audited_one_row_per_record_with_old_and_new_values(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    before = AuditEntry.objects.count()
    report = run_import(write(tmp_path / "feb", **FEBRUARY))
    assert report.ok, report.problems
    assert report.changed == {"clients": 1, "deals": 4, "activities": 1}
    rows = {(e.object_type, e.object_ref): e.details
            for e in AuditEntry.objects.order_by("id")[before:]}
    assert rows[("client", "C4")]["changes"] == {
        "name": ["Spa Corner", "Spa Corner Salons"], "segment": ["other", "retail_chain"],
        "tax_id": [None, "7701000004"]}
    assert rows[("deal", "2")]["changes"] == {
        "amount": ["40000.00", "45000.00"], "cost": ["24000.00", "26000.00"], "lines": [1, 2],
        "status": ["open", "won"], "won_on": [None, "2026-02-05"], "number": [None, 2]}
    assert rows[("deal", "1")]["changes"] == {
        "status": ["won", "cancelled"], "closed_on": [None, "2026-02-20"]}
    assert rows[("deal", "5")]["changes"] == {
        "status": ["open", "lost"], "closed_on": [None, "2026-02-10"]}
    assert ("deal", "3") in rows and ("deal", "4") not in rows  # 4 is new: in the import's row


def test_dry_run_prints_per_file_what_is_new_changed_and_unchanged(db, tmp_path, capsys):
    run_import(write(tmp_path / "jan", **JANUARY))
    before = (snapshot(), database())
    call_command("import", str(write(tmp_path / "feb", **FEBRUARY)), "--dry-run", verbosity=0)
    assert capsys.readouterr().out.splitlines() == [
        "would import:",
        "activities.csv: 0 new, 1 changed (outcome 1), 0 unchanged",
        "clients.csv: 1 new, 1 changed (name 1, segment 1, tax_id 1), 2 unchanged",
        "deals.csv: 1 new, 4 changed (amount 1, closed_on 2, cost 1, lines 1, status 4, "
        "won_on 2), 0 unchanged",
        "employees.csv: 0 new, 0 changed, 3 unchanged",
        "payments.csv: 2 new, 0 changed, 2 unchanged",
        "products.csv: 0 new, 0 changed, 2 unchanged",
    ]
    assert (snapshot(), database()) == before


def test_the_same_export_twice_and_a_payment_left_out_change_nothing(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    run_import(write(tmp_path / "feb", **FEBRUARY))
    before = database()
    again = run_import(write(tmp_path / "feb", **FEBRUARY))
    assert again.ok and again.created == {} and again.changed == {}
    # A partial export (P1 and P2 not in it) deletes nothing: a payment is only ever added.
    partial = dict(FEBRUARY, payments="id,received_on,amount,deal_id,client_id\n"
                                      "P4,2026-02-16,50000.00,4,\n")
    assert run_import(write(tmp_path / "partial", **partial)).ok
    assert database() == before


def _refused(tmp_path, files, expected):
    """``files`` on top of January's: refused with exactly ``expected``, nothing written."""
    before = (snapshot(), database())
    with pytest.raises(CommandError):
        call_command("import", str(write(tmp_path / "later", **files)), verbosity=0)
    report = run_import(tmp_path / "later")
    assert [str(p) for p in report.problems] == expected
    assert (snapshot(), database()) == before


def _with(name: str, old: str, new: str) -> dict[str, str]:
    assert old in JANUARY[name]
    return dict(JANUARY, **{name: JANUARY[name].replace(old, new)})


def test_a_payments_amount_or_date_never_changes(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    _refused(tmp_path, _with("payments", "P1,2026-01-20,60000.00", "P1,2026-01-20,6000.00"), [
        "payments.csv:2: amount: payment 'P1' already exists with amount '60000.00', the file "
        "has '6000.00': a payment is never changed, moved or deleted: record a refund or a new "
        "payment"])
    _refused(tmp_path, _with("payments", "P1,2026-01-20", "P1,2026-01-21"), [
        "payments.csv:2: received_on: payment 'P1' already exists with received_on 2026-01-20, "
        "the file has 2026-01-21: a payment is never changed, moved or deleted: record a refund "
        "or a new payment"])


def test_a_deal_never_moves_to_another_client(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    _refused(tmp_path, _with("deals", "3,C2,H1,open", "3,C4,H1,open"), [
        "deals.csv:4: client_id: deal '3' is a deal of client 'C2', the file has 'C4': a deal "
        "never moves to another client"])


def test_a_won_deal_does_not_reopen_and_keeps_its_win_date(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    _refused(tmp_path, _with("deals", "1,C1,H1,won,2026-01-08,2026-01-10,,",
                             "1,C1,H1,open,2026-01-08,,,"), [
        "deals.csv:2: status: deal '1' is won in the database, the file has open: a won deal "
        "can only be cancelled"])
    _refused(tmp_path, _with("deals", "1,C1,H1,won,2026-01-08,2026-01-10,,",
                             "1,C1,H1,won,2026-01-08,2026-01-11,,"), [
        "deals.csv:2: won_on: deal '1' was won on 2026-01-10, the file has 2026-01-11: a win "
        "date never changes"])


def test_the_amount_of_a_deal_with_payments_in_a_locked_month_never_changes(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    Period.objects.create(month=date(2026, 1, 1), status=PeriodStatus.LOCKED)
    # Deal 1 holds P1 (effective 10 January), deal 3 has P2 (received 25 January) waiting.
    _refused(tmp_path, _with("deals", "1,C1,H1,won,2026-01-08,2026-01-10,,100000.00",
                             "1,C1,H1,won,2026-01-08,2026-01-10,,90000.00"), [
        "deals.csv:2: amount: deal '1' has payments in the locked month 2026-01: its amount "
        "cannot change (a locked month's pay is final)"])
    _refused(tmp_path, _with("deals", "3,C2,H1,open,2026-01-16,,,30000.00",
                             "3,C2,H1,open,2026-01-16,,,35000.00"), [
        "deals.csv:4: amount: deal '3' has payments in the locked month 2026-01: its amount "
        "cannot change (a locked month's pay is final)"])


def test_a_won_deals_lines_are_fixed_and_an_open_deals_lines_follow_the_file(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    _refused(tmp_path, _with("deals", "1,C1,H1,won,2026-01-08,2026-01-10,,100000.00",
                             "1,C1,H1,won,2026-01-08,2026-01-10,,90000.00"), [
        "deals.csv:2: amount: deal '1' is won: its amount was fixed when it was won, as on the "
        "deal page"])
    report = run_import(write(tmp_path / "more", **_with("deal_lines", "2,TUB,2,", "2,TUB,3,")))
    assert report.ok, report.problems
    deal = Deal.objects.get(ref="2")
    assert (deal.status, deal.amount, deal.goods_cost) == ("open", D("60000.00"), D("36000.00"))
    assert list(deal.lines.values_list("product__sku", "quantity")) == [("TUB", D("3"))]


def test_an_employees_name_email_and_first_leaving_date_follow_the_file(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    later = dict(JANUARY, employees=EMPLOYEES.replace(
        "id,name,email,department,role,hired_on",
        "id,name,email,department,role,hired_on,left_on").replace(
        "M2,Vera Manager,vera@example.com,account_management,account_manager,2025-12-01",
        "M2,Vera Petrova,vera.petrova@example.com,account_management,account_manager,"
        "2025-12-01,2026-02-28"))
    report = run_import(write(tmp_path / "later", **later))
    assert report.ok and report.changed == {"employees": 1}
    entry = AuditEntry.objects.get(action="employee.update")
    assert (entry.object_ref, entry.details["changes"]) == ("M2", {
        "name": ["Vera Manager", "Vera Petrova"],
        "email": ["vera@example.com", "vera.petrova@example.com"],
        "left_on": [None, "2026-02-28"]})
    _refused(tmp_path, dict(later, employees=later["employees"].replace(
        "M2,Vera Petrova,vera.petrova@example.com,account_management,account_manager",
        "M2,Vera Petrova,vera.petrova@example.com,acquisition,hunter")), [
        "employees.csv:4: department: employee 'M2' already exists with department "
        "'account_management', the file has 'acquisition': only the name, the e-mail and a "
        "first leaving date of a stored employee are taken from a later file"])


def test_a_column_the_later_file_does_not_have_changes_nothing(db, tmp_path):
    run_import(write(tmp_path / "jan", **JANUARY))
    before = database()
    without = dict(JANUARY, clients=JANUARY["clients"].replace(",tax_id\n", "\n").replace(
        ",7701000001\n", "\n").replace(",\n", "\n"), deals=JANUARY["deals"].replace(
        ",amount,cost\n", "\n").replace(",100000.00,60000.00", "").replace(
        ",40000.00,24000.00", "").replace(",30000.00,10000.00", "").replace(
        ",15000.00,9000.00", ""))
    report = run_import(write(tmp_path / "partial", **without))
    assert report.ok, report.problems
    assert report.changed == {}
    assert database() == before
