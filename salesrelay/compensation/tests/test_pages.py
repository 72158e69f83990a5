"""The pay pages through HTTP: who sees which statement, the period buttons, the plan page's
validation and preview, disputes, and pinned query counts."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from salesrelay.compensation.actions import calculate_period
from salesrelay.compensation.models import Dispute, PayoutLine, Period, PlanVersion
from salesrelay.compensation.tests.factories import PLAN, imported
from salesrelay.engine.periods import Month
from salesrelay.people.actions import hire_employee, link_login
from salesrelay.people.models import Employee

PASSWORD = "secret-pass-1"
LOGINS = {"H1": "anna", "M1": "boris", "M2": "vera"}
# Session, user and the bell's unread count included; the period page sums each employee's pay
# by component in the database and counts the forfeited lines for their pages; the statement
# counts a hunter's first-five deals for its pages.
QUERIES = {"periods": 6, "period": 9, "statement": 15}


@pytest.fixture
def org(db, tmp_path):
    imported(tmp_path / "in")
    for ref, login in LOGINS.items():
        link_login(Employee.objects.get(ref=ref), username=login, password=PASSWORD, acting_user=None)
    for name, department, role, login in [
        ("Dora Director", "management", "director", "dora"),
        ("Alla Accountant", "management", "accountant", "alla"),
        ("Hugo Head", "acquisition", "head", "hugo"),
        ("Maria Head", "account_management", "head", "maria"),
    ]:
        hire_employee(name=name, email=f"{login}@example.com", department=department, role=role,
                      hired_on=date(2026, 1, 1), acting_user=None, username=login,
                      password=PASSWORD)
    calculate_period(Month(2026, 3))


def get(client, login, url, **extra):
    client.logout()
    assert client.login(username=login, password=PASSWORD)
    return client.get(url, **extra)


STATEMENTS = ["H1", "M1", "M2"]
SEES = {
    "anna": ["H1"], "boris": ["M1"], "vera": ["M2"], "hugo": ["H1"], "maria": ["M1", "M2"],
    "dora": ["H1", "M1", "M2"], "alla": ["H1", "M1", "M2"],
}
PAGES = {  # login → status of periods, period, plan, simulate, disputes
    "anna": [403, 403, 403, 403, 403], "boris": [403, 403, 403, 403, 403],
    "hugo": [200, 200, 200, 200, 200], "maria": [200, 200, 200, 200, 200],
    "dora": [200, 200, 200, 200, 200], "alla": [200, 200, 200, 403, 200],
}


def test_each_role_sees_exactly_the_statements_it_should(client, org):
    for login, visible in SEES.items():
        seen = [ref for ref in STATEMENTS
                if get(client, login, f"/pay/statements/2026-03/{ref}/").status_code == 200]
        assert seen == visible, login
        for ref in set(STATEMENTS) - set(visible):
            assert get(client, login, f"/pay/statements/2026-03/{ref}/").status_code == 404


def test_each_role_reaches_exactly_the_pay_pages_it_should(client, org):
    urls = ["/pay/periods/", "/pay/periods/2026-03/", "/pay/plan/", "/pay/simulate/",
            "/pay/disputes/"]
    for login, expected in PAGES.items():
        assert [get(client, login, url).status_code for url in urls] == expected, login


def test_a_statement_explains_every_line_and_shows_the_first_five_deals(client, org):
    text = get(client, "anna", "/pay/statements/2026-03/H1/").content.decode()
    assert "94,016.49" in text
    assert 'Share of deal profit <small class="muted">first-five</small>' in text
    assert ("0.90 × profit 120,000.00 × counted 100,000.00 ÷ amount 200,000.00 of deal 1 "
            "(no. 1): payment P2 of 100,000.00 on 2026-03-05") in text
    assert "1.57 × the market salary of 60,000.00" in text
    # Deal 1 of ACME has received 200 000.00 by the end of March.
    assert "200,000.00</td></tr>" in text
    home = get(client, "anna", "/").content.decode()
    assert '<p class="big">94,016.49</p>' in home and "2026-03 · Calculated" in home


def test_a_hunters_first_five_deals_come_a_page_at_a_time(client, org):
    page = get(client, "anna", "/pay/statements/2026-03/H1/").context["first_five"]
    assert (page.paginator.per_page, page.paginator.count, page.number) == (50, 1, 1)
    assert "Page 1 of" not in get(client, "anna", "/pay/statements/2026-03/H1/").content.decode()


def test_a_head_sees_only_the_department_in_the_period_and_its_workbook(client, org):
    text = get(client, "maria", "/pay/periods/2026-03/").content.decode()
    assert "Boris Manager" in text and "Vera Manager" in text and "Anna Hunter" not in text
    response = get(client, "maria", "/pay/periods/2026-03/statements.xlsx")
    book = load_workbook(__import__("io").BytesIO(response.content))
    assert [row[1:5] for row in book["Summary"].iter_rows(min_row=2, values_only=True)] == [
        ("M1", "Boris Manager", "account_manager", 52476.81),
        ("M2", "Vera Manager", "account_manager", 28363.15)]
    assert book["Lines"].max_row == 7


def test_period_buttons_approve_each_department_then_lock(client, org):
    client.login(username="alla", password=PASSWORD)
    page = client.post("/pay/periods/2026-03/lock/", follow=True).content.decode()
    assert "only an approved period can be locked (3 statements still to approve)" in page
    assert Period.objects.get().status == "calculated"
    client.login(username="hugo", password=PASSWORD)  # the head of acquisition: H1
    client.post("/pay/periods/2026-03/approve/")
    assert _statuses() == {"H1": "approved", "M1": "pending", "M2": "pending"}
    assert Period.objects.get().status == "calculated"
    client.login(username="maria", password=PASSWORD)  # the head of account management: M1, M2
    client.post("/pay/periods/2026-03/approve/")
    assert Period.objects.get().status == "approved"
    client.login(username="maria", password=PASSWORD)
    assert client.post("/pay/periods/2026-03/lock/").status_code == 302
    assert Period.objects.get().status == "approved"  # a head does not lock
    client.login(username="alla", password=PASSWORD)
    client.post("/pay/periods/2026-03/lock/")
    assert Period.objects.get().status == "locked"
    assert client.post("/pay/periods/2026-03/approve/", follow=True).content.decode().count(
        "only a calculated period can be approved") == 1


def _statuses():
    from salesrelay.compensation.models import Statement

    return dict(Statement.objects.values_list("employee__ref", "status"))


def test_plan_page_refuses_a_bad_plan_with_its_reason_and_stores_nothing(client, org):
    client.login(username="dora", password=PASSWORD)
    bad = PLAN.replace('rate = "0.90"', 'rate = "9"')
    response = client.post("/pay/plan/", {"text": bad, "store": "1"})
    assert response.status_code == 400
    assert "plan hunters / first-five: rate: 9 is out of range 0…1" in response.content.decode()
    assert PlanVersion.objects.count() == 1
    page = client.get("/pay/plan/").content.decode()
    assert ("Share of deal profit: 90 % of the profit of each client&#x27;s deals 1 to 5, to the "
            "hunter who brought the client, as the deal is paid (a refund claws back) "
            '<small class="muted">first-five</small>') in page


def test_plan_page_previews_on_last_month_and_stores_a_new_version(client, org):
    client.login(username="dora", password=PASSWORD)
    cheaper = PLAN.replace('amount = "40000.00"', 'amount = "30000.00"')
    response = client.post("/pay/plan/", {"text": cheaper, "preview": "1"})
    assert response.status_code == 200 and "Preview on" in response.content.decode()
    assert PlanVersion.objects.count() == 1
    client.post("/pay/plan/", {"text": cheaper, "store": "1"})
    assert PlanVersion.objects.count() == 2
    assert get(client, "hugo", "/pay/plan/").status_code == 200
    client.login(username="hugo", password=PASSWORD)
    assert client.post("/pay/plan/", {"text": PLAN, "store": "1"}).status_code == 403


def test_an_employee_disputes_a_line_and_the_head_resolves_it(client, org):
    line = PayoutLine.objects.get(employee__ref="M2", component="pool")
    client.login(username="anna", password=PASSWORD)
    assert client.post(f"/pay/lines/{line.pk}/dispute/", {"comment": "mine?"}).status_code == 404
    client.login(username="vera", password=PASSWORD)
    client.post(f"/pay/lines/{line.pk}/dispute/", {"comment": "I started on the 16th"})
    dispute = Dispute.objects.get()
    client.login(username="hugo", password=PASSWORD)
    assert client.post(f"/pay/disputes/{dispute.pk}/resolve/", {"resolution": "no"}).status_code == 404
    client.login(username="maria", password=PASSWORD)
    client.post(f"/pay/disputes/{dispute.pk}/resolve/",
                {"resolution": "Agreed", "adjustment": "150.00", "reason": ""})
    assert Dispute.objects.get().status == "open"
    client.post(f"/pay/disputes/{dispute.pk}/resolve/",
                {"resolution": "Agreed", "adjustment": "150.00", "reason": "Start date corrected"})
    dispute.refresh_from_db()
    assert (dispute.status, dispute.adjustment.amount, dispute.adjustment.employee.ref) == (
        "resolved", D("150.00"), "M2")


def test_the_simulation_page_compares_two_plans(client, org):
    client.login(username="dora", password=PASSWORD)
    response = client.post("/pay/simulate/", {
        "plan": PLAN, "compare": PLAN.replace('"0.05"', '"0.10"'), "first": "2026-02",
        "last": "2026-03"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<td>2026-03</td>") == 2
    # Plan B doubles the pool rate: more pool pay for the managers, less break-even bonus for
    # everyone (a larger V leaves a smaller O); the last column is B − A.
    assert response.context["difference"] == [
        ("Anna Hunter", D("188066.49"), D("188000.00"), D("-66.49")),
        ("Boris Manager", D("107526.81"), D("114920.63"), D("7393.82")),
        ("Vera Manager", D("28363.15"), D("30885.82"), D("2522.67"))]
    assert "<td class=\"num\">7,393.82</td>" in text
    bad = client.post("/pay/simulate/", {"plan": PLAN, "first": "2026-03", "last": "2026-01"})
    assert bad.status_code == 400 and "the range 2026-03 to 2026-01 ends before it starts" in \
        bad.content.decode()


def test_pay_pages_issue_a_fixed_number_of_queries(client, org, tmp_path):
    client.login(username="dora", password=PASSWORD)
    counts = []
    for _round in range(2):
        row = []
        for url in ["/pay/periods/", "/pay/periods/2026-03/", "/pay/statements/2026-03/H1/"]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries))
        counts.append(dict(zip(QUERIES, row, strict=True)))
        # More months and more lines must not mean more queries.
        calculate_period(Month(2026, 2))
        calculate_period(Month(2026, 4))
    assert counts == [QUERIES, QUERIES]
