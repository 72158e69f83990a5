"""The director's Targets and Fixed costs pages: each write one action with its audit row, a
locked month refused with its reason and nothing changed, heads and the accountant reading."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.models import Period
from salesrelay.compensation.plans import load_plan
from salesrelay.engine.periods import Month
from salesrelay.errors import ActionError
from salesrelay.finance import actions
from salesrelay.finance.models import FixedCost, Target
from tests.conftest import PASSWORD

KPI_PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
  [[plans.components]]
  id = "new-clients"
  kind = "kpi_bonus"
  metric = "new_clients"
  per_unit_above_target = "5000.00"
"""


@pytest.fixture
def locked_february(db):
    version, _created = load_plan(KPI_PLAN)
    return Period.objects.create(month=date(2026, 2, 1), status="locked", plan_version=version)


def test_a_target_is_set_changed_and_removed_with_an_audit_row_each(db, org):
    director = org[0]["director"].user
    target = actions.set_target(Month(2026, 3), "new_clients", D("10"), acting_user=director)
    actions.set_target(Month(2026, 3), "new_clients", D("12.5"), acting_user=director)
    assert list(Target.objects.values_list("month", "metric", "value")) == [
        (date(2026, 3, 1), "new_clients", D("12.5000"))]
    actions.remove_target(Target.objects.get(pk=target.pk), acting_user=director)
    assert Target.objects.count() == 0
    assert [(e.action, e.details["value"], e.details.get("before")) for e in
            AuditEntry.objects.filter(object_type="target").order_by("id")] == [
        ("target.set", "10", None), ("target.set", "12.5", "10.0000"),
        ("target.remove", "12.5000", None)]


def test_a_target_names_a_known_metric(db, org):
    with pytest.raises(ActionError) as refused:
        actions.set_target(Month(2026, 3), "new_clientz", D("10"), acting_user=None)
    assert refused.value.message == (
        "new_clientz is not a metric a target can have (new_clients, "
        "new_clients_in_segment:dealer, new_clients_in_segment:online_store, "
        "new_clients_in_segment:other, new_clients_in_segment:retail_chain, collections, "
        "meeting_to_deal_conversion)")
    assert Target.objects.count() == 0


def test_a_locked_month_keeps_the_target_its_pay_read_and_its_fixed_costs(db, org,
                                                                          locked_february):
    Target.objects.create(month=date(2026, 2, 1), metric="new_clients", value=D("4"))
    FixedCost.objects.create(month=date(2026, 2, 1), category="rent", amount=D("1000.00"))
    with pytest.raises(ActionError) as refused:
        actions.set_target(Month(2026, 2), "new_clients", D("3"), acting_user=None)
    assert refused.value.message == (
        "2026-02 is locked and its pay was calculated with this target: it cannot change")
    with pytest.raises(ActionError):
        actions.remove_target(Target.objects.get(), acting_user=None)
    # The plan read no collections target: that one may still be set.
    actions.set_target(Month(2026, 2), "collections", D("900000"), acting_user=None)
    with pytest.raises(ActionError) as refused:
        actions.set_fixed_cost(Month(2026, 2), "rent", D("1200.00"), acting_user=None)
    assert refused.value.message == (
        "2026-02 is locked: its fixed costs are part of its figures and cannot change")
    assert list(Target.objects.values_list("metric", "value")) == [
        ("collections", D("900000.0000")), ("new_clients", D("4.0000"))]
    assert list(FixedCost.objects.values_list("amount", flat=True)) == [D("1000.00")]
    assert not AuditEntry.objects.filter(action="fixed_cost.set").exists()


def test_a_fixed_cost_is_set_changed_and_removed(db, org):
    director = org[0]["director"].user
    actions.set_fixed_cost(Month(2026, 3), " rent ", D("500.00"), acting_user=director)
    cost = actions.set_fixed_cost(Month(2026, 3), "rent", D("650.00"), acting_user=director)
    actions.set_fixed_cost(Month(2026, 3), "office", D("120.00"), acting_user=director)
    assert list(FixedCost.objects.values_list("category", "amount")) == [
        ("office", D("120.00")), ("rent", D("650.00"))]
    actions.remove_fixed_cost(cost, acting_user=director)
    assert list(FixedCost.objects.values_list("category", flat=True)) == ["office"]
    with pytest.raises(ActionError) as refused:
        actions.set_fixed_cost(Month(2026, 3), "rent", D("-1.00"), acting_user=director)
    assert refused.value.message == "A fixed cost cannot be negative."
    with pytest.raises(ActionError) as refused:
        actions.set_fixed_cost(Month(2026, 3), "r" * 101, D("1.00"), acting_user=director)
    assert (refused.value.field, refused.value.message) == (
        "category", "category: 101 characters, at most 100")
    assert list(FixedCost.objects.values_list("category", flat=True)) == ["office"]
    assert AuditEntry.objects.filter(object_type="fixedcost").count() == 4


def test_the_pages_write_for_the_director_and_read_for_heads_and_the_accountant(client, org,
                                                                               locked_february):
    client.login(username="dora", password=PASSWORD)
    response = client.post("/finance/targets/", {"month": "2026-03", "metric": "new_clients",
                                                 "value": "10"})
    assert response.status_code == 302
    assert Target.objects.get().value == D("10")
    response = client.post("/finance/fixed-costs/", {"month": "2026-02", "category": "rent",
                                                     "amount": "1000.00"})
    assert response.status_code == 400
    assert ("2026-02 is locked: its fixed costs are part of its figures and cannot change"
            in response.content.decode())
    assert FixedCost.objects.count() == 0
    client.post("/finance/fixed-costs/", {"month": "2026-03", "category": "rent",
                                          "amount": "1000.00"})
    page = client.get("/finance/fixed-costs/").content.decode()
    assert '<td>2026-03</td><td>rent</td><td class="num">1,000.00</td>' in page
    for login in ("hanna", "mila", "ada"):
        client.login(username=login, password=PASSWORD)
        page = client.get("/finance/targets/")
        assert page.status_code == 200 and "<td>new_clients</td>" in page.content.decode()
        assert 'id="target-form"' not in page.content.decode()
        assert client.post("/finance/targets/", {"month": "2026-03", "metric": "new_clients",
                                                 "value": "99"}).status_code == 403
    client.login(username="anna", password=PASSWORD)
    assert client.get("/finance/targets/").status_code == 403
    assert Target.objects.get().value == D("10")


def test_a_locked_month_is_refused_in_russian(client, org, locked_february):
    client.login(username="dora", password=PASSWORD)
    with translation.override("en"):  # the request switches the thread to Russian: back after
        response = client.post("/finance/fixed-costs/", {
            "month": "2026-02", "category": "rent", "amount": "1000.00"},
            HTTP_ACCEPT_LANGUAGE="ru")
    assert ("2026-02 закрыт: его постоянные расходы входят в его показатели и не меняются"
            in response.content.decode())
