"""calculate → approve → lock; a locked month never changes; later facts become adjustments."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.actions import (
    add_manual_line,
    approve_period,
    calculate_period,
    lock_period,
    raise_dispute,
    resolve_dispute,
)
from salesrelay.compensation.models import Dispute, PayoutLine, Period
from salesrelay.compensation.tests.factories import imported, payroll_json
from salesrelay.deals.actions import add_direct_cost
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.errors import ActionError
from salesrelay.payments.actions import record_payment
from salesrelay.people.models import Employee

MARCH, APRIL, MAY = Month(2026, 3), Month(2026, 4), Month(2026, 5)


def lines(result: dict, employee: str) -> list[tuple[str, str]]:
    (person,) = [e for e in result["employees"] if e["id"] == employee]
    return [(line["component"], line["amount"]) for line in person["lines"]]


def close(month: str) -> None:
    out = StringIO()
    call_command("payroll", month, "--format", "json", stdout=out)
    call_command("period", "approve", month, stdout=out)
    call_command("period", "lock", month, stdout=out)


def test_a_period_is_approved_then_locked_in_that_order(db, tmp_path):
    imported(tmp_path / "in")
    with pytest.raises(CommandError) as refused:
        call_command("period", "approve", "2026-03")
    assert str(refused.value) == "2026-03 has not been calculated yet; run payroll 2026-03 first"
    calculate_period(MARCH)
    with pytest.raises(ActionError) as refused:
        lock_period(MARCH)
    assert refused.value.message == ("2026-03 is Calculated; only an approved period can be "
                                     "locked (3 statements still to approve)")
    approve_period(MARCH)  # the command line approves every statement
    lock_period(MARCH)
    assert Period.objects.get().status == "locked"
    assert list(AuditEntry.objects.filter(object_type="period").values_list("action", flat=True)
                .order_by("id")) == ["period.calculate", "statement.approve", "statement.approve",
                                     "statement.approve", "period.approve", "period.lock"]


def test_a_late_refund_in_a_locked_month_becomes_adjustments_in_the_next_open_month(db, tmp_path):
    imported(tmp_path / "in")
    close("2026-03")
    locked = payroll_json("2026-03")
    stored = list(PayoutLine.objects.order_by("id").values_list("id", "amount"))
    deal = Deal.objects.get(ref="1")
    refund = record_payment(amount=D("-20000.00"), received_on=date(2026, 3, 25), deal=deal,
                            acting_user=None)
    # The locked month reads back exactly as it was locked.
    assert payroll_json("2026-03") == locked
    assert list(PayoutLine.objects.order_by("id").values_list("id", "amount")) == stored
    april = payroll_json("2026-04")
    # March again: R 80 000, G 48 000, hunter 54 000 − 10 800, pool 4 000 (31 : 32),
    # V 47 200, O 300 → bonus 30.00 by 31 : 31 : 32 of 94.
    assert lines(april, "H1") == [("salary", "40000.00"), ("first-five", "-10800.00"),
                                  ("breakeven", "-6.59")]
    assert lines(april, "M1") == [("salary", "50000.00"), ("pool", "-492.07"),
                                  ("breakeven", "-6.60")]
    assert lines(april, "M2") == [("salary", "50000.00"), ("pool", "-507.93"),
                                  ("breakeven", "-6.81")]
    clawback = april["employees"][0]["lines"][1]
    assert (clawback["payment_id"], clawback["deal_id"], clawback["deal_number"]) == (
        refund.ref, "1", 1)
    assert clawback["explanation"].startswith(
        "Adjustment for the locked period 2026-03: was 0.00, now -10,800.00 — Clawback: refund ")
    # Once April is locked with them, May carries nothing more for March.
    close("2026-04")
    assert lines(payroll_json("2026-05"), "H1") == [("salary", "40000.00")]


def test_a_cost_corrected_after_the_lock_claws_back_the_share_of_the_profit(db, tmp_path):
    imported(tmp_path / "in")
    close("2026-03")
    add_direct_cost(Deal.objects.get(ref="1"), category="delivery", amount=D("20000.00"),
                    acting_user=None)
    # Profit 100 000 instead of 120 000: March's share 0.9 × 100 000 × ½ = 45 000 (was 54 000).
    assert lines(payroll_json("2026-04"), "H1")[:2] == [("salary", "40000.00"),
                                                         ("first-five", "-9000.00")]


def test_disputes_are_resolved_with_a_manual_adjustment_that_needs_a_reason(db, tmp_path):
    imported(tmp_path / "in")
    calculate_period(MARCH)
    hunter = Employee.objects.get(ref="H1")
    line = PayoutLine.objects.get(employee=hunter, component="first-five")
    with pytest.raises(ActionError):
        raise_dispute(line, employee=Employee.objects.get(ref="M1"), comment="not mine")
    dispute = raise_dispute(line, employee=hunter, comment="The client paid 120 000, not 100 000")
    with pytest.raises(ActionError) as refused:
        resolve_dispute(dispute, resolution="Agreed", adjustment="1800.00", reason="")
    assert refused.value.message == "a manual adjustment must carry a reason"
    assert PayoutLine.objects.filter(source="manual").count() == 0
    assert Dispute.objects.get().status == "open"
    resolve_dispute(dispute, resolution="Agreed: P3 was meant for deal 1",
                    adjustment="1800.00", reason="P3 recorded against the client by mistake")
    assert lines(payroll_json("2026-03"), "H1") == [
        ("salary", "40000.00"), ("first-five", "54000.00"), ("breakeven", "16.49"),
        ("manual", "1800.00")]
    dispute.refresh_from_db()
    assert (dispute.status, dispute.line.component, dispute.adjustment.amount) == (
        "resolved", "first-five", D("1800.00"))


def test_a_manual_line_for_a_locked_month_goes_to_the_next_open_month(db, tmp_path):
    imported(tmp_path / "in")
    close("2026-03")
    march = Period.objects.get(month="2026-03-01")
    line = add_manual_line(march, Employee.objects.get(ref="M1"), D("-100.00"), "Advance paid")
    assert (str(line.period), line.adjusts) == ("2026-04", date(2026, 3, 1))
    assert lines(payroll_json("2026-04"), "M1")[-1] == ("manual", "-100.00")


def test_locked_months_beyond_the_adjustment_window_are_final(db, tmp_path, settings):
    imported(tmp_path / "in")
    close("2026-02")
    close("2026-03")
    settings.SALESRELAY = {**settings.SALESRELAY, "ADJUSTMENT_MONTHS": 1}
    # A refund dated in February, recorded after both months were locked.
    record_payment(amount=D("-10000.00"), received_on=date(2026, 2, 20),
                   deal=Deal.objects.get(ref="1"), acting_user=None)
    assert lines(payroll_json("2026-04"), "H1") == [("salary", "40000.00")]
    settings.SALESRELAY = {**settings.SALESRELAY, "ADJUSTMENT_MONTHS": 2}
    # 0.9 × 120 000 × −10 000 / 200 000 in February; February's pool and bonus change too.
    assert lines(payroll_json("2026-04"), "H1")[:2] == [("salary", "40000.00"),
                                                         ("first-five", "-5400.00")]
