"""Recalculating a period while payments are being recorded never counts anything twice
(PostgreSQL, several connections: on SQLite writers are serialised by the database itself)."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from salesrelay.compensation.actions import calculate_period
from salesrelay.compensation.models import PayoutLine
from salesrelay.compensation.tests.factories import HUNTERS_PLAN, imported
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.payments.actions import record_payment

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="needs PostgreSQL: runs with several connections at once")

MARCH = Month(2026, 3)
PAYMENTS = 25


def in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()
    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_recalculating_while_payments_are_recorded_never_double_counts(reference_data, tmp_path):
    imported(tmp_path / "in", plan=HUNTERS_PLAN)
    # A second deal of ACME, 1 000 000.00 at a profit of 400 000.00, paid 1 000.00 at a time.
    deal = Deal.objects.create(ref="2", client_id=Deal.objects.get(ref="1").client_id,
                               owner_id=Deal.objects.get(ref="1").owner_id, status="won",
                               created_on=date(2026, 3, 1), won_on=date(2026, 3, 1), number=2,
                               amount=D("1000000.00"), goods_cost=D("600000.00"))
    runs, errors = [], []

    def pay():
        for _ in range(PAYMENTS):
            record_payment(amount=D("1000.00"), received_on=date(2026, 3, 10), deal=deal,
                           acting_user=None)

    def recalculate():
        for _ in range(8):
            runs.append(calculate_period(MARCH))

    threads = [in_thread(pay, errors), in_thread(recalculate, errors),
               in_thread(recalculate, errors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for report in runs:
        # Each run saw one state: its collections and its shares on deal 2 agree.
        paid = report.company.collections - D("100000.00")
        shares = sum((line.amount for e in report.employees for line in e.lines
                      if line.deal_id == "2"), D(0))
        assert shares == paid * D("0.36")  # 0.9 × 400 000 / 1 000 000
        assert paid in {D(1000) * n for n in range(PAYMENTS + 1)}
    final = calculate_period(MARCH)
    assert final.company.collections == D("125000.00")
    stored = PayoutLine.objects.filter(period__month=MARCH.first)
    assert stored.count() == sum(len(e.lines) for e in final.employees) == 1 + 1 + PAYMENTS
    assert sum(stored.values_list("amount", flat=True)) == final.total == (
        D("40000.00") + D("54000.00") + D("9000.00"))

