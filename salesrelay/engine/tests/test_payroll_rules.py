"""SPEC §3, sentence by sentence, with figures worked out by hand."""

from datetime import date

import pytest

from salesrelay.engine.allocation import ClientLedger
from salesrelay.engine.components.collections_pool import CollectionsPool, Tier
from salesrelay.engine.inputs import Allocation
from salesrelay.engine.splitting import split
from salesrelay.engine.tests.builders import (
    HUNTERS,
    MANAGERS,
    D,
    amounts,
    client,
    deal,
    history,
    hunter,
    manager,
    meeting,
    paid,
    run,
)

ACME = client("C1", "1", ("1", "acquisition", "2025-06-01"), ("2", "account_management", "2026-02-01"))


def test_partial_payment_pays_the_share_of_the_part_paid():
    # Deal 3 of ACME: amount 200 000.00, profit 120 000.00, half paid → 0.9 × 120 000 × ½.
    facts = history("2026-03", employees=[hunter("1"), manager("2")], clients=[ACME],
                    deals=[deal("D3", "C1", 3, "2026-02-01", "200000.00", "120000.00")],
                    allocations=[paid("P1", "D3", "100000.00", "2026-03-05")])
    payroll = run(facts, HUNTERS)
    assert amounts(payroll, "1") == [("first-five", D("54000.00"))]
    line = payroll.lines[0]
    assert (line.client_id, line.deal_id, line.deal_number, line.payment_id, line.base, line.rate) == (
        "C1", "D3", 3, "P1", D("100000.00"), D("0.90"))


def test_refund_of_a_paid_amount_claws_back():
    facts = history("2026-04", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "200000.00", "120000.00")],
                    allocations=[paid("R1", "D1", "-40000.00", "2026-04-02")],
                    before={"D1": "100000.00"})
    assert amounts(run(facts, HUNTERS), "1") == [("first-five", D("-21600.00"))]


def test_overpayment_earns_nothing_more_and_its_refund_claws_back_nothing():
    facts = history("2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "100000.00", "50000.00")],
                    allocations=[paid("P1", "D1", "120000.00", "2026-03-02"),
                                 paid("R1", "D1", "-20000.00", "2026-03-10"),
                                 paid("R2", "D1", "-30000.00", "2026-03-20")])
    payroll = run(facts, HUNTERS)
    # P1 counts 100 000 of its 120 000; R1 takes back only the overpayment; R2 takes back paid money.
    assert [(line.payment_id, line.amount) for line in payroll.lines] == [
        ("P1", D("45000.00")), ("R2", D("-13500.00"))]
    assert payroll.company.collections == D("70000.00")
    assert payroll.company.gross_profit == D("35000.00")


def test_loss_making_deal_pays_no_share_and_lowers_gross_profit():
    facts = history("2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "100000.00", "-20000.00")],
                    allocations=[paid("P1", "D1", "100000.00", "2026-03-02")])
    payroll = run(facts, HUNTERS)
    assert payroll.lines == ()
    assert payroll.company.gross_profit == D("-20000.00")


def test_deal_six_earns_the_hunter_nothing():
    facts = history("2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D5", "C1", 5, "2026-02-01", "10000.00", "5000.00"),
                           deal("D6", "C1", 6, "2026-02-02", "10000.00", "5000.00")],
                    allocations=[paid("P5", "D5", "10000.00", "2026-03-02"),
                                 paid("P6", "D6", "10000.00", "2026-03-02")])
    payroll = run(facts, HUNTERS)
    assert [(line.deal_number, line.amount) for line in payroll.lines] == [(5, D("4500.00"))]


