"""What is at stake: the board card, the deal page and the hunter's home show what an open deal
would pay its owner and its hunter if it were won and paid in full this month."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from salesrelay.compensation.plans import load_plan
from salesrelay.compensation.stakes import stakes_of
from salesrelay.deals.actions import win_deal
from salesrelay.people.access import Viewer
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Russian leaves the test's thread in Russian: give the next test English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)

BOARD_QUERIES = 27  # for a director, with the plan in force (session, user and the bell included;
# the board's deals are three reads: open, won lately, lost lately)

PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.90"

[[plans]]
id = "managers"
roles = ["account_manager"]
effective_from = 2026-01-01
  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  rate = "0.05"
"""


@pytest.fixture
def deals(org, company):
    people, clients = org
    load_plan(PLAN)
    # Deal 2 of the client Anna brought, now Boris's: profit 40 000.00.
    second = company.deal(clients["won"], people["manager"])
    return people, clients["open"], second


def viewer(employee):
    return Viewer(None, employee, employee.role, employee.department)


def test_the_engine_gives_each_open_deal_the_pay_difference_of_its_people(deals):
    people, first, second = deals
    stakes = stakes_of([first, second], viewer(people["director"]))
    # The prospect's first deal: 0.9 × 40 000.00, Anna's alone.
    assert stakes[first.pk].number == 1
    assert [(s.employee.name, s.amount, s.is_owner) for s in stakes[first.pk].shares] == [
        ("Anna", D("36000.00"), True)]
    # Deal 2 of the handed-over client: Boris's pool, 5 % of 100 000.00; Anna's share follows.
    assert stakes[second.pk].number == 2
    assert [(s.employee.name, s.amount, s.is_owner) for s in stakes[second.pk].shares] == [
        ("Boris", D("5000.00"), True), ("Anna", D("36000.00"), False)]


def test_a_viewer_sees_only_the_shares_of_the_people_whose_pay_they_see(deals):
    people, _first, second = deals
    assert [s.employee.name for s in stakes_of([second], viewer(people["manager"]))[
        second.pk].shares] == ["Boris"]
    assert [s.employee.name for s in stakes_of([second], viewer(people["hunter"]))[
        second.pk].shares] == ["Anna"]


def test_no_plan_in_force_and_won_deals_have_no_stake(org):
    people, clients = org
    assert stakes_of([clients["open"]], viewer(people["director"])) == {}
    load_plan(PLAN)
    clients["deal"].refresh_from_db()
    assert stakes_of([clients["deal"]], viewer(people["director"])) == {}


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)


def test_the_board_card_says_what_the_hunter_s_share_would_be(client, deals):
    _people, first, _second = deals
    login(client, "anna")
    page = client.get("/pipeline/").content.decode()
    assert ("If won and paid in full this month — deal #1 of this client:\nyour share "
            "<strong>36,000.00</strong>") in page
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/pipeline/").content.decode()
    assert ("Если выиграть и оплатить полностью в этом месяце — сделка № 1 этого клиента:\n"
            "ваша доля <strong>36\xa0000,00</strong>") in page


def test_the_deal_page_names_the_owner_and_the_hunter_for_a_head(client, deals):
    _people, _first, second = deals
    login(client, "dora")
    page = client.get(f"/deals/{second.ref}/").content.decode()
    assert ("deal #2 of this client:\nBoris's share (owner) <strong>5,000.00</strong>; "
            "Anna's share (hunter) <strong>36,000.00</strong>") in page


def test_the_hunter_s_home_sums_her_share_of_the_open_pipeline(client, deals):
    login(client, "anna")
    home = client.get("/").content.decode()
    # The home shows the card at once and fetches the figure after: an engine run per deal.
    assert ('<section class="card" id="at-stake" hx-get="/at-stake/" hx-trigger="load" '
            'hx-swap="outerHTML">') in home
    assert "72,000.00" not in home
    card = client.get("/at-stake/", headers={"HX-Request": "true"}).content.decode()
    assert card.startswith('<section class="card" id="at-stake">')
    assert "<html" not in card
    assert '<p class="big">72,000.00</p>' in card
    assert "My share of 2 open deals, each if won and paid in full this month." in card
    page = client.get("/at-stake/").content.decode()  # without JavaScript: a page of its own
    assert "<html" in page and '<p class="big">72,000.00</p>' in page


def test_only_a_hunter_has_a_stake_card(client, deals):
    login(client, "dora")
    assert 'id="at-stake"' not in client.get("/").content.decode()
    assert client.get("/at-stake/").status_code == 403


def test_a_won_deal_shows_no_stake(client, deals):
    _people, first, _second = deals
    win_deal(first, acting_user=None, won_on=date.today())
    login(client, "anna")
    assert "If won and paid in full" not in client.get(f"/deals/{first.ref}/").content.decode()


def test_the_board_s_queries_do_not_grow_with_its_cards(client, deals, company):
    people, _first, _second = deals
    login(client, "dora")
    counts = []
    for extra in (0, 5):
        for i in range(extra):
            company.deal(company.prospect(f"More {i}", people["hunter"]), people["hunter"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pipeline/").status_code == 200
        counts.append(len(queries))
    assert counts == [BOARD_QUERIES, BOARD_QUERIES]
