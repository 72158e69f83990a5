"""After a change of the data the worker calculates the pages' default months ahead of them
(salesrelay/analytics/warm.py): the change asks for it once it commits, a burst of changes asks
once, and what the warm-up stores is what the pages then read, without an engine run."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import transaction
from django_q.models import OrmQ

from salesrelay.analytics import rollup
from salesrelay.analytics.filters import Filters
from salesrelay.analytics.models import CohortMonth, MonthlyFigures
from salesrelay.analytics.selectors import breakeven
from salesrelay.analytics.warm import warm
from salesrelay.compensation.tests.factories import imported
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.payments.actions import record_payment

TODAY = date(2026, 3, 31)


@pytest.fixture
def history(db, tmp_path):
    cache.clear()  # the quiet time of an earlier test's change
    imported(tmp_path / "in")
    return Deal.objects.get(ref="1")


@pytest.mark.django_db(transaction=True)
def test_a_change_asks_the_worker_once_it_commits_and_a_burst_asks_once(reference_data,
                                                                        tmp_path):
    cache.clear()  # the quiet time of an earlier test's change
    imported(tmp_path / "in")  # an import and a plan, each committed: one warm-up
    assert [task.name() for task in OrmQ.objects.all()] == ["warm the analytics roll-up"]
    deal = Deal.objects.get(ref="1")
    with transaction.atomic():
        record_payment(amount=D("10.00"), received_on=date(2026, 3, 25), deal=deal,
                       acting_user=None)
        record_payment(amount=D("10.00"), received_on=date(2026, 3, 26), deal=deal,
                       acting_user=None)
        assert OrmQ.objects.count() == 1  # not before they commit
    assert OrmQ.objects.count() == 1  # within the quiet minute: the same warm-up
    cache.clear()  # the minute has passed
    with transaction.atomic():
        record_payment(amount=D("10.00"), received_on=date(2026, 3, 27), deal=deal,
                       acting_user=None)
        record_payment(amount=D("10.00"), received_on=date(2026, 3, 28), deal=deal,
                       acting_user=None)
        assert OrmQ.objects.count() == 1
    assert OrmQ.objects.count() == 2  # two payments in one transaction: one more warm-up


def test_the_warm_up_stores_the_default_months_the_pages_then_read(
        history, django_assert_num_queries):
    assert warm(today=TODAY) == 12  # 2025-04 … 2026-03, none stored before
    at = rollup.revision()
    months = [Month.of(m) for m in MonthlyFigures.objects.filter(revision=at).values_list(
        "month", flat=True)]
    assert (months[0], months[-1], len(months)) == (Month(2025, 4), Month(2026, 3), 12)
    assert CohortMonth.objects.filter(revision=at).count() == 12
    assert warm(today=TODAY) == 0  # nothing changed: nothing to do
    # Read back: the months' sources, the revision (three queries) and the stored months.
    with django_assert_num_queries(5):
        found = breakeven(Filters.default(TODAY), today=TODAY)
    march = found.months[-1]
    assert (march.month, march.collections, march.fixed_costs) == (
        Month(2026, 3), D("100000.00"), D("500.00"))  # P3 waits as credit
