"""Two payments recorded at the same moment that start the same collections row (a month, an
owner, a department, a segment) both count (PostgreSQL, several connections: on SQLite writers
are serialised by the database itself)."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from salesrelay.compensation.tests.factories import FILES, imported
from salesrelay.deals.models import Deal
from salesrelay.payments.actions import record_payment
from salesrelay.payments.collected import differences
from salesrelay.payments.models import Collected

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="needs PostgreSQL: runs with several connections at once")

MONTHS = 6
# Two clients of the same segment, both handed to Boris (M1, the one account manager on the day
# of their wins), each with a deal paid month after month.
TWO_CLIENTS = {
    **FILES,
    "clients": "id,name,segment,acquired_by,created_on\n"
               "C1,ACME Baths,dealer,H1,2026-01-05\nC2,Beta Baths,dealer,H1,2026-01-06\n",
    "deals": "id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost\n"
             "1,C1,H1,won,2026-01-10,2026-02-01,,900000.00,80000.00\n"
             "2,C2,H1,won,2026-01-11,2026-02-01,,900000.00,80000.00\n",
    "payments": "id,received_on,amount,deal_id,client_id\n",
}


@pytest.mark.django_db(transaction=True)
def test_payments_that_start_the_same_collections_row_at_once_both_count(reference_data,
                                                                         tmp_path):
    imported(tmp_path / "in", TWO_CLIENTS)
    deals = [Deal.objects.get(ref="1"), Deal.objects.get(ref="2")]
    together = threading.Barrier(2)
    errors: list[Exception] = []

    def pay(deal):
        try:
            for month in range(MONTHS):
                together.wait(timeout=30)  # both payments of a month start its row at once
                record_payment(amount=D("1000.00"), received_on=date(2026, 3 + month, 10),
                               deal=deal, acting_user=None)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            together.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(deal,)) for deal in deals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = sorted(Collected.objects.values_list("month", "employee__ref", "amount",
                                                "allocations"))
    assert rows == [(date(2026, 3 + month, 1), "M1", D("2000.00"), 2) for month in range(MONTHS)]
    assert differences() == []
