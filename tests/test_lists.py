"""The lists (clients, portfolio, team, deals, payments, activities) and the search box, on the
small organisation of ``tests/conftest.py``: exact rows, totals and CSV files per viewer, and the
number of queries a page costs whatever its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.clients.actions import add_contact
from salesrelay.payments.actions import record_payment
from salesrelay.pipeline.actions import log_activity
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def csv_of(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.fixture
def paid(org):
    people, objects = org
    record_payment(amount=D("30000.00"), received_on=date(2026, 2, 5), deal=objects["deal"],
                   reference="=HYPERLINK(1)", acting_user=None)
    record_payment(amount=D("12500.50"), received_on=date(2026, 2, 20), client=objects["won"],
                   reference="PP-77", acting_user=None)
    return people, objects


def search(client, text: str) -> str:
    """The search box's dropdown for ``text``."""
    return client.get("/search/", {"q": text}, HTTP_HX_REQUEST="true").content.decode()


def signed_in(client, login):
    client.login(username=login, password=PASSWORD)
    return client


def test_a_hunter_lists_their_own_clients_and_downloads_them(client, org):
    people, objects = org
    signed_in(client, "anna")
    page = client.get("/clients/")
    rows = [row.record.name for row in page.context["table"].page.object_list]
    assert rows == ["Anna Prospect", "Handed Off"]
    mine, won = objects["mine"], objects["won"]
    hunter, manager = people["hunter"], people["manager"]
    assert csv_of(client.get("/clients/?format=csv")) == [
        "Id,Client,Tax id,Segment,Department,Owner,Acquired by,Created on,Handed off on",
        f"{mine.ref},Anna Prospect,,Dealer,Acquisition,Anna,Anna,2026-01-10,",
        f"{won.ref},Handed Off,,Dealer,Account management,Boris,Anna,2026-01-10,2026-02-01",
    ]
    assert manager.name == "Boris" and hunter.name == "Anna"


def test_the_client_list_filters_sorts_and_counts_from_the_url(client, org):
    _people, objects = org
    signed_in(client, "dora")
    page = client.get("/clients/?department=acquisition&sort=-name")
    assert [row.record.name for row in page.context["table"].page.object_list] == [
        "Pavel Prospect", "Anna Prospect"]
    totals = client.get("/clients/?department=acquisition&totals=1", HTTP_HX_REQUEST="true")
    assert totals.content.decode().strip() == "<span>2 clients</span>"
    segment = client.get("/clients/?segment=dealer").content.decode()
    assert '<select name="segment"' in segment and '<select name="owner"' in segment
    assert f'href="/clients/{objects["won"].ref}/"' in segment


def test_nobody_finds_what_their_role_does_not_show(client, org):
    signed_in(client, "anna")
    page = client.get("/clients/?scope=all&q=Pavel")
    assert list(page.context["table"].page.object_list) == []
    assert "Pavel Prospect" not in search(client, "Pavel")
    signed_in(client, "hanna")
    assert "Pavel Prospect" in search(client, "Pavel")


def test_payments_list_totals_and_csv(client, paid):
    _people, objects = paid
    signed_in(client, "boris")
    page = client.get("/payments/")
    assert [(r.record.reference, r.record.amount) for r in page.context["table"].page.object_list] \
        == [("PP-77", D("12500.50")), ("=HYPERLINK(1)", D("30000.00"))]
    totals = client.get("/payments/?totals=1", HTTP_HX_REQUEST="true").content.decode()
    assert totals.strip() == "<span>2 payments</span> · <span>Amount: 42,500.50</span>"
    won, deal = objects["won"], objects["deal"]
    lines = csv_of(client.get("/payments/?format=csv&sort=amount"))
    refs = [line.split(",")[1] for line in lines[1:]]
    assert lines == [
        "Received on,Payment,Reference,Client,Deal,Amount",
        f"2026-02-20,{refs[0]},PP-77,Handed Off,,12500.50",
        f"2026-02-05,{refs[1]},'=HYPERLINK(1),Handed Off,{deal.ref},30000.00",
    ]
    client.cookies.load({"django_language": "ru"})
    russian = client.get("/payments/?totals=1", HTTP_HX_REQUEST="true").content.decode()
    assert russian.strip() == "<span>2 платежа</span> · <span>Сумма: 42\u00a0500,50</span>"
    assert csv_of(client.get("/payments/?format=csv"))[0] == \
        "Получен,Платёж,Основание,Клиент,Сделка,Сумма"
    assert won.ref in client.get("/payments/").content.decode()


def test_a_hunter_sees_no_payments(client, paid):
    signed_in(client, "anna")
    assert client.get("/payments/").status_code == 403
    assert "<h3>Payments</h3>" not in search(client, "PP-77")
    signed_in(client, "ada")
    assert "PP-77" in search(client, "PP-77")


def test_deals_list_per_viewer_with_totals(client, org):
    _people, objects = org
    signed_in(client, "boris")
    page = client.get("/deals/")
    assert [r.record.ref for r in page.context["table"].page.object_list] == [objects["deal"].ref]
    totals = client.get("/deals/?totals=1", HTTP_HX_REQUEST="true").content.decode().strip()
    assert totals == ("<span>1 deal</span> · <span>Amount: 100,000.00</span>"
                      " · <span>Gross profit: 40,000.00</span>")
    signed_in(client, "anna")
    assert sorted(r.record.ref for r in client.get("/deals/?status=open")
                  .context["table"].page.object_list) == [objects["open"].ref]


