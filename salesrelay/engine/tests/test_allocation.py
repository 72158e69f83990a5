from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.engine.allocation import AllocationError, ClientLedger
from salesrelay.engine.handoff import next_account_manager
from salesrelay.engine.money import money, round_money
from salesrelay.engine.ordinals import compare_ids, next_number, win_sort_key


def test_client_payment_goes_to_the_oldest_unpaid_deal_first():
    ledger = ClientLedger()
    ledger.win("D2", won_on=date(2026, 2, 1), amount=D("300.00"))
    ledger.win("D1", won_on=date(2026, 1, 15), amount=D("100.00"))
    parts = ledger.pay("P1", date(2026, 2, 10), D("250.00"))
    assert [(a.deal, a.amount, a.effective_on) for a in parts] == [
        ("D1", D("100.00"), date(2026, 2, 10)),
        ("D2", D("150.00"), date(2026, 2, 10)),
    ]
    assert ledger.credit == D("0.00")


def test_leftover_is_credit_applied_to_the_next_deal_won_effective_on_its_win():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 15), amount=D("100.00"))
    ledger.pay("P1", date(2026, 1, 20), D("180.00"))
    assert ledger.credit == D("80.00")
    parts = ledger.win("D2", won_on=date(2026, 3, 3), amount=D("50.00"))
    assert [(a.payment, a.deal, a.amount, a.effective_on) for a in parts] == [
        ("P1", "D2", D("50.00"), date(2026, 3, 3))]
    assert ledger.credit == D("30.00")


def test_credit_is_used_oldest_payment_first():
    ledger = ClientLedger()
    ledger.pay("P1", date(2026, 1, 5), D("40.00"))
    ledger.pay("P2", date(2026, 1, 6), D("40.00"))
    parts = ledger.win("D1", won_on=date(2026, 1, 10), amount=D("60.00"))
    assert [(a.payment, a.amount) for a in parts] == [("P1", D("40.00")), ("P2", D("20.00"))]


def test_cancelled_deal_takes_no_client_money_but_accepts_its_refund():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.pay("P1", date(2026, 1, 11), D("100.00"), deal="D1")
    ledger.cancel("D1")
    assert ledger.pay("P2", date(2026, 1, 12), D("30.00")) == []
    assert ledger.credit == D("30.00")
    refund = ledger.pay("R1", date(2026, 2, 1), D("-100.00"), deal="D1")
    assert [(a.amount, a.effective_on) for a in refund] == [(D("-100.00"), date(2026, 2, 1))]
    with pytest.raises(AllocationError) as refused:
        ledger.pay("P3", date(2026, 2, 2), D("10.00"), deal="D1")
    assert refused.value.code == "deal_cancelled"


def test_refund_cannot_exceed_what_the_deal_received_nor_go_without_a_deal():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.pay("P1", date(2026, 1, 11), D("40.00"), deal="D1")
    with pytest.raises(AllocationError) as too_much:
        ledger.pay("R1", date(2026, 1, 12), D("-40.01"), deal="D1")
    assert too_much.value.code == "refund_exceeds_paid"
    with pytest.raises(AllocationError) as no_deal:
        ledger.pay("R2", date(2026, 1, 12), D("-10.00"))
    assert no_deal.value.code == "refund_without_deal"
    assert ledger.allocated("D1") == D("40.00")


def test_overpayment_against_a_deal_is_allocated_to_it_whole():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    parts = ledger.pay("P1", date(2026, 1, 11), D("130.00"), deal="D1")
    assert [a.amount for a in parts] == [D("130.00")]
    assert ledger.allocated("D1") == D("130.00")


def test_payment_before_the_win_waits_and_takes_the_win_date():
    ledger = ClientLedger()
    assert ledger.pay("P1", date(2026, 1, 5), D("70.00"), deal="D1") == []
    parts = ledger.win("D1", won_on=date(2026, 2, 1), amount=D("100.00"))
    assert [(a.payment, a.amount, a.effective_on) for a in parts] == [
        ("P1", D("70.00"), date(2026, 2, 1))]


def test_ids_compare_as_numbers_when_both_are_whole_numbers():
    assert compare_ids("9", "10") == -1
    assert compare_ids("A10", "A9") == -1  # text
    assert sorted([(date(2026, 1, 1), "10"), (date(2026, 1, 1), "9"), (date(2025, 12, 31), "11")],
                  key=win_sort_key) == [(date(2025, 12, 31), "11"), (date(2026, 1, 1), "9"),
                                        (date(2026, 1, 1), "10")]
    assert next_number([None, 1, 2]) == 3
    assert next_number([]) == 1


def test_round_robin_wraps_and_skips_nobody():
    assert next_account_manager([4, 2, 9], last=None) == 2
    assert next_account_manager([4, 2, 9], last=4) == 9
    assert next_account_manager([4, 2, 9], last=9) == 2
    assert next_account_manager([4, 2, 9], last=5) == 9


def test_money_reads_russian_and_english_numbers_and_rounds_half_up():
    assert money("1 234,56") == D("1234.56")
    assert money("1,234.56") == D("1234.56")
    assert money("1.234,56") == D("1234.56")
    assert round_money(D("0.125")) == D("0.13")
    assert round_money(D("-0.125")) == D("-0.13")
    with pytest.raises(ValueError):
        money(0.1)