def test_hunter_who_left_forfeits_what_was_paid_after_leaving():
    gone = client("C4", "4", ("4", "acquisition", "2025-06-01"))
    facts = history("2026-03", employees=[hunter("4", left="2026-03-10")], clients=[gone],
                    deals=[deal("D1", "C4", 1, "2026-02-01", "100000.00", "10000.00")],
                    allocations=[paid("P1", "D1", "50000.00", "2026-03-10"),
                                 paid("P2", "D1", "50000.00", "2026-03-11")])
    payroll = run(facts, HUNTERS)
    assert [(line.payment_id, line.amount) for line in payroll.lines] == [("P1", D("4500.00"))]
    assert [(line.payment_id, line.amount, line.reason) for line in payroll.forfeited] == [
        ("P2", D("4500.00"), "left on 2026-03-10")]
    after = run(facts, HUNTERS.replace('rate = "0.90"', 'rate = "0.90"\n  pay_after_leaving = true'))
    assert [line.amount for line in after.lines] == [D("4500.00"), D("4500.00")]
    assert after.forfeited == ()


SALARY = """
[[plans]]
id = "staff"
roles = ["hunter", "account_manager"]
effective_from = 2025-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
"""


def test_salary_is_prorated_by_days_employed_for_a_mid_month_hire_and_departure():
    facts = history("2026-03", employees=[hunter("1"), hunter("2", hired="2026-03-16"),
                                          hunter("3", left="2026-03-10")])
    payroll = run(facts, SALARY)
    # 16 of 31 days → 20 645.161…; 10 of 31 → 12 903.225…
    assert payroll.totals() == {"1": D("40000.00"), "2": D("20645.16"), "3": D("12903.23")}


def test_a_plan_change_mid_month_prorates_each_plan_on_its_own_days():
    text = SALARY.replace("effective_from = 2025-01-01", "effective_from = 2025-01-01\n"
                          "effective_to = 2026-03-15") + SALARY.replace('"staff"', '"staff-2"').replace(
        "2025-01-01", "2026-03-16").replace("40000.00", "50000.00")
    payroll = run(history("2026-03", employees=[hunter("1")]), text)
    assert [(line.plan_id, line.amount) for line in payroll.lines] == [
        ("staff", D("19354.84")), ("staff-2", D("25806.45"))]


def test_pool_is_shared_by_weight_times_days_and_sums_exactly():
    # Collections 100 000.00 at 5 % → 5 000.00; Alex 1 × 31 days, Boris 2 × 16 days: 31 : 32.
    facts = history("2026-03", employees=[hunter("1"), manager("2"),
                                          manager("3", hired="2026-03-16", weight="2")],
                    clients=[ACME],
                    deals=[deal("D7", "C1", 7, "2026-02-01", "300000.00", "100000.00")],
                    allocations=[paid("P1", "D7", "100000.00", "2026-03-05")])
    payroll = run(facts, MANAGERS)
    assert payroll.totals() == {"2": D("2460.32"), "3": D("2539.68")}
    assert sum(payroll.totals().values()) == D("5000.00")
    equal = run(facts, MANAGERS.replace('rate = "0.05"', 'rate = "0.05"\n  split = "equal"'))
    # Days only: 31 : 16 → 3 297.872… and 1 702.127…
    assert equal.totals() == {"2": D("3297.87"), "3": D("1702.13")}


def test_collections_count_only_clients_the_department_owned_on_the_effective_date():
    prospect = client("C2", "1", ("1", "acquisition", "2025-06-01"),
                      ("2", "account_management", "2026-03-15"))
    facts = history("2026-03", employees=[manager("2")], clients=[prospect],
                    deals=[deal("D1", "C2", 1, "2026-03-01", "100000.00", "10000.00")],
                    allocations=[paid("P1", "D1", "30000.00", "2026-03-10"),
                                 paid("P2", "D1", "20000.00", "2026-03-15")])
    assert run(facts, MANAGERS).totals() == {"2": D("1000.00")}


def test_largest_remainder_gives_leftover_kopecks_to_the_lower_id_on_a_tie():
    assert split(D("100.00"), [("10", D(1)), ("9", D(1)), ("2", D(1))]) == [
        D("33.33"), D("33.33"), D("33.34")]
    assert split(D("0.02"), [("10", D(1)), ("9", D(1)), ("2", D(1))]) == [
        D("0.00"), D("0.01"), D("0.01")]
    assert split(D("10.00"), [("a", D(0)), ("b", D(0))]) == [D("0.00"), D("0.00")]


