"""Each stage of the importer on its own, on tiny inputs: the exact records, plans and replays."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.clients.models import Client
from salesrelay.deals.models import Deal
from salesrelay.engine.allocation import Allocated
from salesrelay.imports.parse import (
    ClientRecord,
    DealRecord,
    EmployeeRecord,
    LineRecord,
    PaymentRecord,
    parse_all,
    parse_clients,
    parse_deal_lines,
    parse_deals,
    parse_employees,
    parse_payments,
)
from salesrelay.imports.plan import DealFigures, make_plan, replay_input
from salesrelay.imports.reader import read_text
from salesrelay.imports.replay import Cancel, Manager, Pay, Win, replay
from salesrelay.imports.report import ImportReport
from salesrelay.imports.write import write_plan
from salesrelay.payments.models import Allocation

D0 = date(2026, 1, 1)


def parsed(parse, name, text):
    problems = []
    records = parse(read_text(name, text), problems).records
    return records, [str(p) for p in problems]


# Parse ---------------------------------------------------------------------------------------
def test_employee_rows_become_records_with_their_defaults():
    records, problems = parsed(parse_employees, "employees", (
        "id,name,email,department,role,hired_on,left_on\n"
        "H1,Anna Hunter,,acquisition,hunter,2026-01-01,\n"
        "M1,Boris Manager,boris@example.com,account_management,account_manager,01.01.2026,"
        "31.12.2026\n"))
    assert problems == []
    assert records == [
        EmployeeRecord(2, "H1", "Anna Hunter", "", "acquisition", "hunter", D0, None, D("1"),
                       None),
        EmployeeRecord(3, "M1", "Boris Manager", "boris@example.com", "account_management",
                       "account_manager", D0, date(2026, 12, 31), D("1"), None)]


def test_every_bad_cell_of_a_row_is_reported_and_the_row_gives_no_record():
    records, problems = parsed(parse_employees, "employees", (
        "id,name,email,department,role,hired_on,left_on,pool_weight\n"
        "H1,Anna,,acquisition,account_manager,2026-02-30,2025-01-01,-1\n"
        "H1,Anna,,acquisition,hunter,2026-01-01,2025-01-01,\n"))
    assert records == []
    assert problems == [
        "employees.csv:2: hired_on: '2026-02-30' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        "employees.csv:2: pool_weight: '-1' is negative",
        "employees.csv:2: role: a account_manager does not work in acquisition",
        "employees.csv:3: left_on: is before hired_on",
        "employees.csv:3: id: id 'H1' appears twice in the file",
    ]


def test_a_deal_row_is_checked_against_itself():
    records, problems = parsed(parse_deals, "deals", (
        "id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost\n"
        "1,C1,H1,won,2026-01-10,2026-02-01,,100000.00,60000.00\n"
        "2,C1,H1,won,2026-01-10,,,100.00,\n"
        "3,C1,H1,open,2026-01-10,2026-01-09,,100.00,\n"
        "4,C1,H1,cancelled,2026-01-10,2026-01-12,2026-01-11,,\n"))
    assert records == [DealRecord(2, "1", "C1", "H1", "won", date(2026, 1, 10), date(2026, 2, 1),
                                  None, D("100000.00"), D("60000.00"), D("0"))]
    assert problems == [
        "deals.csv:3: won_on: a won deal needs the date it was won",
        "deals.csv:4: won_on: a open deal has no win date",
        "deals.csv:4: won_on: is before created_on",
        "deals.csv:5: closed_on: is before won_on",
    ]


def test_clients_lines_and_payments_parse_to_records():
    clients, problems = parsed(parse_clients, "clients", (
        "id,name,segment,acquired_by,created_on,tax_id\n"
        "C1,ACME Baths,dealer,H1,2026-01-05,7701000001\n"
        "C2,ООО,dealer,H1,2026-01-05,7701000001\n"))
    assert clients == [ClientRecord(2, "C1", "ACME Baths", "dealer", "H1", date(2026, 1, 5),
                                    "7701000001", None)]
    assert problems == ["clients.csv:3: tax_id: tax id '7701000001' is also client 'C1'",
                        "clients.csv:3: name: a client needs a name"]
    lines, problems = parsed(parse_deal_lines, "deal_lines", (
        "deal_id,sku,quantity,unit_price\n1,TUB,2,20000\n1,JET,0,5000\n"))
    assert lines == [LineRecord(2, "1", "TUB", D("2"), D("20000.00"), None)]
    assert problems == ["deal_lines.csv:3: quantity: must be above zero"]
    payments, problems = parsed(parse_payments, "payments", (
        "id,received_on,amount,deal_id,client_id\nP1,2026-01-20,\"1 200,50\",,C1\n"
        "P2,2026-01-20,0,1,\nP3,2026-01-20,10,,\n"))
    assert payments == [PaymentRecord(2, "P1", date(2026, 1, 20), D("1200.50"), None, "C1")]
    assert problems == ["payments.csv:3: amount: a payment of zero applies to nothing",
                        "payments.csv:4: deal_id: a payment names its deal or its client"]


# Replay (pure) -------------------------------------------------------------------------------
MANAGERS = [Manager("M1", D0, None), Manager("M2", D0, date(2026, 2, 28)),
            Manager("M3", D0, None)]


def test_deals_are_numbered_per_client_by_win_date_then_id_and_take_the_credit_first_in_first_out():
    done = replay(
        [Win(date(2026, 2, 1), "10", "10", "C1", D("100000")),
         Win(date(2026, 2, 1), "9", "9", "C1", D("50000")),
         Win(date(2026, 3, 1), "11", "11", "C2", D("10000"))],
        [Pay(date(2026, 1, 20), "P1", "P1", "C1", D("120000"), None, None),
         Pay(date(2026, 2, 10), "P2", "P2", "C1", D("30000"), None, None)],
        [], managers=MANAGERS)
    assert done.numbers == {"9": 1, "10": 2, "11": 1}
    assert done.allocations == [
        Allocated("P1", "9", D("50000"), date(2026, 2, 1)),
        Allocated("P1", "10", D("70000"), date(2026, 2, 1)),
        Allocated("P2", "10", D("30000"), date(2026, 2, 10))]
    # M2 left in February: C2 goes to M3.
    assert done.handoffs == {"C1": ("M1", date(2026, 2, 1)), "C2": ("M3", date(2026, 3, 1))}
    assert done.refused == []


def test_the_round_robin_skips_who_has_left_and_starts_after_the_last_stored_handoff():
    wins = [Win(date(2026, 3, day), str(day), str(day), f"C{day}", D("10")) for day in (1, 2, 3)]
    done = replay(wins, [], [], managers=MANAGERS, last_manager="M1",
                  chosen={"C3": "M1"})
    # M2 left in February: M3, then M1 again; C3's row names M1.
    assert done.handoffs == {"C1": ("M3", date(2026, 3, 1)), "C2": ("M1", date(2026, 3, 2)),
                             "C3": ("M1", date(2026, 3, 3))}


def test_with_handoffs_on_payment_a_client_waits_for_money_on_a_deal():
    done = replay([Win(date(2026, 2, 1), "1", "1", "C1", D("100"))],
                  [Pay(date(2026, 2, 5), "P1", "P1", "C1", D("40"), "1", "1")], [],
                  managers=MANAGERS, handoff_on_payment=True)
    assert done.handoffs == {"C1": ("M1", date(2026, 2, 5))}


def test_a_cancellation_releases_what_the_deal_holds_and_a_refund_beyond_it_is_refused():
    done = replay(
        [Win(date(2026, 1, 10), "1", "1", "C1", D("100")),
         Win(date(2026, 1, 12), "2", "2", "C1", D("30"))],
        [Pay(date(2026, 1, 11), "P1", "P1", "C1", D("100"), "1", "1"),
         Pay(date(2026, 1, 13), "R1", "R1", "C1", D("-500"), "2", "2")],
        [Cancel(date(2026, 1, 20), "1", "1", "C1")], managers=MANAGERS)
    assert done.allocations == [
        Allocated("P1", "1", D("100"), date(2026, 1, 11)),
        Allocated("P1", "1", D("-100"), date(2026, 1, 20), "1"),
        Allocated("P1", "2", D("30"), date(2026, 1, 20), "1")]
    assert done.refused == [("R1", "the refund of 500 exceeds the 0.00 paid on deal '2'")]


# Plan and write (the database) ---------------------------------------------------------------
EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01
"""
CLIENTS = "id,name,segment,acquired_by,created_on\nC1,ACME Baths,dealer,H1,2026-01-05\n"
DEALS = ("id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost,direct_cost\n"
         "1,C1,H1,won,2026-01-10,2026-02-01,,100000.00,60000.00,5000.00\n"
         "2,C1,H1,open,2026-01-11,,,,,\n")
