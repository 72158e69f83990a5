"""The deal page and the client card show the client's credit and where a cancellation's money
went; cancelling from the deal page releases it."""

import re
from datetime import date
from decimal import Decimal as D

from salesrelay.deals.actions import win_deal
from salesrelay.payments.actions import record_payment
from salesrelay.payments.models import Allocation
from tests.conftest import PASSWORD


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_cancelling_on_the_deal_page_releases_the_money_and_both_pages_show_where_it_went(
        client, org, company):
    people, objects = org
    first = objects["deal"]  # 100 000.00, won on 2026-02-01
    second = company.deal(objects["won"], people["manager"], amount="30000.00",
                          cost="10000.00")
    win_deal(second, acting_user=None, won_on=date(2026, 2, 10))
    payment = record_payment(deal=first, amount=D("100000.00"), received_on=date(2026, 2, 5),
                             acting_user=None)
    client.login(username="mila", password=PASSWORD)
    response = client.post(f"/deals/{first.ref}/cancelled/", {"on": "2026-03-02",
                                                              "reason": "returned"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.closed_on) == ("cancelled", date(2026, 3, 2))
    assert list(Allocation.objects.filter(effective_on=date(2026, 3, 2)).order_by("id")
                .values_list("deal__ref", "amount")) == [
        (first.ref, D("-100000.00")), (second.ref, D("30000.00"))]

    page = text(client.get(f"/deals/{first.ref}/"))
    assert "Handed Off holds 70,000.00 of credit" in page
    assert ("Cancelled on 2026-03-02: 100,000.00 reversed and released to the client's credit."
            in page)
    assert f"2026-03-02 {payment.ref} reversed at the cancellation -100,000.00" in page
    assert (f"2026-03-02 {payment.ref} reversed from this deal -100,000.00 "
            f"2026-03-02 {payment.ref} deal 2 {second.ref} 30,000.00 "
            "still the client's credit 70,000.00") in page
    other = text(client.get(f"/deals/{second.ref}/"))
    assert (f"Received from cancelled deals 2026-03-02 {payment.ref} released by the "
            "cancellation of deal 1 30,000.00") in other

    card = text(client.get(f"/clients/{objects['won'].ref}/"))
    assert "Unallocated credit 70,000.00" in card
    assert ("deal 1: -100,000.00 effective 2026-03-02 · reversed at the cancellation "
            "deal 2: 30,000.00 effective 2026-03-02 · released by a cancellation") in card
    assert (f"Released on cancellation Cancelled deal Cancelled on Released Went to Still credit "
            f"deal 1 {first.ref} 2026-03-02 100,000.00 deal 2: 30,000.00 effective 2026-03-02, "
            f"payment {payment.ref} 70,000.00") in card


def test_the_released_money_reads_in_russian(client, org):
    _people, objects = org
    record_payment(deal=objects["deal"], amount=D("100000.00"), received_on=date(2026, 2, 5),
                   acting_user=None)
    client.login(username="mila", password=PASSWORD)
    client.post(f"/deals/{objects['deal'].ref}/cancelled/", {"on": "2026-03-02"})
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = text(client.get(f"/deals/{objects['deal'].ref}/"))
    assert "Аванс клиента Handed Off — 100 000,00" in page
    assert "сторнировано и возвращено в аванс клиента" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Handed Off holds 100,000.00 of credit" in text(
        client.get(f"/deals/{objects['deal'].ref}/"))