TIERS = (Tier(D(0), D("1000000"), D("0.02")), Tier(D("1000000"), None, D("0.03")))


@pytest.mark.parametrize(("collections", "marginal", "whole"), [
    ("999999.00", "19999.98", "19999.98"),
    ("1000000.00", "20000.00", "30000.00"),
    ("1500000.00", "35000.00", "45000.00"),
    ("0.00", "0.00", "0.00"),
])
def test_tiers_at_their_boundaries_in_both_modes(collections, marginal, whole):
    assert CollectionsPool("account_management", None, TIERS, "marginal", "weight").pool(
        D(collections)).quantize(D("0.01")) == D(marginal)
    assert CollectionsPool("account_management", None, TIERS, "whole", "weight").pool(
        D(collections)).quantize(D("0.01")) == D(whole)


def test_whole_mode_gives_nothing_above_a_bounded_last_tier():
    capped = (Tier(D(0), D("100"), D("0.10")),)
    assert CollectionsPool("account_management", None, capped, "whole", "weight").pool(D("100")) == 0
    assert CollectionsPool("account_management", None, capped, "marginal", "weight").pool(
        D("150")) == D("10.00")


COMPANY = """
[[plans]]
id = "everyone"
roles = ["hunter", "account_manager"]
effective_from = 2025-01-01
  [[plans.components]]
  id = "breakeven"
  kind = "breakeven_bonus"
  share = "0.10"
"""


def test_breakeven_bonus_shares_the_result_above_break_even():
    # Deal 7 (no hunter share): R 1 000 000, G 400 000, pool 5 % = 50 000 = V, F 150 000.
    facts = history("2026-03", employees=[hunter("1"), manager("2")], clients=[ACME],
                    deals=[deal("D7", "C1", 7, "2026-02-01", "1000000.00", "400000.00")],
                    allocations=[paid("P1", "D7", "1000000.00", "2026-03-05")],
                    fixed={"2026-03": "150000.00"})
    payroll = run(facts, HUNTERS + MANAGERS + COMPANY)
    company = payroll.company
    assert (company.collections, company.gross_profit, company.fixed_costs, company.variable_pay,
            company.operating_result, company.breakeven_revenue) == (
        D("1000000.00"), D("400000.00"), D("150000.00"), D("50000.00"), D("200000.00"),
        D("428571.43"))
    # Bonus 10 % of 200 000 = 20 000, equal weights and days.
    assert amounts(payroll, "1") == [("breakeven", D("10000.00"))]
    assert amounts(payroll, "2") == [("pool", D("50000.00")), ("breakeven", D("10000.00"))]


def test_negative_month_pays_no_bonus_and_break_even_is_undefined_when_g_le_v():
    facts = history("2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "1000000.00", "400000.00")],
                    allocations=[paid("P1", "D1", "1000000.00", "2026-03-05")],
                    fixed={"2026-03": "150000.00"})
    payroll = run(facts, HUNTERS + COMPANY)
    # V = 360 000; O = 400 000 − 150 000 − 360 000 < 0; break-even 150 000 × 1 000 000 / 40 000.
    assert payroll.company.operating_result == D("-110000.00")
    assert payroll.company.breakeven_revenue == D("3750000.00")
    assert amounts(payroll, "1") == [("first-five", D("360000.00"))]
    everything = run(facts, HUNTERS.replace('"0.90"', '"1"') + COMPANY)
    assert everything.company.variable_pay == D("400000.00")
    assert everything.company.breakeven_revenue is None
    nothing = run(history("2026-03", employees=[hunter("1")], fixed={"2026-03": "10.00"}), COMPANY)
    assert nothing.company.collections == 0
    assert nothing.company.breakeven_revenue is None
    assert nothing.company.operating_result == D("-10.00")