def test_portfolio_rows_carry_orders_and_receivable(client, paid):
    _people, objects = paid
    signed_in(client, "boris")
    won = objects["won"]
    assert csv_of(client.get("/clients/portfolio/?format=csv")) == [
        "Id,Client,Segment,Owner,Handed off on,Last order,Orders,Average order value,Receivable,"
        "Next activity",
        f"{won.ref},Handed Off,Dealer,Boris,2026-02-01,2026-02-01,1,100000.00,57499.50,",
    ]


def test_team_and_activities(client, org):
    people, objects = org
    log_activity(client=objects["mine"], employee=people["hunter"], kind="call",
                 subject="first call", done_on=date(2026, 1, 12), outcome="held", acting_user=None)
    signed_in(client, "hanna")
    lines = csv_of(client.get("/clients/team/?format=csv&sort=name"))
    assert lines == [
        "Id,Employee,Role,Department,Hired on,Left on,Clients owned",
        f"{people['hunter'].ref},Anna,Hunter,Acquisition,2026-01-01,,1",
        f"{people['other_hunter'].ref},Pavel,Hunter,Acquisition,2026-01-01,,1",
    ]
    assert csv_of(client.get("/pipeline/activities/?format=csv")) == [
        "Done on,Planned on,Kind,Subject,Client,Employee,Outcome",
        "2026-01-12,,Call,first call,Anna Prospect,Anna,Held",
    ]
    signed_in(client, "boris")
    assert csv_of(client.get("/pipeline/activities/?format=csv"))[1:] == []


def test_search_finds_clients_contacts_deals_and_payments(client, paid):
    _people, objects = paid
    add_contact(objects["won"], name="Olga Buyer", email="olga@example.com", acting_user=None)
    signed_in(client, "dora")
    body = client.get("/search/?q=olga@example.com", HTTP_HX_REQUEST="true").content.decode()
    assert "Olga Buyer" in body and "<html" not in body
    assert objects["deal"].ref in client.get(f"/search/?q={objects['deal'].ref}").content.decode()
    assert objects["deal"].ref in client.get("/search/?q=Handed+1").content.decode()
    assert "PP-77" in client.get("/search/?q=PP-77").content.decode()


def test_list_pages_cost_the_same_queries_whatever_their_rows(client, paid, company,
                                                              django_assert_num_queries):
    people, objects = paid
    signed_in(client, "dora")
    client.get("/payments/")  # the session and the language are read once
    # The session, the user and their employee; the page's rows, then their clients and their
    # deals; the filter bar's lists; nothing per row.
    with django_assert_num_queries(8):
        client.get("/payments/")
    for n in range(3):
        record_payment(amount=D("10.00"), received_on=date(2026, 3, n + 1), client=objects["won"],
                       acting_user=None)
    with django_assert_num_queries(8):
        client.get("/payments/")


def test_the_payment_form_finds_the_client_by_typing(client, org):
    _people, objects = org
    signed_in(client, "boris")
    options = client.get("/payments/new/clients/?client_search=hand").content.decode()
    assert f'<option value="{objects["won"].ref}">Handed Off · {objects["won"].ref}</option>' \
        in options
    assert "Anna Prospect" not in client.get("/payments/new/clients/?client_search=anna") \
        .content.decode()
    page = client.get("/payments/new/?client_search=hand").content.decode()
    assert f'<option value="{objects["won"].ref}">Handed Off' in page
    assert "Which deal it pays" in page


LIST_QUERIES = {"/clients/": 8, "/clients/portfolio/": 12, "/clients/team/": 8, "/deals/": 9,
                "/payments/": 8, "/pipeline/activities/": 9, "/search/?q=Handed": 10}
"""For the director: the session, the user, the employee and the bell; the page's rows (the
deals', the payments' and the activities' then their clients and owners, deals or employees);
the filter bar's lists (segments, employees); the portfolio's four reads of its page; the
search's kinds. None of them grows with the rows."""


def test_every_list_costs_the_same_queries_with_more_rows(client, paid, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people, objects = paid
    signed_in(client, "dora")

    def counted() -> dict[str, int]:
        found = {}
        for url in LIST_QUERIES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    # Every list with rows from the start (a page of rows reads their clients after them).
    log_activity(client=objects["won"], employee=people["hunter"], kind="call", subject="call",
                 done_on=date(2026, 1, 5), acting_user=None)
    assert counted() == LIST_QUERIES
    for n in range(3):
        prospect = company.prospect(f"Handed {n}", people["hunter"])
        log_activity(client=prospect, employee=people["hunter"], kind="call", subject="call",
                     done_on=date(2026, 1, 12), acting_user=None)
        company.deal(prospect, people["hunter"])
        record_payment(amount=D("10.00"), received_on=date(2026, 3, n + 1), client=objects["won"],
                       acting_user=None)
    assert counted() == LIST_QUERIES
