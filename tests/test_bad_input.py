"""Bad input gets one clear reason and changes nothing (SPEC §6, §7): amounts beyond what both
databases store exactly, days outside 2000–2100, hidden characters, text longer than its field —
through the pages, the actions and the command line."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.actions import create_prospect
from salesrelay.clients.models import Client, Contact
from salesrelay.deals.models import DirectCost
from salesrelay.errors import ActionError
from salesrelay.payments.models import Payment
from salesrelay.pipeline.actions import log_activity
from salesrelay.pipeline.models import Activity
from tests.conftest import PASSWORD


def errors_of(response):
    return response.context["form"].errors.as_data()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(("amount", "reason"), [
    ("99999999999999.99", "99999999999999.99 has more than 12 digits before the point"),
    ("-1000000000000", "-1000000000000 has more than 12 digits before the point"),
    ("1e30", "1E+30 has more than 12 digits before the point"),
    ("10.005", "10.005 has more than 2 digits after the point"),
])
def test_a_payment_amount_beyond_twelve_digits_is_refused(client, org, amount, reason):
    client.login(username="dora", password=PASSWORD)
    won = org[1]["won"]
    response = client.post("/payments/new/", {"client": won.ref, "amount": amount,
                                              "received_on": "2026-03-01"})
    assert response.status_code == 400
    assert [e.messages[0] for e in errors_of(response)["amount"]] == [reason]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01"])
def test_a_payment_dated_outside_2000_to_2100_is_refused(client, org, day):
    client.login(username="dora", password=PASSWORD)
    response = client.post("/payments/new/", {"client": org[1]["won"].ref, "amount": "100.00",
                                              "received_on": day})
    assert response.status_code == 400
    assert [e.messages[0] for e in errors_of(response)["received_on"]] == [
        f"{day} is outside 2000-01-01 to 2100-12-31"]
    assert Payment.objects.count() == 0


def test_a_cost_beyond_twelve_digits_is_refused_on_the_deal_page(client, org):
    client.login(username="anna", password=PASSWORD)
    deal = org[1]["open"]
    response = client.post(f"/deals/{deal.ref}/costs/", {"category": "delivery",
                                                         "amount": "1000000000000.00"},
                           follow=True)
    assert messages_of(response) == [
        "Check the cost: Amount: 1000000000000.00 has more than 12 digits before the point"]
    assert DirectCost.objects.count() == 0


@pytest.mark.parametrize(("name", "reason"), [
    ("ACME\u200b Baths", "contains an invisible character U+200B"),
    ("\u202eACME", "contains an invisible character U+202E"),
    ("ACME\x00", "contains a NUL byte"),
    ("A" * 301, "Ensure this value has at most 300 characters (it has 301)."),
])
def test_a_prospect_with_hidden_characters_or_too_long_is_refused(client, org, name, reason):
    client.login(username="anna", password=PASSWORD)
    before = Client.objects.count()
    response = client.post("/clients/new/", {"name": name, "segment": "dealer"})
    assert response.status_code == 400
    assert [e.messages[0] for e in errors_of(response)["name"]] == [reason]
    assert Client.objects.count() == before


def test_the_actions_refuse_the_same_for_the_importer_and_the_api(org):
    people, objects = org
    with pytest.raises(ActionError) as refused:
        create_prospect(name="B" * 301, segment="dealer", hunter=people["hunter"], acting_user=None)
    assert refused.value.message == "name: 301 characters, at most 300"
    with pytest.raises(ActionError) as refused:
        create_prospect(name="ACME\u2066", segment="dealer", hunter=people["hunter"],
                        acting_user=None)
    assert refused.value.message == "name: contains an invisible character U+2066"
    with pytest.raises(ActionError) as refused:
        create_prospect(name="Old Times", segment="dealer", hunter=people["hunter"],
                        acting_user=None, created_on=date(1926, 1, 1))
    assert refused.value.message == "created on: 1926-01-01 is outside 2000-01-01 to 2100-12-31"
    with pytest.raises(ActionError) as refused:
        log_activity(client=objects["mine"], employee=people["hunter"], kind="call",
                     acting_user=None, planned_on=date(2206, 1, 1))
    assert refused.value.message == "planned on: 2206-01-01 is outside 2000-01-01 to 2100-12-31"
    assert (Client.objects.filter(name__in=["Old Times"]).count(), Activity.objects.count(),
            Contact.objects.count()) == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="activity.log").exists()


@pytest.mark.parametrize("url", ["/pay/periods/1999-12/", "/pay/periods/2101-01/",
                                 "/pay/periods/2101-01/statements.xlsx",
                                 "/pay/statements/1999-01/anything/"])
def test_period_urls_outside_2000_to_2100_are_not_found(client, org, url):
    client.login(username="dora", password=PASSWORD)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("month", ["1999-12", "2101-01"])
def test_the_payroll_command_refuses_a_month_outside_the_range(db, month):
    with pytest.raises(CommandError) as refused:
        call_command("payroll", month)
    assert str(refused.value) == f"{month} is outside 2000-01 to 2100-12"


def test_the_money_actions_refuse_amounts_and_days_out_of_bounds(org):
    from decimal import Decimal as D

    from salesrelay.deals.actions import add_direct_cost, win_deal
    from salesrelay.payments.actions import record_payment

    people, objects = org
    with pytest.raises(ActionError) as refused:
        record_payment(client=objects["won"], amount=D("1000000000000.00"),
                       received_on=date(2026, 3, 1), acting_user=None)
    assert (refused.value.field, refused.value.message) == (
        "amount", "amount: 1000000000000.00 has more than 12 digits before the point")
    with pytest.raises(ActionError) as refused:
        record_payment(client=objects["won"], amount=D("10.00"), received_on=date(1999, 12, 31),
                       acting_user=None)
    assert refused.value.message == (
        "received_on: 1999-12-31 is outside 2000-01-01 to 2100-12-31")
    with pytest.raises(ActionError) as refused:
        win_deal(objects["open"], acting_user=None, won_on=date(2101, 1, 1))
    assert refused.value.message == "won_on: 2101-01-01 is outside 2000-01-01 to 2100-12-31"
    with pytest.raises(ActionError) as refused:
        add_direct_cost(objects["open"], category="delivery", amount=D("0.001"), acting_user=None)
    assert refused.value.message == "amount: 0.001 has more than 2 digits after the point"
    objects["open"].refresh_from_db()
    assert (Payment.objects.count(), DirectCost.objects.count(), objects["open"].status) == (
        0, 0, "open")


@pytest.mark.parametrize("tax_id", ["abc", "77012345", "7701234567890", "77０1234567"])
def test_a_tax_id_that_is_not_an_inn_is_refused(client, org, tax_id):
    client.login(username="anna", password=PASSWORD)
    response = client.post("/clients/new/", {"name": "ACME", "segment": "dealer",
                                             "tax_id": tax_id})
    assert response.status_code == 400
    assert [e.messages[0] for e in errors_of(response)["tax_id"]] == [(
        f"{tax_id} is not a tax id: an INN has 10 or 12 digits")]
    with pytest.raises(ActionError) as refused:
        create_prospect(name="ACME", segment="dealer", hunter=org[0]["hunter"], acting_user=None,
                        tax_id=tax_id)
    assert (refused.value.field, Client.objects.filter(name="ACME").count()) == ("tax_id", 0)
