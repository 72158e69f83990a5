"""End to end on the public ClassicModels sample: every order line's profit, and every payment
allocated first-in-first-out to the client's orders."""

from decimal import Decimal as D

import pytest
from django.db.models import Sum

from salesrelay.deals.models import Deal
from salesrelay.imports.importer import run_import
from salesrelay.payments.models import Allocation, Payment
from tests.classicmodels import PROFIT_OF_ALL_LINES, SOURCE, write_interchange

pytestmark = pytest.mark.skipif(not SOURCE.is_dir(), reason=f"the shared data set {SOURCE} "
                                "is not here (it is in CI); this test needs it")


@pytest.fixture
def imported(db, tmp_path):
    report = run_import(write_interchange(tmp_path / "classicmodels"))
    assert report.ok, report.problems[:5]
    return report


def test_profit_of_every_order_line(imported):
    assert sum((d.profit for d in Deal.objects.all()), D(0)) == D(PROFIT_OF_ALL_LINES)
    assert imported.created == {"employees": 23, "products": 110, "clients": 122, "deals": 326,
                                "payments": 273}


def test_every_payment_is_allocated_and_first_five_deals_are_numbered(imported):
    assert Payment.objects.aggregate(s=Sum("amount"))["s"] == D("8853839.23")
    assert Allocation.objects.aggregate(s=Sum("amount"))["s"] == D("8853839.23")
    assert Deal.objects.filter(number=1).count() == 98
    # Euro+ Shopping Channel (141) has 26 orders: numbered 1..26 in order-date order.
    numbers = list(Deal.objects.filter(client__ref="141").order_by("won_on", "ref")
                   .values_list("number", flat=True))
    assert numbers == list(range(1, 27))


def test_second_import_changes_nothing(imported, tmp_path):
    before = (Deal.objects.count(), Payment.objects.count(), Allocation.objects.count(),
              list(Allocation.objects.order_by("id").values_list("deal_id", "amount")))
    again = run_import(write_interchange(tmp_path / "again"))
    assert (again.ok, again.created) == (True, {})
    assert again.skipped == {"employees": 23, "products": 110, "clients": 122, "deals": 326,
                             "payments": 273}
    assert (Deal.objects.count(), Payment.objects.count(), Allocation.objects.count(),
            list(Allocation.objects.order_by("id").values_list("deal_id", "amount"))) == before


EVERY_DEAL_ON_WIN = """
[[plans]]
id = "everyone"
roles = ["hunter", "account_manager", "head", "director", "accountant"]
effective_from = 2000-01-01
  [[plans.components]]
  id = "whole-profit"
  kind = "deal_profit_share"
  credit_to = "deal_owner"
  ordinals = [1, 1000]
  rate = "1"
  timing = "on_win"
"""


def test_a_simulation_over_the_whole_history_counts_every_payment_and_every_profit(imported):
    from salesrelay.compensation.simulation import run_simulation
    from salesrelay.engine.periods import Month
    from salesrelay.engine.plans import parse_plans

    (scenario,) = run_simulation([("all", parse_plans(EVERY_DEAL_ON_WIN))], Month(2003, 1),
                                 Month(2005, 12))
    months = scenario.result.months
    assert sum(m.company.collections for m in months) == D("8853839.23")
    won = [line.amount for m in months for line in (*m.lines, *m.forfeited) if line.amount > 0]
    # Paying the whole profit of every deal at its win adds up to the profit of every order line.
    assert sum(won) == D(PROFIT_OF_ALL_LINES)
    assert sum(m.company.new_clients for m in months) == 98
