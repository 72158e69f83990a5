"""The plan form: the plan in force as fields, problems next to their field, a preview on a
month against the plan in force (per employee and for the company) and a confirmed store from a
month on."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.models import PlanVersion
from salesrelay.compensation.plans import plans_of
from salesrelay.compensation.tests.factories import PLAN, imported
from salesrelay.engine.params import Param, parameters_of
from salesrelay.engine.periods import Month
from salesrelay.engine.plans import parse_plans
from salesrelay.people.actions import hire_employee

PASSWORD = "secret-pass-1"
URL = "/pay/plan/form/"


@pytest.fixture
def org(db, tmp_path):
    imported(tmp_path / "in")
    for name, department, role, login in [
        ("Dora Director", "management", "director", "dora"),
        ("Hugo Head", "acquisition", "head", "hugo"),
    ]:
        hire_employee(name=name, email=f"{login}@example.com", department=department, role=role,
                      hired_on=date(2026, 1, 1), acting_user=None, username=login,
                      password=PASSWORD)


def posted(response, **changes):
    """What a browser posts back from the page: every field as shown, then ``changes``."""
    context = response.context
    editor = context["editor"]
    data = {}
    formsets = [editor.plans] + [fs for block in editor.blocks for _, _, fs in block.kinds]
    forms = [context["months"]]
    for formset in formsets:
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_each_kind_gets_its_fields_from_what_its_parser_reads():
    from salesrelay.engine.components import KINDS

    assert parameters_of(KINDS["salary"].parse) == (
        Param("amount", "number", True, low=D(0)),)
    assert [(p.name, p.shape, p.required) for p in parameters_of(KINDS["collections_pool"].parse)] == [
        ("department", "choice", True), ("split", "choice", False), ("rate", "number", False),
        ("tiers", "value", False), ("mode", "choice", True)]
    assert [p.name for p in parameters_of(KINDS["kpi_bonus"].parse)] == [
        "metric", "scope", "target", "per_unit_above_target", "fixed_if_met", "within_days"]


def test_the_form_shows_the_plan_in_force_in_words(client, org):
    client.login(username="dora", password=PASSWORD)
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="plan0-deal_profit_share-0-rate" value="0.90"' in text
    assert 'name="plan0-deal_profit_share-0-ordinals" value="1-5"' in text
    assert "Share of the profit" in text and "A rate from 0 to 1" in text
    assert 'name="plan1-collections_pool-0-rate" value="0.05"' in text
    client.login(username="hugo", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_a_problem_is_shown_next_to_its_field_and_nothing_is_stored(client, org):
    client.login(username="dora", password=PASSWORD)
    data = posted(client.get(URL), **{"plan0-deal_profit_share-0-rate": "1.5",
                                      "plan1-collections_pool-0-tiers": "0; 100; 0.01",
                                      "preview": "1"})
    response = client.post(URL, data)
    assert response.status_code == 400
    editor = response.context["editor"]
    share = editor.blocks[0].kinds[1][2].forms[0]
    assert share.errors == {"rate": ["1.5 is out of range 0…1"]}
    pool = editor.blocks[1].kinds[2][2].forms[0]
    assert pool.errors == {"rate": ["give either rate or tiers, not both"]}
    assert PlanVersion.objects.count() == 1
    assert "preview" not in response.context or response.context["preview"] is None


def test_the_preview_compares_the_month_under_both_plans(client, org):
    client.login(username="dora", password=PASSWORD)
    data = posted(client.get(URL), **{"plan1-collections_pool-0-rate": "0.10", "month": "2026-03",
                                      "preview": "1", "effective": None})  # not shown yet
    response = client.post(URL, data)
    assert response.status_code == 200, response.context["editor"].errors
    shown = response.context["preview"]
    # March: P2 pays 100 000.00 of deal 1 (profit 120 000.00 of 200 000.00): the hunter's
    # 54 000.00, G 60 000.00, F 500.00. The managers' pool doubles from 5 000.00 to 10 000.00
    # (Boris 31 days × 1, Vera 16 days × 2: 31/63 and 32/63), so V goes from 59 000.00 to
    # 64 000.00 and O from 500.00 to −4 500.00: the break-even bonus of 50.00 (0.10 × O, by
    # 31/94, 31/94 and 32/94 with Anna) is gone.
    assert shown.employees == [
        ("Anna Hunter", D("94016.49"), D("94000.00"), D("-16.49")),
        ("Boris Manager", D("52476.81"), D("54920.63"), D("2443.82")),
        ("Vera Manager", D("28363.15"), D("30885.82"), D("2522.67"))]
    assert shown.company == [
        ("Total pay", D("174856.45"), D("179806.45"), D("4950.00")),
        ("Variable pay V", D("59000.00"), D("64000.00"), D("5000.00")),
        ("Operating result O", D("500.00"), D("-4500.00"), D("-5000.00"))]
    text = response.content.decode()
    assert '<td class="num">2,443.82</td>' in text and "Confirm and store" in text
    # The month it takes effect from is offered: this one, or the one after the last locked.
    assert response.context["months"]["effective"].value() == str(Month.of(date.today()))
    assert PlanVersion.objects.count() == 1


def test_confirming_stores_the_previewed_plan_from_the_month_on(client, org):
    client.login(username="dora", password=PASSWORD)
    changes = {"plan1-collections_pool-0-rate": "0.10", "month": "2026-03"}
    previewed = client.post(URL, posted(client.get(URL), **changes, preview="1"))
    data = posted(previewed, **changes, effective="2026-03", store="1")
    data["previewed"] = previewed.context["previewed"]
    altered = {**data, "plan1-salary-0-amount": "1.00"}
    again = client.post(URL, altered)
    assert again.status_code == 400 and PlanVersion.objects.count() == 1
    assert "The plan changed since its preview" in again.content.decode()
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == "/pay/plan/"
    version = PlanVersion.objects.order_by("-number").first()
    assert version.number == 2
    managers = {p.id: p for p in plans_of(version).plans}
    assert (str(managers["managers"].effective_to), str(managers["managers-from-2026-03"].
            effective_from)) == ("2026-02-28", "2026-03-01")
    assert managers["managers-from-2026-03"].components[1].params.rate == D("0.10")
    assert managers["hunters"] == parse_plans(PLAN).plans[0]
    entry = AuditEntry.objects.filter(action="plan.load").order_by("-id").first()
    assert entry.actor.username == "dora"


def test_after_a_preview_each_kind_offers_an_empty_component_again(client, org):
    client.login(username="dora", password=PASSWORD)
    changes = {"plan0-kpi_bonus-0-id": "new-clients", "plan0-kpi_bonus-0-metric": "new_clients",
               "plan0-kpi_bonus-0-target": "2", "plan0-kpi_bonus-0-fixed_if_met": "3000.00",
               "month": "2026-03", "preview": "1"}
    response = client.post(URL, posted(client.get(URL), **changes))
    assert response.status_code == 200
    kpi = response.context["editor"].blocks[0].kinds[4][2]
    assert [form.initial.get("id") for form in kpi.forms] == ["new-clients", None]
    assert 'name="plan0-kpi_bonus-1-metric"' in response.content.decode()
    # No client of Anna's won a deal 1 in March: 0 new clients against 2, no bonus.
    assert response.context["preview"].employees[0] == (
        "Anna Hunter", D("94016.49"), D("94016.49"), D("0.00"))


def test_a_locked_month_cannot_be_the_month_a_plan_takes_effect(client, org):
    from salesrelay.compensation.models import Period

    Period.objects.create(month=date(2026, 3, 1), status="locked",
                          plan_version=PlanVersion.objects.get())
    client.login(username="dora", password=PASSWORD)
    changes = {"plan1-collections_pool-0-rate": "0.10", "month": "2026-03"}
    previewed = client.post(URL, posted(client.get(URL), **changes, preview="1"))
    data = posted(previewed, **changes, effective="2026-03", store="1")
    data["previewed"] = previewed.context["previewed"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert ("2026-03 is locked: the plan can take effect from 2026-04 at the earliest"
            in response.content.decode())
    assert PlanVersion.objects.count() == 1


def test_the_form_speaks_russian(client, org):
    client.login(username="dora", password=PASSWORD)
    assert "Empty: as the deal is paid." in client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):  # the request switches the thread to Russian: back after
        page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Изменить план" in page and "Доля прибыли" in page
    assert "Ставка от 0 до 1: 0.90 — это 90 % прибыли сделки." in page
    assert "Пусто: по мере оплаты сделки." in page


def test_every_kind_goes_through_the_form_unchanged(client, org):
    """The demo plan (tiers, a KPI bonus on a segment, a break-even bonus) shown in the form and
    posted back as it is: the same plans, no difference in the preview, nothing stored."""
    from pathlib import Path

    from salesrelay.compensation.plans import load_plan

    demo = (Path(__file__).parents[2] / "web" / "demo_plan.toml").read_text(encoding="utf-8")
    load_plan(demo)
    client.login(username="dora", password=PASSWORD)
    page = client.get(URL)
    assert 'name="plan1-collections_pool-0-tiers"' in page.content.decode()
    assert page.context["editor"].blocks[1].kinds[2][2].forms[0].initial["tiers"] == (
        "0; 20000000; 0.005\n20000000; ; 0.01")
    data = posted(page, month="2026-03", preview="1")
    previewed = client.post(URL, data)
    assert previewed.status_code == 200
    assert [(row[0], row[3]) for row in previewed.context["preview"].employees] == [
        ("Hugo Head", D("0.00")), ("Anna Hunter", D("0.00")), ("Boris Manager", D("0.00")),
        ("Vera Manager", D("0.00"))]
    assert [row[3] for row in previewed.context["preview"].company] == [D("0.00")] * 3
    stored = posted(previewed, store="1", effective="2026-03")
    stored["previewed"] = previewed.context["previewed"]
    response = client.post(URL, stored, follow=True)
    assert "Unchanged: the plan in force is the same." in response.content.decode()
    assert PlanVersion.objects.count() == 2
