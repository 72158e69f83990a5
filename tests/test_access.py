"""Access as people meet it: the login redirect, a hunter's move refused, query counts, the
language switch, the team page (every route × role is in test_routes.py)."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesrelay.deals.actions import win_deal
from tests.conftest import PASSWORD

QUERIES = [13, 12, 8]  # board (no plan in force: no stakes; its deals in three reads: open,
# won lately, lost lately), portfolio, client list, for a director (session, user and the bell's
# unread count included; the lists' filter bars read the segments and the employees they offer)


def test_anonymous_is_sent_to_login(client, org):
    response = client.get("/clients/")
    assert (response.status_code, response.url) == (302, "/login/?next=/clients/")


def test_hunter_cannot_move_another_hunters_deal(client, org):
    _people, objects = org
    client.login(username="pavel", password=PASSWORD)
    response = client.post(f"/pipeline/deals/{objects['open'].ref}/move/", {"stage": "won"})
    assert response.status_code == 404
    objects["open"].refresh_from_db()
    assert objects["open"].status == "open"


def test_board_and_portfolio_queries_do_not_grow_with_rows(client, company, org):
    people, _objects = org
    client.login(username="dora", password=PASSWORD)
    counts = []
    for extra in (0, 5):
        for i in range(extra):
            prospect = company.prospect(f"Extra {len(counts)} {i}", people["hunter"])
            deal = company.deal(prospect, people["hunter"])
            win_deal(deal, acting_user=None, won_on=date(2026, 2, 2))
            company.deal(company.prospect(f"Open {len(counts)} {i}", people["hunter"]),
                         people["hunter"])
        row = []
        for url in ("/pipeline/", "/clients/portfolio/", "/clients/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts == [QUERIES, QUERIES]


def test_interface_switches_to_russian(client, org):
    client.login(username="anna", password=PASSWORD)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"}, follow=True)
    text = response.content.decode()
    assert "Воронка" in text and "Мой день" in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert "Pipeline" in text and "Воронка" not in text


def test_a_head_assigns_the_queue_and_hands_over_a_leavers_clients(client, org, company):
    people, clients = org
    from salesrelay.clients.models import Client as ClientModel
    from salesrelay.people.actions import record_departure

    boris = people["manager"]
    vera = company.manager("Vera", username="vera", password=PASSWORD)
    queued = clients["won"]
    ClientModel.objects.filter(pk=queued.pk).update(owner=None)  # as if no manager was active
    assert client.login(username="mila", password=PASSWORD)
    client.post(f"/clients/{queued.ref}/assign/", {"to": vera.ref})
    queued.refresh_from_db()
    assert queued.owner == vera
    last_day = date.today() + timedelta(days=30)
    record_departure(vera, left_on=last_day, acting_user=None)
    response = client.post("/clients/team/reassign/", {"employee": vera.ref, "to": boris.ref,
                                                       "on": last_day.isoformat()}, follow=True)
    assert "1 clients of Vera handed over." in response.content.decode()
    queued.refresh_from_db()
    assert queued.owner == boris
    # A head of acquisition cannot hand over account managers.
    client.login(username="hanna", password=PASSWORD)
    assert client.post("/clients/team/reassign/", {"employee": boris.ref,
                                                   "on": last_day.isoformat()}).status_code == 404


def test_refusals_are_pages_of_the_site_in_the_users_language(client, org):
    client.login(username="anna", password=PASSWORD)
    denied = client.get("/payments/")
    assert denied.status_code == 403
    assert "Not allowed" in denied.content.decode() and "Pipeline" in denied.content.decode()
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    missing = client.get("/clients/NO-SUCH/").content.decode()
    assert "Не найдено" in missing and "Воронка" in missing


def test_a_win_on_the_board_says_who_received_the_client(client, org):
    _people, objects = org
    client.login(username="anna", password=PASSWORD)
    response = client.post(f"/pipeline/deals/{objects['open'].ref}/move/", {"stage": "won"},
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Anna Prospect won (deal no. 1): handed off to Boris."]


def test_a_leaver_who_still_owns_clients_is_pointed_out(client, org):
    from salesrelay.people.actions import record_departure

    people, objects = org
    left = date.today() - timedelta(days=1)
    record_departure(people["manager"], left_on=left, acting_user=None)
    client.login(username="mila", password=PASSWORD)
    team = client.get("/clients/team/").content.decode()
    assert "Someone who has left still owns clients: hand them over below." in team
    assert "Boris (1)" in team
    card = client.get(f"/clients/{objects['won'].ref}/").content.decode()
    assert f"left on {left:%Y-%m-%d}: hand the client over on the Team page" in card
