"""The director's employee pages: hiring with a login, leaving with the leaver's clients handed
over in the same action (round-robin or to one colleague), or later for someone who has left."""

from datetime import date

from django.utils import translation

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client
from salesrelay.people.models import Employee
from tests.conftest import PASSWORD

HIRE = {"name": "Nina New", "email": "nina@example.com", "role": "account_manager",
        "department": "account_management", "market_salary": "70000.00",
        "hired_on": "2026-04-01", "username": "nina", "password": "a-long-pass-2026"}


def _audit(ref):
    return list(AuditEntry.objects.filter(object_ref=ref).order_by("id").values_list(
        "action", flat=True))


def test_the_director_hires_an_employee_with_a_login(client, org):
    client.login(username="dora", password=PASSWORD)
    response = client.post("/account/employees/hire/", {**HIRE, "password": "short"})
    assert response.status_code == 400
    assert "This password is too short. It must contain at least 12 characters." in \
        response.content.decode()
    assert not Employee.objects.filter(name="Nina New").exists()
    response = client.post("/account/employees/hire/", HIRE)
    assert response.status_code == 302 and response["Location"] == "/account/employees/"
    nina = Employee.objects.get(name="Nina New")
    assert (nina.role, nina.department, str(nina.market_salary), nina.hired_on, nina.user.username,
            nina.ref) == ("account_manager", "account_management", "70000.00", date(2026, 4, 1),
                          "nina", f"E-{nina.pk:06d}")
    assert _audit(nina.ref) == ["employee.link_login", "employee.hire"]
    wrong = client.post("/account/employees/hire/", {**HIRE, "name": "Nick", "username": "nick",
                                                     "department": "acquisition"})
    assert wrong.status_code == 400
    assert "a account_manager does not work in acquisition" in wrong.content.decode()
    assert client.post("/account/employees/hire/", {**HIRE, "name": "Nina Two"}).status_code == 400
    assert Employee.objects.filter(name__startswith="Ni").count() == 1
    page = client.get("/account/employees/").content.decode()
    assert "<td>Nina New</td>" in page and "70,000.00" in page
    client.login(username="nina", password=HIRE["password"])
    assert client.get("/clients/portfolio/").status_code == 200
    client.login(username="mila", password=PASSWORD)
    assert client.get("/account/employees/hire/").status_code == 403


def test_a_leaver_s_clients_go_round_robin_the_day_after_the_last_day(client, org, company):
    people, objects = org
    vera = company.manager("Vera")
    client.login(username="dora", password=PASSWORD)
    page = client.get(f"/account/employees/{people['manager'].ref}/leave/").content.decode()
    assert "1 client owned" in page and "Handed Off" in page
    response = client.post(f"/account/employees/{people['manager'].ref}/leave/", {
        "left_on": "2026-03-31", "hand_over": "round_robin"})
    assert response.status_code == 302
    boris = Employee.objects.get(pk=people["manager"].pk)
    won = Client.objects.get(pk=objects["won"].pk)
    assert (boris.left_on, won.owner, won.ownerships.order_by("-id").first().started_on) == (
        date(2026, 3, 31), vera, date(2026, 4, 1))
    assert _audit(boris.ref)[-2:] == ["employee.leave", "employee.reassign_clients"]
    again = client.post(f"/account/employees/{boris.ref}/leave/", {
        "left_on": "2026-04-30", "hand_over": "keep"})
    assert again.status_code == 400  # the leave form is gone: the handover form is not filled
    assert Employee.objects.get(pk=boris.pk).left_on == date(2026, 3, 31)


def test_a_hunter_s_prospects_go_to_the_colleague_chosen(client, org):
    people, objects = org
    client.login(username="dora", password=PASSWORD)
    url = f"/account/employees/{people['hunter'].ref}/leave/"
    refused = client.post(url, {"left_on": "2025-12-31", "hand_over": "to",
                                "to": people["other_hunter"].ref})
    assert refused.status_code == 400
    assert "An employee cannot leave before being hired." in refused.content.decode()
    assert Employee.objects.get(pk=people["hunter"].pk).left_on is None
    missing = client.post(url, {"left_on": "2026-03-31", "hand_over": "to"})
    assert "Choose the colleague who takes the clients." in missing.content.decode()
    client.post(url, {"left_on": "2026-03-31", "hand_over": "to", "to": people["other_hunter"].ref})
    assert Client.objects.get(pk=objects["mine"].pk).owner == people["other_hunter"]
    assert Employee.objects.get(pk=people["hunter"].pk).left_on == date(2026, 3, 31)


def test_clients_kept_at_the_leaving_are_handed_over_later(client, org, company):
    people, objects = org
    vera = company.manager("Vera")
    client.login(username="dora", password=PASSWORD)
    url = f"/account/employees/{people['manager'].ref}/leave/"
    client.post(url, {"left_on": "2026-03-31", "hand_over": "keep"})
    assert Client.objects.get(pk=objects["won"].pk).owner == people["manager"]
    page = client.get(url).content.decode()
    assert 'id="hand-over-form"' in page and "Hand over 1 client" in page
    client.post(url, {"on": "2026-04-02", "to": vera.ref})
    won = Client.objects.get(pk=objects["won"].pk)
    assert (won.owner, won.ownerships.order_by("-id").first().started_on) == (
        vera, date(2026, 4, 2))


def test_the_leaving_page_speaks_russian(client, org):
    people, _objects = org
    client.login(username="dora", password=PASSWORD)
    with translation.override("en"):  # the request switches the thread to Russian: back after
        page = client.get(f"/account/employees/{people['manager'].ref}/leave/",
                          HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Boris увольняется" in page and "1 клиент" in page
    assert "Последний рабочий день" in page
