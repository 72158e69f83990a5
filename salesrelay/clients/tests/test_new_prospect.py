"""The new-prospect page: the prospect and its first deal with several lines from one form, in
one transaction; an error next to its field and nothing stored; "Add a line" without script."""

from decimal import Decimal as D

import pytest

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Client, Contact
from salesrelay.deals.models import Deal, DealLine
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def stored():
    return (Client.objects.count(), Contact.objects.count(), Deal.objects.count(),
            DealLine.objects.count(), AuditEntry.objects.count())


def page(lines=(), total=None, **fields):
    data = {"name": "Spa Chain Volga", "tax_id": "7707083893", "segment": "dealer",
            "contact_name": "Olga", "contact_phone": "+7 900 000-00-00", "deal-title": "spring",
            "lines-TOTAL_FORMS": str(total if total is not None else max(len(lines), 2)),
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "50"}
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-{k}": v for k, v in line.items()})
    data.update(fields)
    return data


@pytest.fixture
def products(company):
    return company.product("HB-170", "78900.00", "45800.00"), company.product(
        "HB-180", "89900.00", "51200.00")


def test_a_hunter_creates_a_prospect_with_its_first_deal_of_two_lines(client, org, products):
    people, _objects = org
    bath, big_bath = products
    assert client.login(username="anna", password=PASSWORD)
    response = client.post("/clients/new/", page([
        {"product": bath.pk, "quantity": "2"},
        {"product": big_bath.pk, "quantity": "1", "unit_price": "85000.00"}], total=3))
    prospect = Client.objects.get(name="Spa Chain Volga")
    assert (response.status_code, response.url) == (302, f"/clients/{prospect.ref}/")
    deal = Deal.objects.get(client=prospect)
    assert (prospect.owner, prospect.tax_id, deal.owner, deal.title, deal.status, deal.amount,
            deal.goods_cost, deal.stage.code) == (
        people["hunter"], "7707083893", people["hunter"], "spring", "open", D("242800.00"),
        D("142800.00"), "new")
    assert list(deal.lines.order_by("id").values_list("product__sku", "quantity", "unit_price")) == [
        ("HB-170", D("2.000"), D("78900.00")), ("HB-180", D("1.000"), D("85000.00"))]
    assert prospect.contacts.get().name == "Olga"
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        f"Prospect Spa Chain Volga created with its first deal {deal.ref}."]


def test_without_lines_only_the_prospect_is_created(client, org, products):
    assert client.login(username="anna", password=PASSWORD)
    response = client.post("/clients/new/", page())
    assert response.status_code == 302
    assert Deal.objects.filter(client__name="Spa Chain Volga").count() == 0


def test_a_bad_inn_and_a_bad_line_are_shown_next_to_their_fields_and_nothing_is_stored(
        client, org, products):
    bath, _big = products
    assert client.login(username="anna", password=PASSWORD)
    before = stored()
    response = client.post("/clients/new/", page([
        {"product": bath.pk, "quantity": "-1"}, {"product": "", "quantity": "3"}],
        tax_id="77012345"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "tax_id": ["77012345 is not a tax id: an INN has 10 or 12 digits"]}
    lines = response.context["lines"]
    assert [form.errors for form in lines] == [
        {"quantity": ["Ensure this value is greater than or equal to 0."]},
        {"product": ["This field is required."]}]
    assert stored() == before


def test_a_duplicate_refused_by_the_action_leaves_no_deal_either(client, org, products):
    bath, _big = products
    assert client.login(username="pavel", password=PASSWORD)
    before = stored()
    response = client.post("/clients/new/", page([{"product": bath.pk, "quantity": "1"}],
                                                 name="anna  PROSPECT", tax_id=""))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()[0].startswith("Anna Prospect (C-")
    assert stored() == before


def test_a_zero_quantity_is_refused_by_the_deal_and_the_prospect_is_not_kept(
        client, org, products):
    bath, _big = products
    assert client.login(username="anna", password=PASSWORD)
    before = stored()
    response = client.post("/clients/new/", page([{"product": bath.pk, "quantity": "0"}]))
    assert response.status_code == 400
    assert response.context["deal_form"].non_field_errors() == [
        "A line's quantity must be above zero."]
    assert stored() == before


def test_add_a_line_without_script_shows_one_more_line_and_stores_nothing(client, org, products):
    bath, _big = products
    assert client.login(username="anna", password=PASSWORD)
    before = stored()
    response = client.post("/clients/new/", page([{"product": bath.pk, "quantity": "2"}],
                                                 total=2, add_line="1"))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert (lines.total_form_count(), lines.forms[0].initial) == (
        3, {"product": str(bath.pk), "quantity": "2", "unit_price": ""})
    assert response.context["form"].initial["name"] == "Spa Chain Volga"
    html = response.content.decode()
    assert 'name="lines-TOTAL_FORMS" value="3"' in html
    assert stored() == before


def test_a_head_creates_a_prospect_with_a_deal_for_one_of_their_hunters(client, org, products):
    people, _objects = org
    bath, _big = products
    assert client.login(username="hanna", password=PASSWORD)
    refused = client.post("/clients/new/", page([{"product": bath.pk, "quantity": "1"}]))
    assert (refused.status_code, refused.context["form"].errors) == (400, {
        "hunter": ["A first deal needs the hunter who owns the prospect: choose one."]})
    response = client.post("/clients/new/", page([{"product": bath.pk, "quantity": "1"}],
                                                 hunter=people["other_hunter"].ref))
    assert response.status_code == 302
    deal = Deal.objects.get(client__name="Spa Chain Volga")
    assert (deal.owner, deal.client.owner) == (people["other_hunter"], people["other_hunter"])


def test_enter_in_a_field_creates_rather_than_adds_a_line(client, org):
    assert client.login(username="anna", password=PASSWORD)
    html = client.get("/clients/new/").content.decode()
    first = html[html.index('<form method="post" id="new-prospect">'):]
    first = first[first.index("<button"):]
    assert first.startswith('<button type="submit" class="default-submit"')