LINES = "deal_id,sku,quantity,unit_price\n2,TUB,2,20000.00\n"
PRODUCTS = "sku,name,price,unit_cost\nTUB,Hydromassage tub,20000.00,12000.00\n"
PAYMENTS = "id,received_on,amount,deal_id,client_id\nP1,2026-01-20,30000.00,,C1\n"


def plan_of(report=None, **files):
    tables = {name: read_text(name, text) for name, text in files.items()}
    problems = []
    records = parse_all(tables, problems)
    report = report or ImportReport(problems=problems)
    return make_plan(records, report), report


@pytest.fixture
def files():
    return {"employees": EMPLOYEES, "products": PRODUCTS, "clients": CLIENTS, "deals": DEALS,
            "deal_lines": LINES, "payments": PAYMENTS}


def test_the_plan_of_new_records_gives_each_deal_its_figures_and_the_replay_its_events(db, files):
    plan, report = plan_of(**files)
    assert report.problems == [] and report.created == {
        "employees": 2, "products": 1, "clients": 1, "deals": 2, "payments": 1}
    assert plan.figures == {"1": DealFigures(D("100000.00"), D("55000.00"), D("5000.00")),
                            "2": DealFigures(D("40000.00"), D("24000.00"), D("0"))}
    assert plan.lines == {"2": [LineRecord(2, "2", "TUB", D("2"), D("20000.00"),
                                           D("12000.00"))]}
    given = replay_input(plan)
    assert (given.wins, given.payments, given.cancels) == (
        [Win(date(2026, 2, 1), "1", "1", "C1", D("100000.00"))],
        [Pay(date(2026, 1, 20), "P1", "P1", "C1", D("30000.00"), None, None)], [])
    assert [m.ref for m in given.managers] == ["M1"] and given.starts == {}


