"""The forms' refusals through HTTP: a clear reason on the page, status 400, nothing written."""

from datetime import date
from decimal import Decimal as D

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client
from salesrelay.payments.actions import record_payment
from salesrelay.payments.models import Allocation, Payment
from tests.conftest import PASSWORD


def counts():
    return (Client.objects.count(), Payment.objects.count(), Allocation.objects.count(),
            AuditEntry.objects.count())


def test_a_duplicate_prospect_is_refused_with_the_owners_name(client, org):
    client.login(username="pavel", password=PASSWORD)
    before = counts()
    response = client.post("/clients/new/", {"name": "anna  PROSPECT", "segment": "dealer"})
    assert response.status_code == 400
    assert "Anna Prospect (C-" in response.content.decode()
    assert "is already owned by Anna." in response.content.decode()
    assert counts() == before


def test_a_refund_above_what_the_deal_received_is_refused(client, org):
    _people, objects = org
    record_payment(amount=D("30000.00"), received_on=date(2026, 2, 5), deal=objects["deal"],
                   acting_user=None)
    client.login(username="boris", password=PASSWORD)
    before = counts()
    response = client.post("/payments/new/", {
        "client": objects["won"].ref, "deal": objects["deal"].ref, "amount": "-30000.01",
        "received_on": "2026-02-10", "reference": "credit note"})
    assert response.status_code == 400
    assert (f"The refund exceeds the 30000.00 paid on deal {objects['deal'].ref}."
            in response.content.decode())
    assert counts() == before


def test_a_payment_form_with_a_bad_amount_names_the_field(client, org):
    _people, objects = org
    client.login(username="boris", password=PASSWORD)
    before = counts()
    response = client.post("/payments/new/", {
        "client": objects["won"].ref, "amount": "twelve", "received_on": "2026-02-10"})
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert counts() == before


def test_winning_a_deal_without_lines_is_refused_on_the_board(client, org, company):
    people, _objects = org
    empty = company.prospect("Empty Deal Ltd", people["hunter"])
    from salesrelay.deals.actions import open_deal

    deal = open_deal(client=empty, owner=people["hunter"], acting_user=None,
                     created_on=date(2026, 1, 10), lines=[])
    client.login(username="anna", password=PASSWORD)
    before = counts()
    response = client.post(f"/pipeline/deals/{deal.ref}/move/", {"stage": "won"}, follow=True)
    assert f"Deal {deal.ref} has no amount: add its lines before winning it." in \
        response.content.decode()
    deal.refresh_from_db()
    assert (deal.status, deal.number) == ("open", None)
    assert counts() == before


def test_a_payment_in_a_locked_month_or_in_the_future_goes_in_only_once_confirmed(client, org):
    from datetime import date, timedelta

    from salesrelay.compensation.models import Period

    _people, objects = org
    Period.objects.create(month=date(2026, 3, 1), status="locked")
    client.login(username="dora", password=PASSWORD)
    posted = {"client": objects["won"].ref, "amount": "100.00", "received_on": "2026-03-10"}
    before = counts()
    response = client.post("/payments/new/", posted)
    assert response.status_code == 200
    assert response.context["warnings"] == [
        "Pay for 2026-03 is locked: what this payment changes there is paid as an adjustment "
        "in the next open month."]
    assert "Nothing is recorded yet." in response.content.decode()
    assert counts() == before
    response = client.post("/payments/new/", {**posted, "confirm": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]][1:] == [
        "Pay for 2026-03 is locked: what this payment changes there is paid as an adjustment "
        "in the next open month."]
    later = date.today() + timedelta(days=40)
    future = {**posted, "received_on": later.isoformat()}
    response = client.post("/payments/new/", future)
    assert response.context["warnings"][0].endswith(
        f"is dated {later.isoformat()}, in the future: check the date.")
    response = client.post("/payments/new/", {**future, "confirm": "1"}, follow=True)
    latest = Payment.objects.order_by("-id").first().ref  # the ids' counter is the database's
    assert [str(m) for m in response.context["messages"]][1] == (
        f"Payment {latest} is dated {later.isoformat()}, in the future: check the date.")
