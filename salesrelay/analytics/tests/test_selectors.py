"""Every analytic on the small history of ``history.py``, with the figures worked out by hand."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from salesrelay.analytics import rollup, selectors
from salesrelay.analytics.filters import Filters
from salesrelay.analytics.models import ClientMonth, CohortMonth, MonthlyFigures
from salesrelay.analytics.tests.history import import_history
from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client
from salesrelay.compensation.actions import calculate_period
from salesrelay.deals.actions import cancel_deal, move_deal, win_deal
from salesrelay.deals.models import Deal
from salesrelay.engine.metrics import Rate, Verdict
from salesrelay.engine.periods import Month
from salesrelay.finance.models import FixedCost
from salesrelay.payments.actions import record_payment
from salesrelay.people.access import Viewer
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import PipelineStage

JAN, FEB, MAR, APR, MAY = (Month(2026, m) for m in range(1, 6))
TODAY = date(2026, 5, 15)
ALL = Filters(JAN, APR)


@pytest.fixture
def history(db, tmp_path):
    import_history(tmp_path / "history")


def director():
    return Viewer(None, None, "director", "management")


def as_employee(ref):
    employee = Employee.objects.get(ref=ref)
    return Viewer(None, employee, employee.role, employee.department)


# New clients -------------------------------------------------------------------------------------
def test_new_clients_by_month_segment_and_hunter_against_the_target(history):
    result = selectors.new_clients(director(), ALL)
    assert [(str(m.month), m.count, m.target, m.met) for m in result.months] == [
        ("2026-01", 1, D(1), True), ("2026-02", 2, D(3), False), ("2026-03", 0, D(2), False),
        ("2026-04", 1, None, None)]
    assert [dict(m.by_segment) for m in result.months][1] == {
        "retail_chain": 0, "online_store": 1, "dealer": 1, "other": 0}
    assert (result.total, result.months_met, result.months_with_target) == (4, 1, 3)
    assert [(h.person.id, h.counts) for h in result.hunters] == [
        ("H1", (1, 1, 0, 0)), ("H2", (0, 1, 0, 1))]
    assert [(c.won_on, c.client_id, c.name, c.hunter) for c in result.chains] == [
        (date(2026, 1, 20), "C1", "ACME Baths", "Anna Hunter")]
    assert (result.months[0].retail_chains, result.months[0].retail_target,
            result.chains_target) == (1, D(1), D(1))


def test_a_hunter_sees_their_own_new_clients_and_the_company_count(history):
    result = selectors.new_clients(as_employee("H2"), ALL)
    assert [(m.count, m.company) for m in result.months] == [(0, 1), (1, 2), (0, 0), (1, 1)]
    assert [h.person.id for h in result.hunters] == ["H2"]
    assert result.chains == ()


def test_new_clients_of_one_segment(history):
    result = selectors.new_clients(director(), Filters(JAN, APR, segment="dealer"))
    assert [m.count for m in result.months] == [0, 1, 0, 1]


# Funnel --------------------------------------------------------------------------------------------
def _moved_to_proposal():
    deal = Deal.objects.get(ref="6")
    move_deal(deal, stage=PipelineStage.objects.get(code="proposal"), acting_user=None)
    AuditEntry.objects.filter(action="deal.move").update(
        at=datetime(2026, 2, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")))


def test_funnel_stage_by_stage_with_median_days(history):
    _moved_to_proposal()
    result = selectors.funnel(director(), ALL, today=TODAY)
    assert [(s.code, s.reached, s.conversion, s.median_days, s.timed) for s in result.steps] == [
        ("new", 6, None, D(1), 5),
        ("contacted", 6, D("1.000"), D(0), 5),
        ("meeting_scheduled", 6, D("1.000"), D(0), 5),
        ("meeting_held", 6, D("1.000"), D(8), 1),
        ("proposal", 5, D("0.833"), None, 0),
        ("won", 4, D("0.800"), None, 0),
    ]
    assert (result.deals, result.won, result.overall) == (6, 4, D("0.667"))
    assert [(h.person.id, h.reached, h.overall) for h in result.hunters] == [
        ("H1", (2, 2, 2, 2, 2, 2), D("1.000")), ("H2", (4, 4, 4, 4, 3, 2), D("0.500"))]


def test_a_hunter_sees_only_their_own_funnel(history):
    result = selectors.funnel(as_employee("H1"), ALL, today=TODAY)
    assert [s.reached for s in result.steps] == [2, 2, 2, 2, 2, 2]
    assert [h.person.id for h in result.hunters] == ["H1"]


# Conversion -------------------------------------------------------------------------------------
def test_conversion_with_and_without_each_material(history):
    result = selectors.conversion(director(), ALL)
    # Five meetings held; those of ACME, Volga and Neva were followed by a win within 60 days.
    assert result.overall == Rate(5, 3, D("0.600"), D("0.231"), D("0.882"))
    catalog, price_list = result.materials
    assert (catalog.title, catalog.with_.trials, catalog.with_.hits, catalog.with_.value,
            catalog.without.trials, catalog.without.hits, catalog.without.value) == (
        "Aqualine catalog", 2, 2, D("1.000"), 3, 1, D("0.333"))
    assert (price_list.with_.trials, price_list.with_.hits, price_list.without.trials,
            price_list.without.hits) == (3, 2, 2, 1)
    assert (result.any_material.with_.hits, result.any_material.with_.trials,
            result.any_material.without.hits, result.any_material.without.trials) == (3, 4, 0, 1)
    assert {lift.verdict for lift in result.lifts} == {Verdict.TOO_FEW}
    assert [(h.person.id, h.rate.hits, h.rate.trials) for h in result.hunters] == [
        ("H1", 2, 2), ("H2", 1, 3)]


def test_conversion_counts_wins_within_the_days_chosen(history):
    # Only ACME won within 10 days of its meeting (8 days); Volga took 22, Neva 26.
    result = selectors.conversion(director(), Filters(JAN, APR, within_days=10))
    assert (result.overall.hits, result.overall.trials) == (1, 5)
    assert (result.materials[0].with_.hits, result.materials[0].with_.trials) == (1, 2)


def test_a_material_is_compared_only_on_the_meetings_since_its_publication(history):
    from salesrelay.materials.models import SalesMaterial

    SalesMaterial.objects.filter(ref="CAT").update(published_on=date(2026, 1, 14))
    catalog = selectors.conversion(director(), ALL).materials[0]
    # The meeting of 01-12 is left out: the catalog did not exist yet (in the data it did).
    assert (catalog.with_.trials, catalog.without.trials, catalog.without.hits) == (1, 3, 1)


# Order value -------------------------------------------------------------------------------------
def test_order_value_by_deal_number_and_months_since_the_first_deal(history):
    result = selectors.order_value(director(), ALL)
    assert [(p.key, p.acquisition, p.acquisition_deals, p.accounts, p.accounts_deals, p.overall,
             p.deals) for p in result.by_number] == [
        (1, D("60000.00"), 4, None, 0, D("60000.00"), 4),
        (2, None, 0, D("115000.00"), 2, D("115000.00"), 2)]
    assert [(p.key, p.acquisition, p.accounts, p.deals) for p in result.by_month] == [
        (0, D("60000.00"), None, 4), (1, None, D("30000.00"), 1), (2, None, D("200000.00"), 1)]


# Collections and receivables --------------------------------------------------------------------
def test_collections_by_month_department_and_manager(history):
    result = selectors.collections(director(), ALL, today=TODAY)
    assert [(m.total, m.acquisition, m.accounts) for m in result.months] == [
        (D("100000.00"), D("0.00"), D("100000.00")), (D("25000.00"), D("0.00"), D("25000.00")),
        (D("180000.00"), D("0.00"), D("180000.00")), (D("27000.00"), D("0.00"), D("27000.00"))]
    assert [(m.person.id, m.amounts, m.total) for m in result.managers] == [
        ("M1", (D("100000.00"), D("0.00"), D("180000.00"), D("0.00")), D("280000.00")),
        ("M2", (D("0.00"), D("25000.00"), D("0.00"), D("27000.00")), D("52000.00"))]


def test_receivables_on_the_last_day_of_the_range_with_the_clients_behind_a_bucket(history):
    result = selectors.collections(director(), Filters(JAN, APR, bucket="31-60"), today=TODAY)
    # On 04-30: deal 4 owes 100 000 (won 60 days before), deal 7 30 000 (51), deal 8 8 000 (10).
    assert result.as_of == date(2026, 4, 30)
    assert (result.total.amounts, result.total.deals) == (
        (D("8000.00"), D("130000.00"), D("0.00"), D("0.00")), (1, 2, 0, 0))
    assert [(r.label, r.amounts) for r in result.departments] == [
        ("Account management", (D("8000.00"), D("130000.00"), D("0.00"), D("0.00")))]
    assert [(r.employee, r.amounts) for r in result.owners] == [
        ("M1", (D("0.00"), D("100000.00"), D("0.00"), D("0.00"))),
        ("M2", (D("8000.00"), D("30000.00"), D("0.00"), D("0.00")))]
    assert [(c.client_id, c.owner, c.deals, c.owed, c.oldest_win) for c in result.clients] == [
        ("C1", "Boris Manager", 1, D("100000.00"), date(2026, 3, 1)),
        ("C2", "Vera Manager", 1, D("30000.00"), date(2026, 3, 10))]


def test_an_account_manager_sees_the_department_and_only_their_own_row(history):
    result = selectors.collections(as_employee("M2"), ALL, today=TODAY)
    assert result.months[2].total == D("180000.00")
    assert [m.person.id for m in result.managers] == ["M2"]
    assert [r.employee for r in result.owners] == ["M2"]


def test_receivables_ageing_at_the_bucket_boundaries(db, company):
    company.manager("Mark Manager", hired_on=date(2025, 1, 1))
    hunter = company.hunter("Hugo Hunter", hired_on=date(2025, 1, 1))
    as_of = date(2026, 6, 30)
    for days, amount in [(30, "1000.00"), (31, "2000.00"), (60, "3000.00"), (61, "4000.00"),
                         (90, "5000.00"), (91, "6000.00")]:
        client = company.prospect(f"Client {days}", hunter, created_on=date(2026, 1, 5))
        deal = company.deal(client, hunter, amount=amount, cost="100.00",
                            created_on=date(2026, 1, 5))
        win_deal(deal, acting_user=None, won_on=as_of.fromordinal(as_of.toordinal() - days))
    result = selectors.collections(director(), Filters(Month(2026, 6), Month(2026, 6)),
                                   today=as_of)
    assert result.total.amounts == (D("1000.00"), D("5000.00"), D("9000.00"), D("6000.00"))
    assert result.total.deals == (1, 2, 2, 1)


# Break-even --------------------------------------------------------------------------------------
def test_break_even_month_by_month_stored_and_as_it_stands(history):
    calculate_period(JAN)
    calculate_period(FEB)
    # Recorded after February was calculated: the stored period still says 30 000.00.
    FixedCost.objects.create(month=FEB.first, category="late invoice", amount=D("1000.00"))
    result = selectors.breakeven(Filters(JAN, MAY), today=TODAY)
    assert [(str(m.month), m.fresh, m.collections, m.gross_profit, m.fixed_costs,
             m.variable_pay, m.operating_result, m.breakeven_revenue, m.margin_of_safety,
             m.above) for m in result.months] == [
        ("2026-01", False, D("100000.00"), D("40000.00"), D("10000.00"), D("20000.00"),
         D("10000.00"), D("50000.00"), D("0.500"), True),
        ("2026-02", False, D("25000.00"), D("10000.00"), D("30000.00"), D("5000.00"),
         D("-25000.00"), D("150000.00"), D("-5.000"), False),
        ("2026-03", True, D("180000.00"), D("55000.00"), D("20000.00"), D("27500.00"),
         D("7500.00"), D("130909.09"), D("0.273"), True),
        ("2026-04", True, D("27000.00"), D("10800.00"), D("0.00"), D("5400.00"),
         D("5400.00"), D("0.00"), D("1.000"), True),
        # The current month as it stands: nothing collected yet, break-even undefined.
        ("2026-05", True, D("0.00"), D("0.00"), D("5000.00"), D("0.00"), D("-5000.00"), None,
         None, False),
    ]
    assert (result.above, result.below, result.today.month) == (3, 2, MAY)


def test_margin_of_safety_when_break_even_is_undefined_because_nothing_covers_it(db, company):
    # A deal sold at a loss: gross profit after variable pay is negative, no revenue breaks even.
    company.manager("Mark Manager", hired_on=date(2025, 1, 1))
    hunter = company.hunter("Hugo Hunter", hired_on=date(2025, 1, 1))
    client = company.prospect("Loss Maker", hunter, created_on=date(2026, 1, 5))
    deal = company.deal(client, hunter, amount="1000.00", cost="1500.00",
                        created_on=date(2026, 1, 5))
    win_deal(deal, acting_user=None, won_on=date(2026, 6, 2))
    from salesrelay.payments.actions import record_payment

    record_payment(deal=deal, amount=D("1000.00"), received_on=date(2026, 6, 3), acting_user=None)
    june = selectors.breakeven(Filters(Month(2026, 6), Month(2026, 6)),
                               today=date(2026, 7, 1)).months[0]
    assert (june.collections, june.gross_profit, june.breakeven_revenue,
            june.margin_of_safety, june.above) == (D("1000.00"), D("-500.00"), None, None, False)


def test_the_months_calculated_now_are_kept_until_the_data_changes(history, django_assert_num_queries):
    calculate_period(JAN)
    months = Filters(FEB, APR)

    def figures():
        return [(m.month, m.collections, m.variable_pay, m.operating_result)
                for m in selectors.breakeven(months, today=TODAY).months]

    first = figures()
    assert MonthlyFigures.objects.count() == 3
    # Read back: the sources, the revision, the stored months; no history, no engine.
    with django_assert_num_queries(5):
        assert figures() == first
    pay = selectors.pay_vs_market(director(), months, today=TODAY)
    assert [(e.person.id, e.pay) for e in pay.employees] == [
        ("H1", (D("45000.00"), D("42500.00"), D("35000.00"))),
        ("H2", (D("40000.00"), D("45000.00"), D("40400.00")))]
    # An action records an audit entry: the months are calculated again, with the new payment.
    deal = Deal.objects.filter(status="won").order_by("id").first()
    record_payment(deal=deal, amount=D("1000.00"), received_on=date(2026, 3, 20),
                   acting_user=None)
    after = figures()
    assert after[0] == first[0] and after[2] == first[2]
    assert after[1][1] == first[1][1] + D("1000.00")
    # A write that records nothing (the importer's) refreshes the roll-up itself.
    FixedCost.objects.create(month=APR.first, category="late invoice", amount=D("700.00"))
    assert figures()[2] == after[2]
    rollup.refresh([APR])
    assert figures()[2][3] == after[2][3] - D("700.00")


# Pay against the market ---------------------------------------------------------------------------
def test_pay_against_market_salary_with_the_hunters_median(history):
    calculate_period(JAN)
    result = selectors.pay_vs_market(director(), Filters(JAN, MAY), today=TODAY)
    assert result.fresh == (False, True, True, True, True)
    assert [(e.person.id, e.pay, e.ratios, e.average_ratio) for e in result.employees] == [
        ("H1", (D("60000.00"), D("45000.00"), D("42500.00"), D("35000.00"), D("30000.00")),
         (D("1.00"), D("0.75"), D("0.71"), D("0.58"), D("0.50")), D("0.71")),
        ("H2", (D("30000.00"), D("40000.00"), D("45000.00"), D("40400.00"), D("30000.00")),
         (D("0.60"), D("0.80"), D("0.90"), D("0.81"), D("0.60")), D("0.74")),
    ]
    assert result.hunters_median == (D("0.80"), D("0.78"), D("0.81"), D("0.70"), D("0.55"))


def test_a_hunter_sees_only_their_own_pay(history):
    result = selectors.pay_vs_market(as_employee("H2"), Filters(JAN, FEB), today=TODAY)
    assert [e.person.id for e in result.employees] == ["H2"]


# Cohorts ------------------------------------------------------------------------------------------
def test_cohorts_pay_back_in_a_known_month(history):
    calculate_period(JAN)
    calculate_period(FEB)
    result = selectors.cohorts(director(), ALL, today=TODAY)
    assert [(str(c.month), c.clients, c.shares, c.bonuses, c.cost, c.cumulative, c.payback,
             c.payback_month) for c in result.cohorts] == [
        # ACME: 20 000 + 12 500 of profit shares and January's 10 000 bonus; 40 000 of gross
        # profit in January, 65 000 from March, when it pays back.
        ("2026-01", 1, D("32500.00"), D("10000.00"), D("42500.00"),
         (D("40000.00"), D("40000.00"), D("65000.00"), D("65000.00"), D("65000.00")), 2, MAR),
        # Volga and Neva: 5 000 + 5 000 + 15 000 and two bonuses of 10 000; paid back in April.
        ("2026-02", 2, D("25000.00"), D("20000.00"), D("45000.00"),
         (D("10000.00"), D("40000.00"), D("50000.00"), D("50000.00")), 2, APR),
        # Kama: 400 of share and a 10 000 bonus against 800 of gross profit: not yet.
        ("2026-04", 1, D("400.00"), D("10000.00"), D("10400.00"),
         (D("800.00"), D("800.00")), None, None),
    ]
    assert result.cohorts[0].net[:3] == (D("-2500.00"), D("-2500.00"), D("22500.00"))


def test_cohorts_are_the_same_from_stored_and_from_fresh_months(history):
    fresh = selectors.cohorts(director(), ALL, today=TODAY)
    calculate_period(JAN)
    calculate_period(FEB)
    calculate_period(MAR)
    assert selectors.cohorts(director(), ALL, today=TODAY) == fresh


def test_a_hunter_sees_their_own_cohorts(history):
    result = selectors.cohorts(as_employee("H1"), ALL, today=TODAY)
    assert [(str(c.month), c.clients, c.cost) for c in result.cohorts] == [
        # Volga alone: 5 000 + 5 000 of shares and Anna's February bonus of 10 000.
        ("2026-01", 1, D("42500.00")), ("2026-02", 1, D("20000.00"))]


def _cancelled_and_credited():
    """Neva's deal 3 (paid 80 000 on 03-05) is cancelled on 04-05: the payment is reversed and
    becomes Neva's credit. Kama pays 9 000 on 04-28 as a client: 8 000 to its deal 8, 1 000 of
    credit."""
    cancel_deal(Deal.objects.get(ref="3"), acting_user=None, closed_on=date(2026, 4, 5))
    record_payment(client=Client.objects.get(ref="C6"), amount=D("9000.00"),
                   received_on=date(2026, 4, 28), acting_user=None)


def test_cohorts_read_from_the_roll_up_are_the_ones_calculated(history):
    calculate_period(JAN)
    _cancelled_and_credited()
    calculate_period(FEB)
    viewers = [director(), as_employee("H1"), as_employee("H2"), as_employee("M1")]
    ranges = [ALL, Filters(FEB, MAY), Filters(JAN, APR, segment="dealer"),
              Filters(JAN, APR, department="acquisition"), Filters(JAN, APR, employee="H2")]
    for viewer in viewers:
        for filters in ranges:
            calculated = selectors.calculated_cohorts(viewer, filters, today=TODAY)
            assert selectors.cohorts(viewer, filters, today=TODAY) == calculated
    result = selectors.cohorts(director(), ALL, today=TODAY)
    assert [(str(c.month), c.clients, c.cumulative) for c in result.cohorts] == [
        ("2026-01", 1, (D("40000.00"), D("40000.00"), D("65000.00"), D("65000.00"),
                        D("65000.00"))),
        # Volga 10 000 in February and 10 000 in April; Neva's 30 000 of March taken back in
        # April by the cancellation.
        ("2026-02", 2, (D("10000.00"), D("40000.00"), D("20000.00"), D("20000.00"))),
        # Kama: 800 on 2 000 paid, then 3 200 on the 8 000 of the client's payment its deal took.
        ("2026-04", 1, (D("4000.00"), D("4000.00"))),
    ]
    assert CohortMonth.objects.filter(revision=rollup.revision()).count() == 5
    # An action changes the revision: the next page calculates the months again.
    record_payment(deal=Deal.objects.get(ref="7"), amount=D("30000.00"),
                   received_on=date(2026, 5, 2), acting_user=None)
    after = selectors.cohorts(director(), ALL, today=TODAY)
    assert after == selectors.calculated_cohorts(director(), ALL, today=TODAY)
    assert after.cohorts[0].cumulative[-1] == D("65000.00")  # account management's deal 7
    assert after.cohorts[1].cumulative[-1] == D("30000.00")  # Volga's deal 7: 10 000 of profit


def test_cohorts_read_back_from_the_roll_up_in_a_fixed_number_of_queries(
        history, django_assert_num_queries):
    calculate_period(JAN)
    first = selectors.cohorts(director(), ALL, today=TODAY)
    # The sources, the revision (three), the months held, the cohort clients, the clients' rows
    # summed, the stored period's bonuses: no history, no engine.
    with django_assert_num_queries(8):
        assert selectors.cohorts(director(), ALL, today=TODAY) == first
    anna = as_employee("H1")
    with django_assert_num_queries(8):
        selectors.cohorts(anna, Filters(JAN, APR, segment="dealer"), today=TODAY)


def test_the_rebuild_keeps_every_month_of_the_cohorts(history):
    calculate_period(JAN)
    rollup.rebuild()
    at = rollup.revision()
    assert list(CohortMonth.objects.filter(revision=at).values_list("month", "fresh"))[:5] == [
        (JAN.first, False), (FEB.first, True), (MAR.first, True), (APR.first, True),
        (date(2026, 5, 1), True)]
    assert list(ClientMonth.objects.filter(month=JAN.first).values_list(
        "client__ref", "cohort", "shares_cents", "profit_cents", "profit_rest")) == [
        ("C1", JAN.first, 2000000, 4000000, 0)]  # the stored January's share line
    assert selectors.cohorts(director(), ALL, today=TODAY) == selectors.calculated_cohorts(
        director(), ALL, today=TODAY)
    rollup.refresh()
    assert (CohortMonth.objects.count(), ClientMonth.objects.count()) == (0, 0)


# Dashboard ----------------------------------------------------------------------------------------
def test_the_dashboard_of_the_current_month(history):
    result = selectors.dashboard(director(), today=date(2026, 4, 26))
    assert (result.new_clients.count, result.new_clients.target) == (1, None)
    assert (result.new_clients_last.count, result.new_clients_last.target) == (0, D(2))
    assert (result.breakeven_last.month, result.breakeven_last.margin_of_safety) == (
        MAR, D("0.273"))
    assert (result.breakeven.collections, result.breakeven.breakeven_revenue,
            result.breakeven.margin_of_safety) == (D("27000.00"), D("0.00"), D("1.000"))
    # April to the 26th, March to the 26th (both of its payments), March in all.
    assert result.collections == selectors.CollectionsToDate(
        D("27000.00"), D("180000.00"), D("180000.00"))
    assert [lift.material_id for lift in result.conversion] == [None, "PRICE", "CAT"]


def test_the_dashboard_shows_only_what_the_viewer_may_read(history):
    result = selectors.dashboard(as_employee("M1"), today=date(2026, 4, 26))
    assert (result.new_clients, result.conversion) == (None, None)
    assert result.collections is not None and result.breakeven is not None