def test_client_credit_is_applied_at_a_later_win_and_counts_in_the_win_month():
    ledger = ClientLedger()
    parts = ledger.win("D1", won_on=date(2026, 2, 1), amount=D("100000.00"))
    parts += ledger.pay("P1", date(2026, 2, 10), D("150000.00"))
    parts += ledger.win("D2", won_on=date(2026, 3, 20), amount=D("80000.00"))
    allocations = [Allocation(a.payment, a.deal, a.amount, a.effective_on, date(2026, 2, 10))
                   for a in parts]
    facts = history("2026-02", "2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "100000.00", "40000.00"),
                           deal("D2", "C1", 2, "2026-03-20", "80000.00", "30000.00")],
                    allocations=allocations)
    assert [(a.deal_id, a.amount, a.effective_on) for a in allocations] == [
        ("D1", D("100000.00"), date(2026, 2, 10)), ("D2", D("50000.00"), date(2026, 3, 20))]
    february, march = run(facts, HUNTERS, "2026-02"), run(facts, HUNTERS, "2026-03")
    assert amounts(february, "1") == [("first-five", D("36000.00"))]
    # 0.9 × 30 000 × 50 000 / 80 000
    assert amounts(march, "1") == [("first-five", D("16875.00"))]


def test_a_cancellation_claws_back_its_reversal_and_pays_the_re_allocation_in_its_month():
    ledger = ClientLedger()
    parts = ledger.pay("P1", date(2026, 1, 5), D("150000.00"))
    parts += ledger.win("D1", won_on=date(2026, 1, 10), amount=D("100000.00"))
    parts += ledger.win("D2", won_on=date(2026, 2, 1), amount=D("80000.00"))
    parts += ledger.cancel("D1", on=date(2026, 3, 15))
    parts += ledger.win("D3", won_on=date(2026, 4, 2), amount=D("50000.00"))
    allocations = [Allocation(a.payment, a.deal, a.amount, a.effective_on, date(2026, 1, 5),
                              a.released_from) for a in parts]
    facts = history("2026-01", "2026-04", employees=[hunter("1"), manager("2")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-01-10", "100000.00", "40000.00",
                                cancelled="2026-03-15"),
                           deal("D2", "C1", 2, "2026-02-01", "80000.00", "30000.00"),
                           deal("D3", "C1", 3, "2026-04-02", "50000.00", "20000.00")],
                    allocations=allocations)
    # January: 0.9 × 40 000 for D1 paid in full; February: D2 takes 50 000 of credit,
    # 0.9 × 30 000 × 50 000 / 80 000.
    assert amounts(run(facts, HUNTERS, "2026-01"), "1") == [("first-five", D("36000.00"))]
    assert amounts(run(facts, HUNTERS, "2026-02"), "1") == [("first-five", D("16875.00"))]
    # March: D1's 100 000 reversed takes the 36 000 back; D2 takes 30 000 of what it released,
    # 0.9 × 30 000 × 30 000 / 80 000.
    march = run(facts, HUNTERS + MANAGERS, "2026-03")
    assert [(line.deal_id, line.payment_id, line.amount, line.why) for line in march.lines_of("1")] \
        == [("D1", "P1", D("-36000.00"), "share_reversed"),
            ("D2", "P1", D("10125.00"), "share_released")]
    # Collections −100 000 + 30 000 < 0: the pool is nothing; G = −40 000 + 11 250.
    assert (march.company.collections, march.company.gross_profit) == (D("-70000.00"),
                                                                       D("-28750.00"))
    assert march.lines_of("2") == []
    # April: the next deal won takes 50 000 of the released credit, 0.9 × 20 000.
    assert amounts(run(facts, HUNTERS, "2026-04"), "1") == [("first-five", D("18000.00"))]


def test_the_reversal_of_an_overpaid_deal_claws_back_only_what_counted():
    facts = history("2026-03", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-02-01", "100000.00", "50000.00",
                                cancelled="2026-03-20")],
                    allocations=[paid("P1", "D1", "130000.00", "2026-03-02"),
                                 Allocation("P1", "D1", D("-130000.00"), date(2026, 3, 20),
                                            date(2026, 3, 2), "D1")])
    assert [line.amount for line in run(facts, HUNTERS).lines] == [D("45000.00"),
                                                                   D("-45000.00")]


