"""Pay follows a cancellation: the reversal of what the deal held claws back like a refund and the
re-allocation of the released money pays like a payment, each in the month it is effective; a
cancellation recorded after its month was locked becomes adjustment lines."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from salesrelay.compensation.tests.factories import HUNTERS_PLAN, imported, payroll_json
from salesrelay.deals.actions import cancel_deal, win_deal
from salesrelay.deals.models import Deal

EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,account_manager,2026-01-01
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,ACME Baths,dealer,H1,2026-01-01
"""
# Deal 1: profit 40 000 of 100 000; deal 2: 30 000 of 80 000; deal 3 (open): 20 000 of 50 000.
DEALS = """id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost
1,C1,H1,won,2026-01-02,2026-01-10,,100000.00,60000.00
2,C1,H1,won,2026-01-02,2026-02-01,,80000.00,50000.00
3,C1,H1,open,2026-01-02,,,50000.00,30000.00
"""
PAYMENTS = """id,received_on,amount,deal_id,client_id
P1,2026-01-05,150000.00,,C1
"""
FILES = {"employees": EMPLOYEES, "clients": CLIENTS, "deals": DEALS, "payments": PAYMENTS}


def hunter_lines(month: str) -> list[tuple]:
    (anna,) = [e for e in payroll_json(month)["employees"] if e["id"] == "H1"]
    return [(line["component"], line["amount"], line["deal_id"], line["payment_id"])
            for line in anna["lines"]]


def close(month: str) -> None:
    out = StringIO()
    call_command("payroll", month, "--format", "json", stdout=out)
    call_command("period", "approve", month, stdout=out)
    call_command("period", "lock", month, stdout=out)


def test_the_reversal_claws_back_and_the_re_allocations_pay_in_their_own_months(db, tmp_path):
    imported(tmp_path / "in", FILES, plan=HUNTERS_PLAN)
    # 0.9 × 40 000 for deal 1 paid in full by the prepayment; 0.9 × 30 000 × 50 000 / 80 000.
    assert hunter_lines("2026-01") == [("salary", "40000.00", None, None),
                                       ("first-five", "36000.00", "1", "P1")]
    assert hunter_lines("2026-02") == [("salary", "40000.00", None, None),
                                       ("first-five", "16875.00", "2", "P1")]
    cancel_deal(Deal.objects.get(ref="1"), acting_user=None, closed_on=date(2026, 3, 15))
    win_deal(Deal.objects.get(ref="3"), acting_user=None, won_on=date(2026, 4, 2))
    # March: deal 1's 100 000 reversed takes back 36 000; deal 2 takes 30 000 of the released
    # money, 0.9 × 30 000 × 30 000 / 80 000. April: deal 3 takes 50 000 of it, 0.9 × 20 000.
    assert hunter_lines("2026-03") == [("salary", "40000.00", None, None),
                                       ("first-five", "-36000.00", "1", "P1"),
                                       ("first-five", "10125.00", "2", "P1")]
    assert hunter_lines("2026-04") == [("salary", "40000.00", None, None),
                                       ("first-five", "18000.00", "3", "P1")]
    # January and February are not touched.
    assert hunter_lines("2026-01")[1] == ("first-five", "36000.00", "1", "P1")
    march = payroll_json("2026-03")
    assert march["company"]["collections"] == "-70000.00"
    (anna,) = [e for e in march["employees"] if e["id"] == "H1"]
    assert anna["lines"][1]["explanation"] == (
        "Clawback: deal 1 (no. 1) cancelled on 2026-03-15; payment P1 reversed by "
        "-100,000.00 to the client's credit takes back 0.90 × profit 40,000.00 × -100,000.00 "
        "÷ amount 100,000.00")
    assert anna["lines"][2]["explanation"] == (
        "0.90 × profit 30,000.00 × counted 30,000.00 ÷ amount 80,000.00 of deal 2 (no. 2): "
        "30,000.00 of payment P1 released by the cancellation of deal 1, on 2026-03-15")


def test_a_cancellation_dated_in_a_locked_month_becomes_adjustments_in_the_next_open_one(
        db, tmp_path):
    imported(tmp_path / "in", FILES, plan=HUNTERS_PLAN)
    for month in ("2026-01", "2026-02", "2026-03"):
        close(month)
    locked = payroll_json("2026-03")
    cancel_deal(Deal.objects.get(ref="1"), acting_user=None, closed_on=date(2026, 3, 15))
    assert payroll_json("2026-03") == locked
    april = payroll_json("2026-04")
    (anna,) = [e for e in april["employees"] if e["id"] == "H1"]
    assert [(line["component"], line["amount"], line["deal_id"], line["payment_id"])
            for line in anna["lines"]] == [("salary", "40000.00", None, None),
                                           ("first-five", "-36000.00", "1", "P1"),
                                           ("first-five", "10125.00", "2", "P1")]
    assert [line["explanation"].split(" — ")[0] for line in anna["lines"][1:]] == [
        "Adjustment for the locked period 2026-03: was 0.00, now -36,000.00",
        "Adjustment for the locked period 2026-03: was 0.00, now 10,125.00",
    ]
    assert anna["lines"][1]["explanation"].split(" — ")[1].startswith(
        "Clawback: deal 1 (no. 1) cancelled on 2026-03-15")
    # Once April is locked with them, May carries nothing more for March.
    close("2026-04")
    assert hunter_lines("2026-05") == [("salary", "40000.00", None, None)]
