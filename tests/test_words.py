"""Words on the pages: the default pipeline stages in the reader's language, a stage the
installation named itself as it was typed; the plan summary, explanations, workbooks, disputes
and the statement's deals table in words and in the reader's numbers."""

import pytest
from django.conf import settings
from django.utils import translation

from salesrelay.pipeline.models import PipelineStage
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Russian leaves the test's thread in Russian: give the next test English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_board_names_the_default_stages_in_russian_and_a_typed_name_as_typed(client, org):
    PipelineStage.objects.filter(code="proposal").update(name="КП отправлено")
    client.login(username="anna", password=PASSWORD)
    english = client.get("/pipeline/").content.decode()
    assert "<span>Meeting scheduled</span>" in english
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    russian = client.get("/pipeline/").content.decode()
    assert "<span>Встреча назначена</span>" in russian
    assert ">Первый контакт</option>" in russian
    assert "<span>КП отправлено</span>" in russian
    home = client.get("/").content.decode()
    assert "<td>Встреча проведена</td>" in home


def test_an_untitled_deal_is_named_once_by_its_id(client, org):
    _people, objects = org
    deal = objects["open"]
    assert deal.title == ""
    client.login(username="anna", password=PASSWORD)
    page = client.get(f"/deals/{deal.ref}/").content.decode()
    assert f"<h1>Deal {deal.ref} <span" in page
    assert f"<title>Deal {deal.ref} · SalesRelay</title>" in page
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert f"<h1>Сделка {deal.ref} <span" in client.get(f"/deals/{deal.ref}/").content.decode()


KPI_PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  id = "chains"
  kind = "kpi_bonus"
  metric = "new_clients_in_segment:retail_chain"
  target = 2
  per_unit_above_target = "15000.00"
  [[plans.components]]
  kind = "salary"
  amount = "115000.00"
"""


def test_the_plan_summary_names_components_metrics_and_scopes_in_words(client, org):
    from salesrelay.compensation.plans import load_plan

    load_plan(KPI_PLAN)
    client.login(username="dora", password=PASSWORD)
    page = client.get("/pay/plan/").content.decode()
    assert ("KPI bonus: new clients in the segment Retail chain (the employee&#x27;s own) against 2: "
            '15,000.00 for each unit above the target <small class="muted">chains</small>') in page
    assert ("Salary: a salary of 115,000.00 a month, prorated by the days employed "
            '<small class="muted">salary</small>') in page
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/pay/plan/").content.decode()
    assert "Бонус за KPI: новые клиенты в сегменте «" in page
    assert "оклад 115\xa0000,00 в месяц" in page


SHARE_FACTS = {"rate": "0.90", "profit": "120\u202f000.00", "counted": "100\u202f000.00",
               "paid": "100\u202f000.00", "amount": "200\u202f000.00", "deal": "D3", "number": "3",
               "payment": "P1", "on": "2026-03-05"}


def test_an_explanation_shows_the_division_in_the_reader_s_numbers():
    from django.utils import translation

    from salesrelay.compensation.explain import explain

    with translation.override("en"):
        assert explain("share_paid", SHARE_FACTS) == (
            "0.90 × profit 120,000.00 × counted 100,000.00 ÷ amount 200,000.00 of deal D3 "
            "(no. 3): payment P1 of 100,000.00 on 2026-03-05")
    with translation.override("ru"):
        assert explain("share_paid", SHARE_FACTS) == (
            "0,90 × прибыль 120\xa0000,00 × учтено 100\xa0000,00 ÷ сумма 200\xa0000,00 сделки D3 "
            "(№ 3): платёж P1 на 100\xa0000,00 от 2026-03-05")


def test_the_workbook_of_statements_is_headed_in_the_reader_s_language(client, org):
    from io import BytesIO

    from openpyxl import load_workbook

    from salesrelay.compensation.actions import calculate_period
    from salesrelay.compensation.plans import load_plan
    from salesrelay.engine.periods import Month

    load_plan(KPI_PLAN)
    calculate_period(Month(2026, 2))
    client.login(username="dora", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    book = load_workbook(BytesIO(client.get("/pay/periods/2026-02/statements.xlsx").content))
    assert book.sheetnames == ["Сводка", "Компания", "Строки выплат", "Не выплачено"]
    assert [c.value for c in book["Компания"][1]][:4] == [
        "Период", "Статус", "Сборы R", "Валовая прибыль G"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    book = load_workbook(BytesIO(client.get("/pay/periods/2026-02/statements.xlsx").content))
    assert [c.value for c in book["Summary"][1]][:3] == ["Period", "Employee id", "Employee"]


def test_a_dispute_shows_its_line_in_the_reader_s_words(client, org):
    from salesrelay.compensation.actions import calculate_period, raise_dispute
    from salesrelay.compensation.models import PayoutLine
    from salesrelay.compensation.plans import load_plan
    from salesrelay.engine.periods import Month

    people, _objects = org
    load_plan(KPI_PLAN)
    calculate_period(Month(2026, 2))
    line = PayoutLine.objects.get(employee=people["hunter"], component="salary")
    raise_dispute(line, employee=people["hunter"], comment="I was on holiday",
                  actor=people["hunter"].user)
    client.login(username="hanna", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/pay/disputes/").content.decode()
    assert ('Оклад <small class="muted">salary</small> 115\xa0000,00: '
            "Оклад 115\xa0000,00 за весь месяц") in page


def test_the_statement_s_deals_fold_away_with_their_totals_in_view(client, org):
    from salesrelay.compensation.actions import calculate_period
    from salesrelay.compensation.plans import load_plan
    from salesrelay.engine.periods import Month

    load_plan(KPI_PLAN)
    calculate_period(Month(2026, 2))
    client.login(username="anna", password=PASSWORD)
    page = " ".join(client.get(f"/pay/statements/2026-02/{org[0]['hunter'].ref}/")
                    .content.decode().split())
    # Anna brought one client: its deal 1, 100 000.00 at a profit of 40 000.00, nothing paid.
    assert ('<details class="below deals-1-5"> <summary><h2>My clients\' deals 1 to 5</h2> '
            '<span class="muted">1 deal · Amount 100,000.00 · Profit 40,000.00 · Paid 0.00'
            '</span></summary>') in page
    assert ('<tfoot><tr><th colspan="3">Total</th><td class="num">100,000.00</td>'
            '<td class="num">40,000.00</td><td class="num">0.00</td></tr></tfoot>') in page
