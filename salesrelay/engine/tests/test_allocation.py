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


def parts(allocated):
    return [(a.payment, a.deal, a.amount, a.effective_on, a.released_from) for a in allocated]


def test_a_prepayment_released_by_a_cancellation_goes_to_the_deal_owing_then_the_next_win():
    ledger = ClientLedger()
    assert ledger.pay("P1", date(2026, 1, 5), D("150000.00")) == []
    assert parts(ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100000.00"))) == [
        ("P1", "D1", D("100000.00"), date(2026, 1, 10), None)]
    assert parts(ledger.win("D2", won_on=date(2026, 2, 1), amount=D("80000.00"))) == [
        ("P1", "D2", D("50000.00"), date(2026, 2, 1), None)]
    # D1 is cancelled in March: its 100 000.00 is reversed that day and released; D2 still owes
    # 30 000.00 and takes it at once, the other 70 000.00 is credit.
    assert parts(ledger.cancel("D1", on=date(2026, 3, 15))) == [
        ("P1", "D1", D("-100000.00"), date(2026, 3, 15), "D1"),
        ("P1", "D2", D("30000.00"), date(2026, 3, 15), "D1"),
    ]
    assert (ledger.allocated("D1"), ledger.allocated("D2"), ledger.credit) == (
        D("0.00"), D("80000.00"), D("70000.00"))
    # The next deal won takes the released credit on its win.
    assert parts(ledger.win("D3", won_on=date(2026, 4, 2), amount=D("50000.00"))) == [
        ("P1", "D3", D("50000.00"), date(2026, 4, 2), "D1")]
    assert [(c.payment, c.since, c.remaining, c.released_from) for c in ledger.credit_parts()] == [
        ("P1", date(2026, 3, 15), D("20000.00"), "D1")]


def test_a_deal_paid_by_its_own_payment_then_cancelled_gives_it_back_as_credit():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100000.00"))
    ledger.pay("P1", date(2026, 1, 20), D("60000.00"), deal="D1")
    assert parts(ledger.cancel("D1", on=date(2026, 2, 3))) == [
        ("P1", "D1", D("-60000.00"), date(2026, 2, 3), "D1")]
    assert ledger.credit == D("60000.00")
    # A payment naming the cancelled deal is the client's money: credit, as nothing owes.
    assert ledger.pay("P2", date(2026, 2, 4), D("10000.00"), deal="D1") == []
    assert ledger.credit == D("70000.00")
    assert parts(ledger.win("D2", won_on=date(2026, 3, 1), amount=D("65000.00"))) == [
        ("P1", "D2", D("60000.00"), date(2026, 3, 1), "D1"),
        ("P2", "D2", D("5000.00"), date(2026, 3, 1), None),
    ]
    assert ledger.credit == D("5000.00")


def test_a_payment_naming_a_cancelled_deal_goes_first_in_first_out_like_a_client_payment():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.win("D2", won_on=date(2026, 1, 12), amount=D("40.00"))
    ledger.cancel("D1", on=date(2026, 1, 15))
    assert parts(ledger.pay("P1", date(2026, 1, 20), D("50.00"), deal="D1")) == [
        ("P1", "D2", D("40.00"), date(2026, 1, 20), None)]
    assert ledger.credit == D("10.00")


def test_a_refund_naming_the_client_draws_on_the_credit_oldest_first():
    ledger = ClientLedger()
    ledger.pay("P1", date(2026, 1, 5), D("300.00"))
    ledger.pay("P2", date(2026, 1, 6), D("200.00"))
    assert ledger.pay("R1", date(2026, 1, 9), D("-350.00")) == []
    assert [(c.payment, c.remaining) for c in ledger.credit_parts()] == [("P2", D("150.00"))]
    # A refund naming a cancelled deal draws on the credit too.
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.cancel("D1", on=date(2026, 1, 11))
    assert ledger.pay("R2", date(2026, 1, 12), D("-150.00"), deal="D1") == []
    assert ledger.credit == D("0.00")


def test_a_refund_above_the_credit_is_refused_and_changes_nothing():
    ledger = ClientLedger()
    ledger.pay("P1", date(2026, 1, 5), D("200.00"))
    with pytest.raises(AllocationError) as refused:
        ledger.pay("R1", date(2026, 1, 9), D("-500.00"))
    assert (refused.value.code, refused.value.available, str(refused.value)) == (
        "refund_exceeds_credit", D("200.00"),
        "the refund of 500.00 is more than the client's credit of 200.00")
    assert ledger.credit == D("200.00")


def test_refund_cannot_exceed_what_the_deal_received():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.pay("P1", date(2026, 1, 11), D("40.00"), deal="D1")
    with pytest.raises(AllocationError) as too_much:
        ledger.pay("R1", date(2026, 1, 12), D("-40.01"), deal="D1")
    assert (too_much.value.code, too_much.value.available) == ("refund_exceeds_paid", D("40.00"))
    assert ledger.allocated("D1") == D("40.00")


def test_a_cancellation_gives_back_each_payment_net_of_the_refunds_on_the_deal():
    ledger = ClientLedger()
    ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100.00"))
    ledger.pay("P1", date(2026, 1, 11), D("80.00"), deal="D1")
    ledger.pay("P2", date(2026, 1, 12), D("40.00"), deal="D1")
    ledger.pay("R1", date(2026, 1, 13), D("-30.00"), deal="D1")
    # The refund gave back 30.00 of what came first: P1 holds 50.00, P2 40.00.
    assert parts(ledger.cancel("D1", on=date(2026, 1, 20))) == [
        ("P1", "D1", D("-50.00"), date(2026, 1, 20), "D1"),
        ("P2", "D1", D("-40.00"), date(2026, 1, 20), "D1"),
    ]
    assert ledger.credit == D("90.00")
    with pytest.raises(AllocationError) as again:
        ledger.cancel("D1", on=date(2026, 1, 21))
    assert again.value.code == "already_cancelled"
    with pytest.raises(AllocationError) as open_deal:
        ledger.cancel("D9", on=date(2026, 1, 21))
    assert open_deal.value.code == "not_won"


def test_a_ledger_loaded_with_what_was_stored_continues_as_the_one_that_stored_it():
    ledger = ClientLedger()
    ledger.add_deal("D1", won_on=date(2026, 1, 10), amount=D("100.00"), allocated=D("100.00"),
                    held=[("P1", D("70.00")), ("P2", D("30.00"))])
    ledger.add_deal("D2", won_on=date(2026, 1, 11), amount=D("50.00"), allocated=D("20.00"),
                    held=[("P2", D("20.00"))])
    ledger.add_credit("P3", received_on=date(2026, 1, 12), remaining=D("10.00"))
    ledger.add_refunded(D("4.00"))
    assert parts(ledger.cancel("D1", on=date(2026, 2, 1))) == [
        ("P1", "D1", D("-70.00"), date(2026, 2, 1), "D1"),
        ("P2", "D1", D("-30.00"), date(2026, 2, 1), "D1"),
        ("P1", "D2", D("30.00"), date(2026, 2, 1), "D1"),
    ]
    assert [(c.payment, c.remaining, c.released_from) for c in ledger.credit_parts()] == [
        ("P3", D("6.00"), None), ("P1", D("40.00"), "D1"), ("P2", D("30.00"), "D1")]


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
