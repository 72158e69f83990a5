"""The payment rules on their own; the payment form, the API and the importer word them."""

from decimal import Decimal

import pytest

from salesrelay.payments.rules import Refusal, refusals


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"amount": Decimal("0"), "names_deal": False, "names_client": False},
     [Refusal.NO_TARGET, Refusal.ZERO]),
    ({"amount": Decimal("10.00"), "deal_client": 1, "client": 2, "deal_status": "lost"},
     [Refusal.OTHER_CLIENT, Refusal.LOST_DEAL]),
    ({"amount": Decimal("10.00"), "deal_client": 1, "client": 1, "deal_status": "won"}, []),
    ({"amount": Decimal("10.00"), "deal_client": 1, "client": None, "deal_status": "open"}, []),
    # A refund may still come off a lost deal; a payment onto it may not.
    ({"amount": Decimal("-10.00"), "deal_status": "lost"}, []),
    ({"amount": Decimal("0.01"), "deal_status": "lost"}, [Refusal.LOST_DEAL]),
    # The importer's parse stage knows no deal yet: only what the row itself says.
    ({"amount": None, "names_deal": True, "names_client": False}, []),
])
def test_every_reason_to_refuse_a_payment_in_the_order_it_is_fixed(kwargs, expected):
    assert refusals(**kwargs) == expected


def test_each_refusal_names_the_part_of_the_payment_it_is_about():
    assert {r.value: r.field for r in Refusal} == {
        "no_target": "deal", "zero": "amount", "other_client": "client", "lost_deal": "deal"}
