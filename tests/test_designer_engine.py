"""The plan designer's fast evaluation against the engine's full simulation, kopeck for kopeck.

On random lawful histories (refunds, cancellations, leavers, pool weights, plans that end) and
random candidates, every employee's pay of every month and the company's *V* and *O* of the fast
evaluation equal those of ``simulate`` on the candidate's plan; and the search's summary of a
candidate equals what the simulation says of it.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesrelay.engine.design import (
    Bases,
    DesignError,
    Grid,
    Params,
    Targets,
    check,
    evaluate,
    run_search,
)
from salesrelay.engine.inputs import Employee
from salesrelay.engine.metrics import median
from salesrelay.engine.plan_file import write_plans
from salesrelay.engine.plans import parse_plans
from salesrelay.engine.simulation import simulate
from tests.random_history import random_history
from tests.test_engine_properties import EVERY_KIND

ON_WIN_FLAT = parse_plans("""
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-15
  [[plans.components]]
  kind = "salary"
  amount = "1000.00"
  [[plans.components]]
  id = "first"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 3]
  rate = "0.5"
  timing = "on_win"

[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2025-01-01
  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  rate = "0.01"

[[plans]]
id = "company"
roles = ["hunter", "account_manager"]
effective_from = 2025-01-01
  [[plans.components]]
  kind = "breakeven_bonus"
  share = "0.1"
  split = "equal"
""")


def _history(seed):
    history = random_history(seed)
    rng = random.Random(seed)
    # Small fixed costs, so that some months are above break-even and the bonus is paid.
    fixed = {m: Decimal(rng.randint(0, 40000)) / 100 for m in history.fixed_costs}
    return replace(history, fixed_costs=fixed)


def _random_params(rng, bases):
    grid = Grid.default(bases)
    rate = Decimal(rng.randint(0, 10000)) / 10000
    return Params(rate, rng.choice(grid.share_lasts), rng.choice(grid.pools),
                  rng.choice((*grid.bonus_shares, Decimal(rng.randint(0, 10000)) / 10000))
                  if bases.bonus is not None else None)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from([EVERY_KIND, ON_WIN_FLAT]))
def test_the_fast_evaluation_equals_a_full_simulation_on_random_candidates(seed, template):
    history = _history(seed)
    bases = Bases.build(history, template)
    rng = random.Random(seed)
    for _ in range(4):
        params = _random_params(rng, bases)
        outcome = evaluate(bases, params)
        assert check(bases, outcome, simulate(history, bases.plans_for(params))) == []


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**9))
def test_the_search_summary_of_a_candidate_is_what_the_simulation_says(seed):
    history = _history(seed)
    bases = Bases.build(history, EVERY_KIND)
    search = run_search(bases, Grid.default(bases), Targets(Decimal("0.5")), keep=3)
    assert search.evaluated == Grid.default(bases).size
    for candidate in search.best:
        result = simulate(history, bases.plans_for(candidate.params))
        ratios = {role: [e.against_market for e in result.employees
                         if e.employee.role == role and e.employee.market_salary]
                  for role in ("hunter", "account_manager")}
        assert candidate.hunters_median == median(ratios["hunter"])
        assert candidate.managers_lowest == min(ratios["account_manager"], default=None)
        months = result.months
        assert candidate.variable_pay == sum(p.company.variable_pay for p in months)
        assert candidate.operating_result == sum(p.company.operating_result for p in months)
        assert candidate.bonus == sum(line.amount for p in months for line in p.lines
                                      if line.kind == "breakeven_bonus")
        assert candidate.months_above == sum(p.company.operating_result >= 0 for p in months)


def test_the_chosen_plan_written_as_a_file_reads_back_as_the_candidate():
    history = _history(7)
    text = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2025-01-01
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = 0.9
[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2025-01-01
  [[plans.components]]
  kind = "collections_pool"
  department = "account_management"
  tiers = [{from = "0", to = "3000", rate = "0.02"}, {from = "3000", rate = "0.03"}]
  mode = "marginal"
"""
    bases = Bases.build(history, parse_plans(text))
    grid = Grid.default(bases)
    params = Params(Decimal("0.75"), 7, grid.pools[3], None)
    written = write_plans(bases.raw_plan(tomllib.loads(text), params), header="designed")
    assert written.splitlines()[:3] == ["# designed", "", "[[plans]]"]
    assert 'ordinals = [1, 7]' in written and 'rate = "0.75"' in written
    assert ('tiers = [{ from = "0", to = "3000", rate = "0.04" }, '
            '{ from = "3000", rate = "0.06" }]') in written
    assert parse_plans(written) == bases.plans_for(params)


def test_the_grid_of_a_template_with_every_part_has_over_ten_thousand_candidates():
    bases = Bases.build(_history(3), EVERY_KIND)
    grid = Grid.default(bases)
    assert (len(grid.share_rates), len(grid.share_lasts), len(grid.pools),
            len(grid.bonus_shares), grid.size) == (13, 10, 12, 7, 10920)
    assert [p.label for p in grid.pools[:2]] == ["×0.5 (0.01 / 0.015)", "×1 (0.02 / 0.03)"]


def test_a_break_even_pool_tied_across_two_weights_is_split_by_the_engine():
    """Pool weights 1 and 3 for a whole month: a pool of 0.02 cuts 0.005 and 0.015, both half a
    kopeck over, with one kopeck left; the tie spans two weights, so the engine's split decides
    (the lower id)."""
    employees = (Employee("1", "A", "acquisition", "hunter", date(2025, 1, 1)),
                 Employee("2", "B", "acquisition", "hunter", date(2025, 1, 1), None, Decimal(3)))
    history = replace(_history(11), employees=employees)
    plans = parse_plans("""
[[plans]]
id = "all"
roles = ["hunter"]
effective_from = 2025-01-01
  [[plans.components]]
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.5"
  [[plans.components]]
  kind = "breakeven_bonus"
  share = "0.1"
""")
    bases = Bases.build(history, plans)
    assert sorted(bases.bonus_split(0, 2)) == [(0, 1), (1, 1)]
    assert sorted(bases.bonus_split(0, 3)) == [(0, 1), (1, 2)]


def test_a_template_without_a_hunters_share_is_refused():
    plans = parse_plans('[[plans]]\nid = "p"\nroles = ["hunter"]\neffective_from = 2025-01-01\n'
                        '  [[plans.components]]\n  kind = "salary"\n  amount = "1.00"\n')
    with pytest.raises(DesignError, match="no deal_profit_share component for the hunters"):
        Bases.build(_history(1), plans)
