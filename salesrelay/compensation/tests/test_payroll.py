"""Payroll of a stored history, end to end: database → engine → SPEC §6 JSON."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesrelay.compensation.models import PayoutLine, Period, PlanVersion
from salesrelay.compensation.plans import load_plan
from salesrelay.compensation.selectors import load_history
from salesrelay.compensation.tests.factories import (
    FILES,
    PLAN,
    imported,
    payroll_json,
    russian_style,
)
from salesrelay.engine.periods import Month

MARCH = {
    "period": "2026-03",
    "currency": "RUB",
    # R: P2 only (P3 is credit: no deal owes anything). G = 120 000 × ½. V = 54 000 + 5 000.
    # O = 60 000 − 500 − 59 000 = 500. Break-even = 500 × 100 000 / (60 000 − 59 000).
    "company": {"collections": "100000.00", "gross_profit": "60000.00", "fixed_costs": "500.00",
                "variable_pay": "59000.00", "operating_result": "500.00",
                "breakeven_revenue": "50000.00"},
    "employees": [
        {"id": "H1", "name": "Anna Hunter", "total": "94016.49", "lines": [
            {"component": "salary", "kind": "salary", "amount": "40000.00", "client_id": None,
             "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Salary 40,000.00 for the whole month"},
            {"component": "first-five", "kind": "deal_profit_share", "amount": "54000.00",
             "client_id": "C1", "deal_id": "1", "deal_number": 1, "payment_id": "P2",
             "explanation": "0.90 × profit 120,000.00 × counted 100,000.00 ÷ amount "
                            "200,000.00 of deal 1 (no. 1): payment P2 of 100,000.00 on "
                            "2026-03-05"},
            # Bonus 10 % × 500 = 50.00 by weight × days: 31, 31 and 2 × 16 = 32 of 94.
            {"component": "breakeven", "kind": "breakeven_bonus", "amount": "16.49",
             "client_id": None, "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Bonus pool 50.00 × 31 ÷ 94; bonus pool = 0.10 × operating result "
                            "500.00 (G 60,000.00 − F 500.00 − V 59,000.00)"},
        ]},
        {"id": "M1", "name": "Boris Manager", "total": "52476.81", "lines": [
            {"component": "salary", "kind": "salary", "amount": "50000.00", "client_id": None,
             "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Salary 50,000.00 for the whole month"},
            # Pool 5 % × 100 000 = 5 000.00 by 31 : 32.
            {"component": "pool", "kind": "collections_pool", "amount": "2460.32",
             "client_id": None, "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Pool 5,000.00 × 31 ÷ 63 (pool weight 1.00 × 31 days); pool = "
                            "0.05 × collections 100,000.00 of Account management"},
            {"component": "breakeven", "kind": "breakeven_bonus", "amount": "16.49",
             "client_id": None, "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Bonus pool 50.00 × 31 ÷ 94; bonus pool = 0.10 × operating result "
                            "500.00 (G 60,000.00 − F 500.00 − V 59,000.00)"},
        ]},
        {"id": "M2", "name": "Vera Manager", "total": "28363.15", "lines": [
            {"component": "salary", "kind": "salary", "amount": "25806.45", "client_id": None,
             "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Salary 50,000.00 × 16 ÷ 31 days employed"},
            {"component": "pool", "kind": "collections_pool", "amount": "2539.68",
             "client_id": None, "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Pool 5,000.00 × 32 ÷ 63 (pool weight 2.00 × 16 days); pool = "
                            "0.05 × collections 100,000.00 of Account management"},
            {"component": "breakeven", "kind": "breakeven_bonus", "amount": "17.02",
             "client_id": None, "deal_id": None, "deal_number": None, "payment_id": None,
             "explanation": "Bonus pool 50.00 × 32 ÷ 94; bonus pool = 0.10 × operating result "
                            "500.00 (G 60,000.00 − F 500.00 − V 59,000.00)"},
        ]},
    ],
    "forfeited": [],
}


def test_payroll_json_is_exactly_the_spec_for_a_month(db, tmp_path):
    imported(tmp_path / "in")
    assert payroll_json("2026-03") == MARCH
    period = Period.objects.get(month="2026-03-01")
    assert (period.status, period.plan_version.number, period.breakeven_revenue) == (
        "calculated", 1, D("50000.00"))
    assert PayoutLine.objects.filter(period=period).count() == 9


def test_the_same_facts_exported_russian_style_give_the_same_payroll(db, tmp_path):
    imported(tmp_path / "in", russian_style(FILES), encoding="cp1251")
    assert payroll_json("2026-03") == MARCH


def test_recalculating_a_draft_replaces_it(db, tmp_path):
    imported(tmp_path / "in")
    payroll_json("2026-03")
    assert payroll_json("2026-03") == MARCH
    assert PayoutLine.objects.filter(period__month="2026-03-01").count() == 9


def test_a_recalculation_that_changes_nothing_writes_no_line(db, tmp_path):
    imported(tmp_path / "in")
    payroll_json("2026-03")
    march = PayoutLine.objects.filter(period__month="2026-03-01").order_by("position")
    stored = list(march.values_list("pk", "plan_id", "amount"))
    assert payroll_json("2026-03") == MARCH
    assert list(march.values_list("pk", "plan_id", "amount")) == stored
    # The same amounts under a plan of another name: the lines name it, so they are rewritten.
    load_plan(PLAN.replace('id = "managers"', 'id = "accounts"'))
    assert payroll_json("2026-03") == MARCH
    after = list(march.values_list("pk", "plan_id", "amount"))
    assert [(plan, amount) for _pk, plan, amount in after] == [
        ("accounts" if plan == "managers" else plan, amount) for _pk, plan, amount in stored]
    assert {pk for pk, _plan, _amount in after}.isdisjoint(pk for pk, _plan, _amount in stored)


def test_payroll_with_a_plan_file_stores_nothing(db, tmp_path):
    imported(tmp_path / "in")
    other = tmp_path / "other.toml"
    other.write_text(PLAN.replace('rate = "0.90"', 'rate = "0.50"'), encoding="utf-8")
    result = payroll_json("2026-03", "--plan", str(other))
    hunter = result["employees"][0]
    assert (hunter["id"], hunter["lines"][1]["amount"]) == ("H1", "30000.00")
    assert Period.objects.count() == 0
    assert PlanVersion.objects.count() == 1


def test_explanations_in_russian(db, tmp_path):
    imported(tmp_path / "in")
    result = payroll_json("2026-03", "--language", "ru")
    assert result["employees"][0]["lines"][0]["explanation"] == "Оклад 40\xa0000,00 за весь месяц"


@pytest.mark.parametrize(("month", "message"), [
    ("2026-13", "2026-13 is not a month"),
    ("March", "'March' is not a month; write it as YYYY-MM, e.g. 2026-03"),
])
def test_a_bad_month_is_refused_with_its_reason(db, month, message):
    with pytest.raises(CommandError) as refused:
        call_command("payroll", month)
    assert str(refused.value) == message
    assert Period.objects.count() == 0


def test_plan_load_refuses_a_bad_plan_and_stores_nothing(db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(PLAN.replace('ordinals = [1, 5]', 'ordinals = [5, 1]'), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("plan", "load", str(bad))
    assert str(refused.value) == (
        f"{bad}: plan hunters / first-five: ordinals: [5, 1]: the range ends before it starts; "
        "write [1, 5]")
    assert PlanVersion.objects.count() == 0
    named = tmp_path / "named.toml"
    named.write_text(PLAN.replace('roles = ["hunter"]', 'employees = ["H9"]'), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("plan", "load", str(named))
    assert str(refused.value) == f"{named}: the plan names employees that do not exist: H9"
    assert PlanVersion.objects.count() == 0


def test_plan_versions(db, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    call_command("plan", "load", str(plan))
    call_command("plan", "load", str(plan))
    plan.write_text(PLAN.replace('"0.90"', '"0.80"'), encoding="utf-8")
    call_command("plan", "load", str(plan))
    assert list(PlanVersion.objects.order_by("number").values_list("number", "plan_ids")) == [
        (1, "hunters, managers, company"), (2, "hunters, managers, company")]


def test_one_period_is_loaded_in_ten_queries(db, tmp_path, django_assert_num_queries):
    imported(tmp_path / "in")
    # Eleven with the wins of the clients met; no meeting was held here.
    with django_assert_num_queries(10):
        history = load_history(Month(2026, 2), Month(2026, 3))
    assert [(a.payment_id, a.deal_id, a.amount) for a in history.allocations] == [
        ("P1", "1", D("100000.00")), ("P2", "1", D("100000.00"))]
    assert dict(history.allocated_before) == {}
    with django_assert_num_queries(10):
        march = load_history(Month(2026, 3), Month(2026, 3))
    assert dict(march.allocated_before) == {"1": D("100000.00")}
    assert march.clients["C1"].acquired_by == "H1"
    assert [(s.employee_id, s.department, str(s.started_on)) for s in march.clients["C1"].ownership] == [
        ("M1", "account_management", "2026-02-01")]
