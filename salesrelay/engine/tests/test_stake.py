"""What an open deal would pay its owner and its hunter if it were won and paid in full."""

from datetime import date

import pytest

from salesrelay.engine.plans import parse_plans
from salesrelay.engine.stake import OpenDeal, Stakes
from salesrelay.engine.tests.builders import (
    HUNTERS,
    MANAGERS,
    D,
    client,
    deal,
    history,
    hunter,
    manager,
    paid,
)

ACME = client("C1", "1", ("1", "acquisition", "2025-06-01"), ("2", "account_management", "2026-02-01"))
PROSPECT = client("C2", "1", ("1", "acquisition", "2026-03-01"))
PLANS = parse_plans(HUNTERS + MANAGERS)
MID_MARCH = date(2026, 3, 15)


def march(**more):
    return history("2026-03", employees=[hunter("1"), manager("2"), manager("3", weight="3")],
                   clients=[ACME, PROSPECT], **more)


def test_deal_two_of_a_handed_over_client_pays_the_hunter_the_share_and_the_manager_the_pool():
    # Deal 2 of ACME: amount 80 000.00, profit 48 000.00. The hunter: 0.9 × 48 000 = 43 200.00.
    # The pool: 5 % of 80 000 = 4 000.00, shared 1 : 3 → manager 2 gets 1 000.00.
    stake = Stakes(march(), PLANS, MID_MARCH).of(
        OpenDeal("D2", "C1", "2", 2, D("80000.00"), D("48000.00")))
    assert stake.shares == (("2", D("1000.00")), ("1", D("43200.00")))
    assert stake.share_of("1") == D("43200.00")
    assert stake.share_of("3") is None


def test_the_stake_is_the_difference_the_deal_makes_to_a_month_that_already_pays():
    # A first deal of ACME is already paid 20 000.00 in March: the pool is 1 000.00 before.
    # With deal 2 it is 5 % of 100 000 = 5 000.00: manager 2's quarter grows by 1 000.00.
    facts = march(deals=[deal("D1", "C1", 1, "2026-01-20", "20000.00", "10000.00")],
                  allocations=[paid("P1", "D1", "20000.00", "2026-03-02")])
    stake = Stakes(facts, PLANS, MID_MARCH).of(
        OpenDeal("D2", "C1", "2", 2, D("80000.00"), D("48000.00")))
    assert stake.shares == (("2", D("1000.00")), ("1", D("43200.00")))


def test_deal_six_earns_the_hunter_nothing():
    stake = Stakes(march(), PLANS, MID_MARCH).of(
        OpenDeal("D6", "C1", "3", 6, D("10000.00"), D("5000.00")))
    # 5 % of 10 000 = 500.00, manager 3's three quarters: 375.00.
    assert stake.shares == (("3", D("375.00")), ("1", D("0.00")))


def test_a_prospect_s_first_deal_is_the_hunter_s_alone():
    # The prospect is the acquisition's: no pool; the hunter owns the deal and brought the client.
    stake = Stakes(march(), PLANS, MID_MARCH).of(
        OpenDeal("D7", "C2", "1", 1, D("115000.00"), D("46000.00")))
    assert stake.shares == (("1", D("41400.00")),)
    assert stake.number == 1


def test_a_loss_making_deal_is_worth_nothing_to_the_hunter():
    stake = Stakes(march(), parse_plans(HUNTERS), MID_MARCH).of(
        OpenDeal("D8", "C2", "1", 1, D("50000.00"), D("-2000.00")))
    assert stake.shares == (("1", D("0.00")),)


def test_a_plan_not_yet_in_force_gives_no_stake():
    later = parse_plans(HUNTERS.replace("effective_from = 2025-01-01", "effective_from = 2026-04-01"))
    stake = Stakes(march(), later, MID_MARCH).of(
        OpenDeal("D7", "C2", "1", 1, D("115000.00"), D("46000.00")))
    assert stake.shares == (("1", D("0.00")),)


def test_the_history_must_be_the_month_of_the_day_alone():
    with pytest.raises(ValueError, match="needs the history of 2026-04 alone"):
        Stakes(march(), PLANS, date(2026, 4, 1))


def test_a_deal_of_a_client_not_loaded_or_already_won_is_refused():
    stakes = Stakes(march(deals=[deal("D1", "C1", 1, "2026-01-20", "20000.00", "10000.00")]),
                    PLANS, MID_MARCH)
    with pytest.raises(ValueError, match="its client C9 is not in the history"):
        stakes.of(OpenDeal("D9", "C9", "1", 1, D("1.00"), D("1.00")))
    with pytest.raises(ValueError, match="deal D1 is already won"):
        stakes.of(OpenDeal("D1", "C1", "1", 1, D("1.00"), D("1.00")))
