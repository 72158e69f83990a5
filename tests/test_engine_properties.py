"""Properties that hold for any history: checked on random ones (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.reference import reference_allocations, reference_month
from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History, Span
from salesrelay.engine.payroll import Calculator
from salesrelay.engine.periods import Month, months_between
from salesrelay.engine.plans import parse_plans
from salesrelay.engine.splitting import split
from tests.random_history import random_events, random_history

EVERY_KIND = parse_plans("""
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2025-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.90"
  [[plans.components]]
  id = "new"
  kind = "kpi_bonus"
  metric = "new_clients"
  per_unit_above_target = "1000.00"

[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2025-01-01
effective_to = 2026-03-10
  [[plans.components]]
  kind = "salary"
  amount = "50000.00"
  [[plans.components]]
  id = "repeat"
  kind = "deal_profit_share"
  credit_to = "account_manager"
  ordinals = [2, 1000]
  rate = "0.05"
  timing = "on_win"
  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  tiers = [{from = "0", to = "3000", rate = "0.02"}, {from = "3000", rate = "0.03"}]
  mode = "marginal"
  [[plans.components]]
  id = "pool-whole"
  kind = "collections_pool"
  department = "account_management"
  tiers = [{from = "0", to = "3000", rate = "0.02"}, {from = "3000", rate = "0.03"}]
  mode = "whole"
  split = "equal"
  [[plans.components]]
  id = "collected"
  kind = "kpi_bonus"
  metric = "collections"
  scope = "department"
  target = "2000"
  fixed_if_met = "700.00"

[[plans]]
id = "company"
employees = ["1", "9"]
effective_from = 2026-02-01
  [[plans.components]]
  id = "breakeven"
  kind = "breakeven_bonus"
  share = "0.25"
""")


def engine_month(history, month):
    payroll = Calculator(history, EVERY_KIND).month(month)
    as_tuple = [(line.employee_id, line.component, line.kind, line.amount, line.client_id,
                 line.deal_id, line.payment_id) for line in (payroll.lines)]
    forfeited = [(line.employee_id, line.component, line.kind, line.amount, line.client_id,
                  line.deal_id, line.payment_id) for line in payroll.forfeited]
    company = payroll.company
    return {"lines": sorted(as_tuple, key=repr), "forfeited": sorted(forfeited, key=repr),
            "company": {"collections": company.collections, "gross_profit": company.gross_profit,
                        "fixed_costs": company.fixed_costs, "variable_pay": company.variable_pay,
                        "operating_result": company.operating_result,
                        "breakeven_revenue": company.breakeven_revenue}}


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**9))
def test_the_engine_gives_exactly_the_lines_of_the_row_by_row_reference(seed):
    history = random_history(seed)
    for month in months_between(history.first, history.last):
        expected = reference_month(history, EVERY_KIND, month)
        expected["lines"] = sorted(expected["lines"], key=repr)
        expected["forfeited"] = sorted(expected["forfeited"], key=repr)
        assert engine_month(history, month) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9))
def test_the_ledger_makes_exactly_the_allocations_of_the_row_by_row_reference(seed):
    _rng, clients, _deals = random_events(seed)
    for client in clients:
        made = [(a.payment, a.deal, a.amount, a.effective_on, a.released_from) for a in client.made]
        assert made == reference_allocations(client.events)


def test_random_histories_cancel_deals_holding_money_and_refund_credit():
    """The generator is not vacuous: over these seeds it reverses, re-allocates and refunds."""
    reversals = reallocated = refunds_of_credit = naming_cancelled = 0
    for seed in range(40):
        _rng, clients, _deals = random_events(seed)
        for client in clients:
            reversals += sum(1 for a in client.made if a.is_reversal)
            reallocated += sum(1 for a in client.made if a.released_from and not a.is_reversal)
            cancelled = set()
            for event in client.events:
                if event[0] == "cancel":
                    cancelled.add(event[2])
                elif event[0] == "pay" and event[4] is None and event[3] < 0:
                    refunds_of_credit += 1
                elif event[0] == "pay" and event[4] in cancelled:
                    naming_cancelled += 1
    assert (reversals, reallocated, refunds_of_credit, naming_cancelled) == (54, 48, 28, 32)


@given(st.decimals(min_value=0, max_value=10**9, places=2),
       st.lists(st.tuples(st.sampled_from(["1", "2", "10", "9", "a"]),
                          st.decimals(min_value=0, max_value=10**4, places=4)),
                min_size=1, max_size=8))
def test_pool_shares_always_sum_exactly_to_the_pool(pool, members):
    shares = split(pool, members)
    if sum(w for _, w in members) > 0:
        assert sum(shares) == pool
    else:
        assert shares == [Decimal("0.00")] * len(members)
    assert all(s >= 0 for s in shares)


HUNTER_ONLY = parse_plans("""
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2025-01-01
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.87"
""")


@given(amount=st.decimals(min_value="0.01", max_value=10**7, places=2),
       profit=st.decimals(min_value=-10**6, max_value=10**7, places=2),
       paid_before=st.decimals(min_value=0, max_value=10**7, places=2),
       payment=st.decimals(min_value="0.01", max_value=10**7, places=2),
       refund_month=st.sampled_from([1, 2]))
def test_a_payment_followed_by_its_full_refund_nets_to_zero(amount, profit, paid_before, payment,
                                                             refund_month):
    from datetime import date

    hunter = Employee("1", "H", "acquisition", "hunter", date(2025, 1, 1))
    client = Client("C", "dealer", "1", (Span("1", "acquisition", date(2025, 1, 1)),))
    deal = Deal("D", "C", "1", 1, date(2025, 12, 1), amount, profit)
    allocations = (Allocation("P", "D", payment, date(2026, 1, 5), date(2026, 1, 5)),
                   Allocation("R", "D", -payment, date(2026, refund_month, 20),
                              date(2026, refund_month, 20)))
    history = History(Month(2026, 1), Month(2026, 2), (hunter,), {"C": client}, {"D": deal},
                      allocations, {"D": paid_before})
    calculator = Calculator(history, HUNTER_ONLY)
    total = sum(line.amount for m in (Month(2026, 1), Month(2026, 2))
                for line in calculator.month(m).lines)
    assert total == 0
