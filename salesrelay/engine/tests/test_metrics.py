"""The arithmetic of the analytics pages, with figures worked out by hand."""

from decimal import Decimal as D

import pytest

from salesrelay.engine.metrics import (
    AGEING,
    Difference,
    Rate,
    Verdict,
    bucket_of,
    compare,
    difference,
    margin_of_safety,
    median,
    payback_index,
    rate,
    share,
)


def test_wilson_interval_of_three_in_ten():
    # p = 0.3, z² = 3.8416: centre (0.3 + 0.19208) / 1.38416 = 0.35551,
    # half 1.96 / 1.38416 × √(0.021 + 0.009604) = 0.24772 → [0.10779, 0.60323].
    assert rate(3, 10) == Rate(10, 3, D("0.300"), D("0.108"), D("0.603"))


def test_wilson_interval_stays_inside_nought_and_one():
    assert rate(0, 30) == Rate(30, 0, D("0.000"), D("0.000"), D("0.114"))
    assert rate(30, 30) == Rate(30, 30, D("1.000"), D("0.886"), D("1.000"))


def test_no_trial_no_rate():
    assert rate(0, 0) == Rate(0, 0, None, None, None)
    assert rate(0, 0).too_small


def test_a_rate_is_too_small_below_thirty_trials():
    assert (rate(10, 29).too_small, rate(10, 30).too_small) == (True, False)


def test_an_impossible_rate_is_refused():
    with pytest.raises(ValueError):
        rate(4, 3)


def test_difference_of_two_rates_by_newcombe():
    # 57/97 with the catalog against 16/44 without: Wilson [0.488, 0.680] and [0.238, 0.511];
    # d = 0.588 − 0.364 = 0.224, low 0.224 − √(0.100² + 0.147²) = 0.046,
    # high 0.224 + √(0.092² + 0.126²) = 0.380.
    assert difference(rate(57, 97), rate(16, 44)) == Difference(D("0.224"), D("0.046"),
                                                                D("0.380"))
    assert compare(rate(57, 97), rate(16, 44)) == Verdict.HIGHER
    assert compare(rate(16, 44), rate(57, 97)) == Verdict.LOWER


def test_overlapping_rates_may_be_noise_and_small_samples_say_nothing():
    assert compare(rate(28, 47), rate(74, 144)) == Verdict.UNCLEAR
    assert compare(rate(20, 20), rate(0, 29)) == Verdict.TOO_FEW
    assert compare(rate(0, 0), rate(10, 40)) == Verdict.TOO_FEW


@pytest.mark.parametrize(("days", "bucket"), [
    (0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
    (91, "91+"), (400, "91+")])
def test_ageing_buckets_at_their_boundaries(days, bucket):
    assert bucket_of(days).key == bucket


def test_ageing_buckets_follow_each_other():
    assert [(b.low, b.high) for b in AGEING] == [(0, 30), (31, 60), (61, 90), (91, None)]
    assert [b.label for b in AGEING] == ["0–30", "31–60", "61–90", "90+"]


def test_margin_of_safety():
    assert margin_of_safety(D("180000.00"), D("130909.09")) == D("0.273")
    assert margin_of_safety(D("25000.00"), D("150000.00")) == D("-5.000")
    assert margin_of_safety(D("27000.00"), D("0.00")) == D("1.000")


def test_margin_of_safety_is_undefined_with_break_even_or_without_collections():
    assert margin_of_safety(D("50000.00"), None) is None
    assert margin_of_safety(D("0.00"), D("1000.00")) is None


def test_share_and_median():
    assert share(2, 3) == D("0.667")
    assert share(1, 0) is None
    assert median([2, 0, 0, 1, 2]) == D(1)
    assert median([D("0.58"), D("0.81")]) == D("0.695")
    assert median([]) is None


def test_payback_is_the_first_month_the_profit_reaches_the_cost():
    assert payback_index([D("40000"), D("40000"), D("65000")], D("42500")) == 2
    assert payback_index([D("800"), D("800")], D("10400")) is None
    assert payback_index([D("0")], D("0")) == 0