def test_the_plan_against_what_is_stored_says_unchanged_changed_or_refused(db, files):
    plan, report = plan_of(**files)
    write_plan(plan, replay(*_events(plan), managers=replay_input(plan).managers), report,
               source="test", progress=lambda message: None)
    later = dict(files, clients=CLIENTS.replace("ACME Baths", "ACME Baths & Spa"),
                 deals=DEALS.replace("2,C1,H1,open,2026-01-11,,,", "2,C1,H1,lost,2026-01-11,,"
                                     "2026-02-03,"),
                 payments=PAYMENTS.replace("30000.00", "3000.00"))
    plan, report = plan_of(**later)
    assert [str(p) for p in report.problems] == [
        "payments.csv:2: amount: payment 'P1' already exists with amount '30000.00', the file "
        "has '3000.00': a payment is never changed, moved or deleted: record a refund or a new "
        "payment"]
    assert report.changed == {"clients": 1}
    assert plan.client_updates[0][1] == {"name": ["ACME Baths", "ACME Baths & Spa"]}
    plan, report = plan_of(**dict(later, payments=PAYMENTS))
    assert report.problems == []
    assert (report.created, report.skipped, report.changed) == (
        {}, {"employees": 2, "products": 1, "payments": 1, "deals": 1}, {"clients": 1, "deals": 1})
    assert plan.deal_updates == {"2": {"status": ["open", "lost"],
                                       "closed_on": [None, date(2026, 2, 3)]}}


def test_the_write_stores_the_plan_and_its_replay(db, files):
    plan, report = plan_of(**files)
    write_plan(plan, replay(*_events(plan), managers=replay_input(plan).managers), report,
               source="test", progress=lambda message: None)
    client = Client.objects.get(ref="C1")
    assert (client.owner.ref, client.owning_department, client.handed_off_on) == (
        "M1", "account_management", date(2026, 2, 1))
    assert sorted(Deal.objects.values_list("ref", "number", "amount", "goods_cost",
                                           "direct_cost")) == [
        ("1", 1, D("100000.00"), D("55000.00"), D("5000.00")),
        ("2", None, D("40000.00"), D("24000.00"), D("0.00"))]
    assert list(Allocation.objects.values_list("payment__ref", "deal__ref", "amount",
                                               "effective_on")) == [
        ("P1", "1", D("30000.00"), date(2026, 2, 1))]


def test_a_record_is_frozen():
    record = PaymentRecord(2, "P1", D0, D("1"), None, "C1")
    with pytest.raises(AttributeError):
        record.amount = D("2")  # type: ignore[misc]
    assert replace(record, client_ref="C2").client_ref == "C2"


def _events(plan):
    given = replay_input(plan)
    return given.wins, given.payments, given.cancels


def _indexes(table):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
                           [table])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = %s", [table])
        return sorted(cursor.fetchall())


def test_a_bulk_load_builds_the_tables_indexes_again_after_its_rows(db, files, monkeypatch):
    import salesrelay.bulk

    monkeypatch.setattr(salesrelay.bulk, "BULK", 1)  # every table of the import is a bulk load
    before = {t: _indexes(t) for t in ("deals_deal", "payments_payment", "payments_allocation",
                                       "clients_client")}
    plan, report = plan_of(**files)
    from django.db import transaction

    with transaction.atomic():
        write_plan(plan, replay(*_events(plan), managers=replay_input(plan).managers), report,
                   source="test", progress=lambda message: None)
    assert {t: _indexes(t) for t in before} == before
    assert Deal.objects.filter(won_on=date(2026, 2, 1)).count() == 1
    from django.db import connection

    # ... and leaves the planner statistics of each table it loaded (SQLite keeps none before).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tablename FROM pg_stats WHERE tablename = ANY(%s)",
                           [list(before)])
        else:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {name for (name,) in cursor.fetchall()}
    assert analysed & set(before) == set(before)
