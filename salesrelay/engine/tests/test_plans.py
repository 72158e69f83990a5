"""A bad plan is refused as a whole, with every problem named precisely."""

from datetime import date

import pytest

from salesrelay.engine.plans import PlanError, parse_plans
from salesrelay.engine.tests.builders import HUNTERS, D, hunter, manager


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as refused:
        parse_plans(text)
    return refused.value.problems


def plan(components: str, head: str = 'id = "p"\nroles = ["account_manager"]\n'
         'effective_from = 2026-01-01') -> str:
    return f"[[plans]]\n{head}\n{components}"


def test_the_spec_example_is_read_with_decimal_rates():
    plans = parse_plans(HUNTERS)
    (only,) = plans.plans
    (share,) = only.components
    assert (only.id, only.roles, only.effective_from, only.effective_to) == (
        "hunters", ("hunter",), date(2025, 1, 1), None)
    assert (share.name, share.params.first, share.params.last, share.params.rate,
            share.params.timing, share.params.credit_to) == (
        "first-five", 1, 5, D("0.90"), "on_payment", "acquirer")
    assert only.covers(hunter("1")) and not only.covers(manager("2"))


def test_floats_in_toml_are_read_from_their_text():
    (only,) = parse_plans(HUNTERS.replace('"0.90"', "0.9")).plans
    assert only.components[0].params.rate == D("0.9")


def test_unknown_kind_and_unknown_parameter():
    assert problems(plan('[[plans.components]]\nkind = "bonus"\n')) == [
        "plan p / component 1: kind: 'bonus' is not one of salary, deal_profit_share, "
        "collections_pool, breakeven_bonus, kpi_bonus"]
    assert problems(plan('[[plans.components]]\nkind = "salary"\namount = "1"\nbonus = 5\n')) == [
        "plan p / component 1: bonus: is not a parameter of this kind"]


def test_rate_out_of_range_and_ordinal_range_backwards():
    text = plan('[[plans.components]]\nid = "x"\nkind = "deal_profit_share"\n'
                'credit_to = "acquirer"\nordinals = [5, 1]\nrate = "1.5"\n')
    assert problems(text) == [
        "plan p / x: ordinals: [5, 1]: the range ends before it starts; write [1, 5]",
        "plan p / x: rate: 1.5 is out of range 0…1"]


@pytest.mark.parametrize(("tiers", "message"), [
    ('[{from = "0", to = "100", rate = "0.01"}, {from = "150", rate = "0.02"}]',
     "gap between tier 1 and tier 2: [100, 150) falls in no tier"),
    ('[{from = "0", to = "100", rate = "0.01"}, {from = "90", rate = "0.02"}]',
     "tier 1 and tier 2 overlap on [90, 100)"),
    ('[{from = "10", rate = "0.01"}]',
     "the first tier starts at 10; collections from 0 to 10 fall in no tier (start at 0)"),
    ('[{from = "0", rate = "0.01"}, {from = "100", rate = "0.02"}]',
     "tier 1 has no upper bound, yet tier 2 follows it"),
    ('[{from = "0", to = "100", rate = "2"}]', "tiers[1]: rate 2 is out of range 0…1"),
])
def test_tiers_with_a_gap_or_an_overlap_are_refused(tiers, message):
    text = plan(f'[[plans.components]]\nkind = "collections_pool"\ndepartment = "account_management"\n'
                f'mode = "marginal"\ntiers = {tiers}\n')
    assert problems(text) == [f"plan p / component 1: {message}" if message.startswith("tiers[")
                              else f"plan p / component 1: tiers: {message}"]


def test_plan_level_problems_are_all_reported():
    text = ('[[plans]]\nid = "p"\nroles = ["boss"]\neffective_from = 2026-02-01\n'
            'effective_to = 2026-01-01\n[[plans.components]]\nkind = "salary"\n')
    assert problems(text) == [
        "plan p: roles: 'boss' is not one of hunter, account_manager, head, director, accountant",
        "plan p: effective_to: 2026-01-01 is before effective_from 2026-02-01",
        "plan p / component 1: amount: is required"]
    assert problems("x = 1") == ["x: is not a section of a plan file (only [[plans]])",
                                 "plans: the file has no [[plans]] table"]
    assert problems("[[plans]\n")[0].startswith("the file is not valid TOML: ")


def test_two_components_of_the_same_name_need_ids():
    text = plan('[[plans.components]]\nkind = "salary"\namount = "1"\n'
                '[[plans.components]]\nkind = "salary"\namount = "2"\n')
    assert problems(text) == [
        "plan p / component 2: id: the plan has two components called 'salary'; give each its own id"]


def test_kpi_needs_one_way_to_pay():
    text = plan('[[plans.components]]\nkind = "kpi_bonus"\nmetric = "new_clients_in_segment:Mall"\n')
    assert problems(text) == [
        "plan p / component 1: metric: segment 'Mall' is not a segment code (lower-case Latin "
        "letters, digits, _ and -; e.g. retail_chain)",
        "plan p / component 1: per_unit_above_target: give either per_unit_above_target or "
        "fixed_if_met"]