def test_on_win_pays_at_the_win_and_reverses_at_the_cancellation():
    text = HUNTERS.replace('rate = "0.90"', 'rate = "0.90"\n  timing = "on_win"')
    facts = history("2026-03", "2026-05", employees=[hunter("1")], clients=[ACME],
                    deals=[deal("D1", "C1", 1, "2026-03-03", "100000.00", "30000.00",
                                cancelled="2026-05-04")])
    assert amounts(run(facts, text, "2026-03"), "1") == [("first-five", D("27000.00"))]
    assert amounts(run(facts, text, "2026-04"), "1") == []
    assert amounts(run(facts, text, "2026-05"), "1") == [("first-five", D("-27000.00"))]


def test_account_manager_credit_goes_to_the_owner_on_the_payment_date():
    text = MANAGERS.replace('''kind = "collections_pool"
  department = "account_management"
  rate = "0.05"''', '''kind = "deal_profit_share"
  credit_to = "account_manager"
  ordinals = [2, 99]
  rate = "0.10"''')
    moved = client("C1", "1", ("1", "acquisition", "2025-06-01"),
                   ("2", "account_management", "2026-02-01"), ("3", "account_management", "2026-03-15"))
    facts = history("2026-03", employees=[manager("2"), manager("3")], clients=[moved],
                    deals=[deal("D2", "C1", 2, "2026-02-10", "10000.00", "4000.00")],
                    allocations=[paid("P1", "D2", "5000.00", "2026-03-14"),
                                 paid("P2", "D2", "5000.00", "2026-03-15")])
    payroll = run(facts, text)
    assert payroll.totals() == {"2": D("200.00"), "3": D("200.00")}


KPI = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2025-01-01
  [[plans.components]]
  id = "new-clients"
  kind = "kpi_bonus"
  metric = "new_clients"
  per_unit_above_target = "5000.00"
"""


def test_kpi_pays_each_new_client_above_the_target_of_the_targets_table():
    clients = [client(f"C{i}", "1", ("1", "acquisition", "2025-06-01")) for i in range(1, 5)]
    deals = [deal(f"D{i}", f"C{i}", 1, "2026-03-0" + str(i), "1000.00", "100.00") for i in range(1, 4)]
    deals.append(deal("D9", "C4", 2, "2026-03-09", "1000.00", "100.00"))
    facts = history("2026-03", employees=[hunter("1"), hunter("2")], clients=clients, deals=deals,
                    targets={("2026-03", "new_clients"): "1"})
    payroll = run(facts, KPI)
    assert payroll.totals() == {"1": D("10000.00"), "2": D("0.00")}
    assert payroll.company.new_clients == 3
    company_wide = run(facts, KPI.replace('metric = "new_clients"',
                                          'metric = "new_clients"\n  scope = "company"'))
    assert company_wide.totals() == {"1": D("10000.00"), "2": D("10000.00")}
    untargeted = run(history("2026-03", employees=[hunter("1")]), KPI)
    assert untargeted.problems == (
        "hunters / new-clients: no target for new_clients in 2026-03; give the component a "
        "target or add one to the Targets table",)


def test_kpi_meeting_to_deal_conversion_counts_wins_within_the_window():
    text = KPI.replace('metric = "new_clients"\n  per_unit_above_target = "5000.00"',
                       'metric = "meeting_to_deal_conversion"\n  target = "0.25"\n'
                       '  fixed_if_met = "3000.00"')
    meetings = [meeting("M1", "C1", "1", "2026-03-01"), meeting("M2", "C2", "1", "2026-03-02"),
                meeting("M3", "C3", "1", "2026-03-03"), meeting("M4", "C4", "2", "2026-03-04")]
    wins = {"C1": ["2026-04-30"], "C2": ["2026-05-02"]}  # C1 on day 60, C2 on day 61
    facts = history("2026-03", employees=[hunter("1"), hunter("2")], meetings=meetings, wins=wins)
    payroll = run(facts, text)
    # Hunter 1: 1 of 3 meetings converted (0.333 ≥ 0.25); hunter 2: 0 of 1.
    assert payroll.totals() == {"1": D("3000.00"), "2": D("0.00")}
