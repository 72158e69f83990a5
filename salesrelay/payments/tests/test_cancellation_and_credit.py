"""SPEC §1 in the app: a cancellation releases what the deal holds to the client's credit, which
goes to the deals that owe and then to the next deal won; refunds of credit name the client."""

from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.audit.models import AuditEntry
from salesrelay.deals.actions import cancel_deal, win_deal
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.payments.actions import record_payment
from salesrelay.payments.ledger import load_ledger
from salesrelay.payments.models import Allocation, Payment
from salesrelay.payments.selectors import credit_by_client, deal_credit, receivable_by_client


def rows(**filters):
    return list(Allocation.objects.filter(**filters).order_by("id").values_list(
        "payment__ref", "deal__number", "amount", "effective_on", "released_from__number"))


@pytest.fixture
def acme(company):
    anna = company.hunter()
    company.manager("Boris")
    client = company.prospect("ACME Baths", anna)
    # The client's deals are opened while the hunter still owns it.
    deals = [company.deal(client, anna, amount=amount, cost="10000.00")
             for amount in ("100000.00", "80000.00", "50000.00")]
    return client, deals


def test_a_prepayment_released_in_a_later_month_goes_to_the_deal_owing_then_the_next_win(acme):
    client, (first, second, third) = acme
    prepaid = record_payment(client=client, amount=D("150000.00"), received_on=date(2026, 1, 5),
                             acting_user=None)
    win_deal(first, acting_user=None, won_on=date(2026, 1, 10))
    win_deal(second, acting_user=None, won_on=date(2026, 2, 1))
    cancel_deal(first, acting_user=None, closed_on=date(2026, 3, 15), reason="returned")
    p1 = prepaid.ref
    assert rows() == [
        (p1, 1, D("100000.00"), date(2026, 1, 10), None),
        (p1, 2, D("50000.00"), date(2026, 2, 1), None),
        (p1, 1, D("-100000.00"), date(2026, 3, 15), 1),
        (p1, 2, D("30000.00"), date(2026, 3, 15), 1),
    ]
    assert credit_by_client([client.pk]) == {client.pk: D("70000.00")}
    assert receivable_by_client([client.pk])[client.pk] == D("0.00")
    (entry,) = AuditEntry.objects.filter(action="deal.cancel")
    assert (entry.details["released"], entry.details["reallocated"], entry.details["credit_after"]) \
        == ("100000.00", [[second.ref, "30000.00", "2026-03-15"]], "70000.00")
    # The next deal won takes the released credit on its win.
    win_deal(third, acting_user=None, won_on=date(2026, 4, 2))
    assert rows(deal=third) == [(p1, 3, D("50000.00"), date(2026, 4, 2), 1)]
    assert credit_by_client([client.pk]) == {client.pk: D("20000.00")}
    shown = deal_credit(first)
    assert (shown.client_credit, shown.release.released, shown.release.credit) == (
        D("20000.00"), D("100000.00"), D("20000.00"))
    assert [(a.deal.ref, a.amount) for a in shown.release.reallocations] == [
        (second.ref, D("30000.00")), (third.ref, D("50000.00"))]


def test_a_deal_paid_by_its_own_payment_then_cancelled(acme):
    client, (first, second, _third) = acme
    win_deal(first, acting_user=None, won_on=date(2026, 1, 10))
    own = record_payment(deal=first, amount=D("60000.00"), received_on=date(2026, 1, 20),
                         acting_user=None)
    cancel_deal(first, acting_user=None, closed_on=date(2026, 2, 3))
    assert rows() == [(own.ref, 1, D("60000.00"), date(2026, 1, 20), None),
                      (own.ref, 1, D("-60000.00"), date(2026, 2, 3), 1)]
    assert credit_by_client([client.pk]) == {client.pk: D("60000.00")}
    # A payment naming the cancelled deal is the client's credit too.
    late = record_payment(deal=first, amount=D("10000.00"), received_on=date(2026, 2, 4),
                          acting_user=None)
    assert late.allocations.count() == 0
    win_deal(second, acting_user=None, won_on=date(2026, 3, 1))
    assert rows(deal=second) == [(own.ref, 2, D("60000.00"), date(2026, 3, 1), 1),
                                 (late.ref, 2, D("10000.00"), date(2026, 3, 1), None)]
    assert credit_by_client([client.pk]) == {client.pk: D("0.00")}
    assert receivable_by_client([client.pk])[client.pk] == D("10000.00")


