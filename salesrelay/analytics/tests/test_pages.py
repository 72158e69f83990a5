"""The analytics pages through HTTP: who reads which page and which slice, the table under each
chart, the CSV, the filters in the URL, Russian number formats, and pinned query counts."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesrelay.analytics.tests.history import import_history
from salesrelay.compensation.actions import calculate_period
from salesrelay.deals.actions import win_deal
from salesrelay.engine.periods import Month
from salesrelay.payments.actions import record_payment
from salesrelay.people.actions import hire_employee, link_login
from salesrelay.people.models import Employee
from salesrelay.pipeline.actions import log_activity

PASSWORD = "secret-pass-1"
RANGE = "?first=2026-01&last=2026-04"
PAGES = ["new-clients", "funnel", "conversion", "order-value", "collections", "break-even", "pay",
         "cohorts"]
READS = {  # login → the status of each page of PAGES, then of the overview
    "anna": [200, 200, 200, 403, 403, 200, 200, 200, 403],
    "boris": [403, 403, 403, 200, 200, 200, 200, 403, 403],
    "hugo": [200, 200, 200, 200, 403, 200, 200, 200, 200],
    "maria": [200, 403, 403, 200, 200, 200, 200, 200, 200],
    "dora": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "alla": [403, 403, 403, 403, 200, 200, 200, 403, 200],
}
# Session and user included; they do not grow with rows (pinned below). Break-even calculates
# the months no period stores and keeps them in the roll-up, with their cohorts' figures; the
# cohorts page calculates the months of its range the roll-up lacks (the stored January, and
# May to December, which it keeps for the others too); pay, the overview and home read them
# back.
# The bell's unread count is one query of every page; the home page's day three more, its
# latest payments two (their ids by the list's index, then the rows).
QUERIES = {"new-clients": 10, "funnel": 10, "conversion": 10, "order-value": 7, "collections": 8,
           "break-even": 34, "pay": 12, "cohorts": 48, "": 20, "home": 31}


@pytest.fixture
def org(db, tmp_path):
    import_history(tmp_path / "history")
    for ref, login in {"H1": "anna", "M1": "boris"}.items():
        link_login(Employee.objects.get(ref=ref), username=login, password=PASSWORD,
                   acting_user=None)
    for name, department, role, login in [
        ("Dora Director", "management", "director", "dora"),
        ("Alla Accountant", "management", "accountant", "alla"),
        ("Hugo Head", "acquisition", "head", "hugo"),
        ("Maria Head", "account_management", "head", "maria"),
    ]:
        hire_employee(name=name, email=f"{login}@example.com", department=department, role=role,
                      hired_on=date(2026, 1, 1), acting_user=None, username=login,
                      password=PASSWORD)
    calculate_period(Month(2026, 1))


def get(client, login, url, **extra):
    client.logout()
    assert client.login(username=login, password=PASSWORD)
    return client.get(url, **extra)


def cells(response, table=0) -> list[list[str]]:
    """The text of each row of the page's ``table``-th table of figures."""
    html = response.content.decode()
    tables = re.findall(r'<table class="figures[^"]*">(.*?)</table>', html, flags=re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", tables[table], flags=re.S)
    return [[re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", cell)).strip(" ")
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
            for row in rows]


def chart(response, name):
    html = response.content.decode()
    found = re.search(rf'<script id="chart-{name}" type="application/json">(.*?)</script>', html,
                      flags=re.S)
    return json.loads(found.group(1))


def test_each_role_reads_the_pages_its_rules_allow(client, org):
    for login, statuses in READS.items():
        got = [get(client, login, f"/analytics/{page}/{RANGE}").status_code for page in PAGES]
        got.append(get(client, login, "/analytics/").status_code)
        assert (login, got) == (login, statuses)


def test_the_menu_shows_analytics_to_those_who_read_the_overview(client, org):
    assert 'href="/analytics/"' in get(client, "dora", "/").content.decode()
    assert 'href="/analytics/"' not in get(client, "anna", "/").content.decode()
    # A hunter finds their own figures on the home page instead.
    assert 'href="/analytics/new-clients/"' in get(client, "anna", "/").content.decode()


def test_new_clients_page_shows_the_table_under_its_chart(client, org):
    response = get(client, "dora", f"/analytics/new-clients/{RANGE}")
    assert response.status_code == 200
    assert cells(response)[1:] == [
        ["2026-01", "1", "1", "1", "0", "0", "0", "1", "1"],
        ["2026-02", "2", "3", "0", "1", "1", "0", "—", "2"],
        ["2026-03", "0", "2", "0", "0", "0", "0", "—", "0"],
        ["2026-04", "1", "—", "0", "0", "1", "0", "—", "1"],
    ]
    data = chart(response, "new-clients")
    assert data["labels"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [s["label"] for s in data["series"]] == [
        "Retail chain", "Online store", "Dealer", "Other", "Target"]
    assert "ACME Baths" in response.content.decode()


def test_a_hunter_sees_their_own_slice_and_the_company_line(client, org):
    response = get(client, "anna", f"/analytics/new-clients/{RANGE}")
    assert [row[1] for row in cells(response)[1:]] == ["1", "1", "0", "0"]
    assert [row[-1] for row in cells(response)[1:]] == ["1", "2", "0", "1"]
    assert chart(response, "new-clients")["series"][-1]["label"] == "Whole company"
    # Another hunter cannot be chosen: the choice is refused.
    refused = get(client, "anna", f"/analytics/new-clients/{RANGE}&employee=H2")
    assert refused.status_code == 400


def test_every_page_downloads_its_numbers_as_csv(client, org):
    for page in PAGES:
        response = get(client, "dora", f"/analytics/{page}/{RANGE}&format=csv")
        assert response.status_code == 200, page
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        slug = page.replace("-", "_").replace("break_even", "breakeven")
        assert response["Content-Disposition"] == (
            f'attachment; filename="{slug.replace("_", "-")}-2026-01-2026-04.csv"')


def test_the_break_even_csv(client, org):
    response = get(client, "dora", f"/analytics/break-even/{RANGE}&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["month", "as_it_stands", "collections", "gross_profit", "fixed_costs", "variable_pay",
         "operating_result", "breakeven_revenue", "margin_of_safety", "above"],
        ["2026-01", "0", "100000.00", "40000.00", "10000.00", "20000.00", "10000.00",
         "50000.00", "0.5", "1"],
        ["2026-02", "1", "25000.00", "10000.00", "30000.00", "5000.00", "-25000.00",
         "150000.00", "-5", "0"],
        ["2026-03", "1", "180000.00", "55000.00", "20000.00", "27500.00", "7500.00",
         "130909.09", "0.273", "1"],
        ["2026-04", "1", "27000.00", "10800.00", "0.00", "5400.00", "5400.00", "0.00", "1",
         "1"],
    ]


def test_the_cohorts_csv(client, org):
    response = get(client, "dora", f"/analytics/cohorts/{RANGE}&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["cohort", "new_clients", "hunter_shares", "kpi_bonuses", "cost",
                       "months_since_deal_1", "month", "cumulative_gross_profit", "net",
                       "payback_month"]
    # January's cohort (ACME) up to today, 2026-12: month 2 is March, when it paid back.
    assert rows[1:4] == [
        ["2026-01", "1", "32500.00", "10000.00", "42500.00", "0", "2026-01", "40000.00",
         "-2500.00", "2026-03"],
        ["2026-01", "1", "32500.00", "10000.00", "42500.00", "1", "2026-02", "40000.00",
         "-2500.00", "2026-03"],
        ["2026-01", "1", "32500.00", "10000.00", "42500.00", "2", "2026-03", "65000.00",
         "22500.00", "2026-03"],
    ]


def test_the_clients_behind_a_receivables_bucket_are_one_click_away(client, org):
    page = get(client, "dora", "/analytics/collections/?first=2026-01&last=2026-04")
    html = page.content.decode()
    link = re.search(r'href="\?([^"]*bucket=31-60[^"]*)#clients"', html).group(1)
    response = get(client, "dora", "/analytics/collections/?" + link.replace("&amp;", "&"))
    assert "Clients owing for 31–60 days" in response.content.decode()
    assert cells(response, 2)[1:] == [["ACME Baths", "Boris Manager", "1", "2026-03-01",
                                       "100,000.00"],
                                      ["Volga Spa", "Vera Manager", "1", "2026-03-10",
                                       "30,000.00"]]


def test_numbers_in_russian(client, org):
    client.login(username="dora", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    response = client.get(f"/analytics/break-even/{RANGE}")
    text = response.content.decode()
    assert '<html lang="ru">' in text
    row = cells(response)[3]
    assert row[0].startswith("2026-03") and row[1] == "180\xa0000,00"
    assert row[6:8] == ["130\xa0909,09", "27,3\xa0%"]
    assert "Безубыточность" in text


def test_bad_filters_are_reported_not_replaced(client, org):
    response = get(client, "dora", "/analytics/break-even/?first=2026-13")
    assert response.status_code == 400
    assert "2026-13 is not a month; write it as YYYY-MM, e.g. 2026-03" in response.content.decode()
    response = get(client, "dora", "/analytics/pay/?first=2026-04&last=2026-01")
    assert response.status_code == 400
    assert "The range 2026-04 to 2026-01 ends before it starts." in response.content.decode()


def test_the_filters_stay_in_the_url_and_the_form(client, org):
    response = get(client, "dora", "/analytics/order-value/?first=2026-02&last=2026-03&segment=dealer")
    html = response.content.decode()
    assert 'value="2026-02"' in html and 'value="2026-03"' in html
    assert '<option value="dealer" selected>' in html
    assert 'href="?first=2026-02&amp;last=2026-03&amp;segment=dealer&amp;format=csv"' in html


def test_the_directors_home_is_a_dashboard(client, org):
    response = get(client, "dora", "/")
    html = response.content.decode()
    for page in ("new-clients", "break-even", "collections", "conversion"):
        assert f'href="/analytics/{page}/"' in html
    assert 'data-chart="chart-gauge"' in html


def _more_rows(n):
    """More clients, deals, payments and meetings in the same months: no query may follow them."""
    h2 = Employee.objects.get(ref="H2")
    from salesrelay.clients.actions import create_prospect
    from salesrelay.deals.actions import LineInput, open_deal
    from salesrelay.deals.models import Product

    product = Product.objects.create(sku=f"X{n}", name="Bath", price=D("1000.00"),
                                     unit_cost=D("600.00"))
    for i in range(n):
        prospect = create_prospect(name=f"More {n} {i}", segment="dealer", hunter=h2,
                                   acting_user=None, created_on=date(2026, 1, 3))
        log_activity(client=prospect, employee=h2, kind="meeting", acting_user=None,
                     done_on=date(2026, 1, 4), outcome="held")
        deal = open_deal(client=prospect, owner=h2, acting_user=None, created_on=date(2026, 1, 4),
                         lines=[LineInput(product=product, quantity=D(1))])
        win_deal(deal, acting_user=None, won_on=date(2026, 2, 1 + i))
        record_payment(deal=deal, amount=D("500.00"), received_on=date(2026, 2, 10),
                       acting_user=None)


def test_analytics_pages_issue_a_fixed_number_of_queries(client, org):
    client.login(username="dora", password=PASSWORD)
    counts = []
    for extra in (0, 4):
        _more_rows(extra)
        row = {}
        for page in [*PAGES, ""]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/analytics/{page}/{RANGE}" if page else "/analytics/"
                                  ).status_code == 200
            row[page] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        row["home"] = len(queries)
        counts.append(row)
    assert counts == [QUERIES, QUERIES]
