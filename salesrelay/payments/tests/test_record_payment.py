from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.deals.actions import win_deal
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.payments.actions import record_payment
from salesrelay.payments.models import Allocation, Payment
from salesrelay.payments.selectors import credit_by_client, receivable_by_client


@pytest.fixture
def acme_with_two_deals(company):
    anna = company.hunter()
    company.manager()
    acme = company.prospect("ACME Baths", anna)
    first = company.deal(acme, anna, amount="100000.00")
    second = company.deal(acme, anna, amount="50000.00")
    win_deal(first, acting_user=None, won_on=date(2026, 2, 1))
    win_deal(second, acting_user=None, won_on=date(2026, 2, 15))
    return acme, first, second


def test_client_payment_is_allocated_fifo_and_the_rest_kept_as_credit(acme_with_two_deals):
    acme, first, second = acme_with_two_deals
    record_payment(client=acme, amount=D("170000.00"), received_on=date(2026, 3, 1),
                   acting_user=None)
    assert list(Allocation.objects.order_by("id").values_list("deal__number", "amount")) == [
        (1, D("100000.00")), (2, D("50000.00"))]
    assert credit_by_client([acme.pk])[acme.pk] == D("20000.00")
    assert receivable_by_client([acme.pk]).get(acme.pk) == D("0.00")


def test_refund_exceeding_what_was_paid_is_refused_and_nothing_is_stored(acme_with_two_deals):
    acme, first, _second = acme_with_two_deals
    record_payment(deal=first, amount=D("40000.00"), received_on=date(2026, 3, 1),
                   acting_user=None)
    before = (Payment.objects.count(), Allocation.objects.count())
    with pytest.raises(ActionError) as refused:
        record_payment(deal=first, amount=D("-40000.01"), received_on=date(2026, 3, 2),
                       acting_user=None)
    assert refused.value.code == ErrorCode.PAYMENT
    assert "exceeds the 40000.00 paid" in refused.value.message
    assert (Payment.objects.count(), Allocation.objects.count()) == before


def test_refund_claws_back_and_receivable_grows_again(acme_with_two_deals):
    acme, first, _second = acme_with_two_deals
    record_payment(deal=first, amount=D("100000.00"), received_on=date(2026, 3, 1),
                   acting_user=None)
    refund = record_payment(deal=first, amount=D("-25000.00"), received_on=date(2026, 3, 9),
                            acting_user=None)
    assert list(refund.allocations.values_list("amount", "effective_on")) == [
        (D("-25000.00"), date(2026, 3, 9))]
    assert receivable_by_client([acme.pk])[acme.pk] == D("75000.00")
    assert refund.ref == f"P-{refund.pk:06d}"