def test_a_client_level_refund_pays_back_credit(acme):
    client, (first, _second, _third) = acme
    win_deal(first, acting_user=None, won_on=date(2026, 1, 10))
    record_payment(client=client, amount=D("130000.00"), received_on=date(2026, 1, 20),
                   acting_user=None)
    refund = record_payment(client=client, amount=D("-25000.00"), received_on=date(2026, 2, 1),
                            acting_user=None, reference="credit note")
    assert (refund.deal, refund.amount, refund.allocations.count()) == (None, D("-25000.00"), 0)
    assert credit_by_client([client.pk]) == {client.pk: D("5000.00")}
    assert load_ledger(client).credit == D("5000.00")
    assert AuditEntry.objects.get(action="payment.record", object_ref=refund.ref).details[
        "credit_after"] == "5000.00"


def test_a_refund_above_the_credit_is_refused_with_the_credit_named_and_nothing_written(acme):
    client, (first, _second, _third) = acme
    win_deal(first, acting_user=None, won_on=date(2026, 1, 10))
    record_payment(client=client, amount=D("100200.00"), received_on=date(2026, 1, 20),
                   acting_user=None)
    before = (Payment.objects.count(), Allocation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ActionError) as refused:
        record_payment(client=client, amount=D("-500.00"), received_on=date(2026, 2, 1),
                       acting_user=None)
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.REFUND_EXCEEDS_CREDIT,
        "The refund of 500.00 is more than the client's credit of 200.00.")
    # Naming the cancelled deal draws on the same credit.
    cancel_deal(first, acting_user=None, closed_on=date(2026, 2, 2))
    before = (Payment.objects.count(), Allocation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ActionError) as refused:
        record_payment(deal=first, amount=D("-100200.01"), received_on=date(2026, 2, 3),
                       acting_user=None)
    assert refused.value.message == (
        "The refund of 100200.01 is more than the client's credit of 100200.00.")
    assert (Payment.objects.count(), Allocation.objects.count(), AuditEntry.objects.count()) \
        == before
    assert credit_by_client([client.pk]) == {client.pk: D("100200.00")}


def test_a_deal_owed_on_takes_released_money_before_it_is_credit_and_refunds_net_first(acme):
    client, (first, second, _third) = acme
    win_deal(first, acting_user=None, won_on=date(2026, 1, 10))
    win_deal(second, acting_user=None, won_on=date(2026, 1, 11))
    p1 = record_payment(deal=first, amount=D("70000.00"), received_on=date(2026, 1, 12),
                        acting_user=None)
    p2 = record_payment(deal=first, amount=D("40000.00"), received_on=date(2026, 1, 13),
                        acting_user=None)
    refund = record_payment(deal=first, amount=D("-20000.00"), received_on=date(2026, 1, 14),
                            acting_user=None)
    cancel_deal(first, acting_user=None, closed_on=date(2026, 1, 31))
    # The refund gave back 20 000 of P1's money: P1 holds 50 000, P2 40 000; deal 2 owes 80 000.
    assert rows(effective_on=date(2026, 1, 31)) == [
        (p1.ref, 1, D("-50000.00"), date(2026, 1, 31), 1),
        (p2.ref, 1, D("-40000.00"), date(2026, 1, 31), 1),
        (p1.ref, 2, D("50000.00"), date(2026, 1, 31), 1),
        (p2.ref, 2, D("30000.00"), date(2026, 1, 31), 1),
    ]
    assert refund.allocations.get().amount == D("-20000.00")
    ledger = load_ledger(client)
    assert [(c.payment, c.remaining, c.released_from) for c in ledger.credit_parts()] == [
        (p2.pk, D("10000.00"), first.pk)]


def test_only_a_won_deal_is_cancelled_and_not_before_its_win(acme):
    _client, (first, _second, _third) = acme
    with pytest.raises(ActionError) as refused:
        cancel_deal(first, acting_user=None, closed_on=date(2026, 2, 1))
    assert refused.value.code == ErrorCode.DEAL_NOT_WON
    win_deal(first, acting_user=None, won_on=date(2026, 2, 1))
    with pytest.raises(ActionError) as refused:
        cancel_deal(first, acting_user=None, closed_on=date(2026, 1, 31))
    assert refused.value.code == ErrorCode.DATE_ORDER
    assert Allocation.objects.count() == 0
