"""The REST API as a program uses it: a personal token, paginated and filtered lists, writes
through the pages' actions (with their audit rows), JSON errors, the schema and its docs — and
the same refusals of self-dealing as the pages."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client
from salesrelay.compensation.actions import calculate_period
from salesrelay.compensation.models import PayoutLine, Period
from salesrelay.compensation.plans import load_plan
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.payments.models import Payment
from tests.test_routes import PLAN


def token_for(login):
    out = StringIO()
    call_command("token", "create", login, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def api(client):
    def call(login, method, url, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Token {token_for(login)}"} if login else {}
        send = getattr(client, method)
        if method == "get":
            return send(url, data or {}, **headers)
        return send(url, data or {}, content_type="application/json", **headers)
    return call


def test_a_token_from_the_command_line_reads_the_hunters_own_clients(api, org):
    response = api("anna", "get", "/api/v1/clients/")
    body = response.json()
    assert (response.status_code, body["count"]) == (200, 2)
    assert [(c["name"], c["owning_department"], c["acquired_by"]) for c in body["results"]] == [
        ("Anna Prospect", "acquisition", org[0]["hunter"].ref),
        ("Handed Off", "account_management", org[0]["hunter"].ref)]
    assert api("anna", "get", "/api/v1/clients/", {"q": "Handed"}).json()["count"] == 1
    assert api("anna", "get", f"/api/v1/clients/{org[1]['theirs'].ref}/").status_code == 404
    detail = api("anna", "get", f"/api/v1/clients/{org[1]['won'].ref}/").json()
    assert [(o["employee"], o["department"], o["reason"]) for o in detail["ownership"]] == [
        (org[0]["hunter"].ref, "acquisition", "created"),
        (org[0]["manager"].ref, "account_management", "handoff")]


def test_without_a_token_the_api_answers_401_in_json(api, org):
    response = api(None, "get", "/api/v1/clients/")
    assert response.status_code == 401
    assert response.json() == {"errors": [{
        "field": None, "code": "not_authenticated",
        "reason": "Authentication credentials were not provided."}]}


def test_a_write_goes_through_the_action_with_its_audit_row(api, org):
    deal = org[1]["open"]
    response = api("anna", "post", f"/api/v1/deals/{deal.ref}/win/", {"on": "2026-03-02"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["number"], body["won_on"], body["profit"]) == (
        "won", 1, "2026-03-02", "40000.00")
    client = Client.objects.get(pk=deal.client_id)
    assert (client.owning_department, client.owner.name) == ("account_management", "Boris")
    assert AuditEntry.objects.filter(action="deal.win", object_ref=deal.ref).count() == 1


def test_a_refused_write_answers_every_reason_in_json_and_writes_nothing(api, org):
    won = org[1]["won"]
    response = api("dora", "post", "/api/v1/payments/", {
        "client": won.ref, "amount": "99999999999999.99", "received_on": "1999-12-31"})
    assert response.status_code == 400
    assert response.json() == {"errors": [
        {"field": "amount", "code": "amount",
         "reason": "99999999999999.99 has more than 12 digits before the point"},
        {"field": "received_on", "code": "day",
         "reason": "1999-12-31 is outside 2000-01-01 to 2100-12-31"}]}
    response = api("dora", "post", "/api/v1/payments/", {
        "deal": org[1]["deal"].ref, "amount": "-5.00", "received_on": "2026-03-01"})
    assert (response.status_code, response.json()["errors"][0]["code"]) == (400, "payment")
    assert Payment.objects.count() == 0


def test_a_hunter_cannot_open_a_deal_on_a_handed_over_client_through_the_api(api, org):
    before = Deal.objects.count()
    response = api("anna", "post", "/api/v1/deals/", {"client": org[1]["won"].ref})
    assert response.status_code == 404
    response = api("boris", "post", "/api/v1/deals/", {"client": org[1]["won"].ref,
                                                       "title": "second"})
    assert (response.status_code, response.json()["owner"]) == (201, org[0]["manager"].ref)
    assert Deal.objects.count() == before + 1


def test_nobody_resolves_their_own_dispute_or_approves_their_own_statement_through_the_api(
        api, org):
    people, _objects = org
    load_plan(PLAN, actor=None)
    calculate_period(Month(2026, 2))
    hanna = people["head_acq"]
    line = PayoutLine.objects.get(employee=hanna)
    created = api("hanna", "post", "/api/v1/disputes/", {"line": line.pk, "comment": "low"})
    assert created.status_code == 201
    dispute = created.json()["id"]
    response = api("hanna", "post", f"/api/v1/disputes/{dispute}/resolve/", {
        "resolution": "fine", "adjustment": "999999999.99", "reason": "mine"})
    assert response.status_code == 404
    statement = api("hanna", "get", "/api/v1/statements/", {"employee": hanna.ref}).json()
    own = statement["results"][0]["id"]
    assert api("hanna", "post", f"/api/v1/statements/{own}/approve/").status_code == 404
    assert api("hanna", "post", "/api/v1/periods/2026-02/lock/").status_code == 403
    assert PayoutLine.objects.filter(source="manual").count() == 0
    assert Period.objects.get().status == "calculated"
    # The director resolves it, the accountant may not lock before every statement is approved.
    response = api("dora", "post", f"/api/v1/disputes/{dispute}/resolve/", {
        "resolution": "checked", "adjustment": "250.00", "reason": "a late call"})
    assert (response.status_code, response.json()["adjustment"]) == (200, "250.00")
    response = api("ada", "post", "/api/v1/periods/2026-02/lock/")
    assert (response.status_code, response.json()["errors"][0]["reason"]) == (
        400, "2026-02 is Calculated; only an approved period can be locked "
        "(7 statements still to approve)")


def test_a_head_sees_the_pay_of_their_department_only(api, org):
    load_plan(PLAN, actor=None)
    calculate_period(Month(2026, 2))
    lines = api("mila", "get", "/api/v1/lines/", {"period": "2026-02"}).json()
    assert sorted((line["employee"], line["amount"]) for line in lines["results"]) == sorted([
        (org[0]["manager"].ref, "40000.00"), (org[0]["head_am"].ref, "40000.00")])
    simulated = api("mila", "post", "/api/v1/simulations/", {
        "plan": PLAN, "first": "2026-02", "last": "2026-02"}).json()
    assert [e["name"] for e in simulated["plans"][0]["employees"]] == ["Boris", "Mila Head"]
    assert simulated["plans"][0]["months"][0]["company"]["fixed_costs"] == "0.00"


def test_tokens_are_listed_and_revoked(api, org, client):
    text = token_for("anna")
    key = AuthToken.objects.get().token_key
    headers = {"HTTP_AUTHORIZATION": f"Token {text}"}
    assert [t["id"] for t in client.get("/api/v1/tokens/", **headers).json()["results"]] == [key]
    assert client.delete(f"/api/v1/tokens/{key}/", **headers).status_code == 204
    assert client.get("/api/v1/clients/", **headers).status_code == 401
    assert list(AuditEntry.objects.filter(action__startswith="token.").values_list(
        "action", flat=True).order_by("id")) == ["token.create", "token.revoke"]


def test_the_token_command_refuses_an_unknown_login(db):
    with pytest.raises(CommandError) as refused:
        call_command("token", "create", "nobody")
    assert str(refused.value) == "no login 'nobody'"


def test_the_schema_and_its_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/deals/{ref}/win/" in paths
    assert set(paths["/api/v1/payments/"]["post"]["responses"]) == {
        "201", "400", "401", "403", "404", "405"}
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "https://" not in docs.replace("https://github.com", "")


def test_a_payment_through_the_api_is_allocated_like_one_on_the_form(api, org):
    won, deal = org[1]["won"], org[1]["deal"]
    response = api("ada", "post", "/api/v1/payments/", {
        "client": won.ref, "amount": "150000.00", "received_on": "2026-03-01",
        "reference": "invoice 7"})
    assert response.status_code == 201
    assert response.json()["allocations"] == [
        {"deal": deal.ref, "amount": "100000.00", "effective_on": "2026-03-01"}]
    assert Payment.objects.get().amount == D("150000.00")
    assert date(2026, 3, 1) == Payment.objects.get().received_on


def test_the_analytics_answer_the_pages_selectors_with_the_callers_slice(api, org):
    from salesrelay.deals.actions import win_deal

    _people, objects = org
    win_deal(objects["open"], acting_user=None, won_on=date(2026, 3, 4))
    query = {"first": "2026-01", "last": "2026-03"}
    mine = api("anna", "get", "/api/v1/analytics/new-clients/", query).json()
    assert [(m["month"], m["count"], m["company"]) for m in mine["months"]] == [
        ("2026-01", 0, 0), ("2026-02", 1, 1), ("2026-03", 1, 1)]
    assert [h["person"]["name"] for h in mine["hunters"]] == ["Anna"]
    heads = api("hanna", "get", "/api/v1/analytics/new-clients/", query).json()
    assert sorted(h["person"]["name"] for h in heads["hunters"]) == ["Anna", "Pavel"]
    assert api("ada", "get", "/api/v1/analytics/new-clients/", query).status_code == 403
    bad = api("anna", "get", "/api/v1/analytics/new-clients/", {"first": "2026-13"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "first")
