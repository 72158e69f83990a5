"""Segments are data: the four every installation starts with, those the director adds on the
Segments page, checked by the prospect form, the API and the importer."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.actions import add_segment, rename_segment
from salesrelay.clients.forms import ProspectForm
from salesrelay.clients.models import Client, Segment
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.imports.importer import run_import
from salesrelay.imports.tests.test_import import write

PASSWORD = "secret-pass-1"
EMPLOYEES = """id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
"""
CLIENTS = """id,name,segment,acquired_by,created_on
C1,ACME Baths,dealer,H1,2026-01-05
C2,Lotus Spa,salon,H1,2026-01-06
C3,Jade Spa,salon,H1,2026-01-07
"""


def segments():
    return list(Segment.objects.values_list("code", "name_en", "name_ru"))


def test_the_migration_creates_the_four_segments_clients_had(db):
    assert segments() == [
        ("retail_chain", "Retail chain", "Розничная сеть"),
        ("online_store", "Online store", "Интернет-магазин"),
        ("dealer", "Dealer", "Дилер"),
        ("other", "Other", "Другое"),
    ]


def test_the_director_adds_and_renames_a_segment_on_the_segments_page(company, client):
    company.employee("Dora Director", "director", "management", username="dora",
                     password=PASSWORD)
    client.login(username="dora", password=PASSWORD)
    response = client.post("/clients/segments/", {"code": "salon", "name_en": "Salon",
                                                  "name_ru": "Салон"})
    assert response.status_code == 302
    response = client.post("/clients/segments/", {"code": "salon", "name_en": "Beauty salon",
                                                  "name_ru": "Салон красоты"})
    assert response.status_code == 302
    assert segments()[-1] == ("salon", "Beauty salon", "Салон красоты")
    assert list(AuditEntry.objects.filter(object_type="segment").order_by("id").values_list(
        "action", "object_ref", "details")) == [
        ("segment.add", "salon", {"name_en": "Salon", "name_ru": "Салон"}),
        ("segment.rename", "salon", {"before": ["Salon", "Салон"],
                                     "after": ["Beauty salon", "Салон красоты"]}),
    ]
    page = client.get("/clients/segments/").content.decode()
    assert "<code>salon</code></td><td>Beauty salon</td><td>Салон красоты</td>" in page


def test_a_hunter_cannot_open_the_segments_page(company, client):
    company.hunter("Anna", username="anna", password=PASSWORD)
    client.login(username="anna", password=PASSWORD)
    before = segments()
    assert client.get("/clients/segments/").status_code == 403
    assert client.post("/clients/segments/", {"code": "salon", "name_en": "Salon"}
                       ).status_code == 403
    assert segments() == before


def test_a_bad_or_taken_code_is_refused_and_nothing_changes(db):
    before = segments()
    for code, reason in [("Salon", "Salon is not a segment code"),
                         ("dealer", "The segment dealer already exists.")]:
        with pytest.raises(ActionError) as refused:
            add_segment(code=code, name_en="Salon", acting_user=None)
        assert refused.value.message.startswith(reason)
    with pytest.raises(ActionError):
        rename_segment(Segment.objects.get(code="dealer"), name_en=" ", name_ru="", acting_user=None)
    assert segments() == before
    assert AuditEntry.objects.count() == 0


def test_the_prospect_form_and_the_action_read_the_table(company):
    add_segment(code="salon", name_en="Salon", name_ru="Салон", acting_user=None)
    with translation.override("ru"):
        assert ProspectForm().fields["segment"].choices[-1] == ("salon", "Салон")
    anna = company.hunter("Anna")
    assert company.prospect("Lotus Spa", anna, segment="salon").segment == "salon"
    with pytest.raises(ActionError) as refused:
        company.prospect("Jade Spa", anna, segment="spa")
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.UNKNOWN_SEGMENT, "Unknown segment spa: the segments are retail_chain, "
        "online_store, dealer, other, salon.")
    assert Client.objects.count() == 1


def test_the_api_creates_a_prospect_in_a_new_segment_and_refuses_an_unknown_one(company, client):
    add_segment(code="salon", name_en="Salon", acting_user=None)
    company.hunter("Anna", username="anna", password=PASSWORD)
    client.login(username="anna", password=PASSWORD)
    made = client.post("/api/v1/clients/", {"name": "Lotus Spa", "segment": "salon"},
                       content_type="application/json")
    assert (made.status_code, made.json()["segment"]) == (201, "salon")
    refused = client.post("/api/v1/clients/", {"name": "Jade Spa", "segment": "spa"},
                          content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "segment"
    assert list(Client.objects.values_list("name", flat=True)) == ["Lotus Spa"]
    listed = client.get("/api/v1/clients/?segment=salon").json()
    assert [c["name"] for c in listed["results"]] == ["Lotus Spa"]


def test_an_import_reports_unknown_segments_listing_the_known_ones(db, tmp_path, capsys):
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS)
    with pytest.raises(CommandError):
        call_command("import", str(folder), verbosity=0)
    known = ("retail_chain, online_store, dealer, other (add it on the Segments page, or import "
             "with --create-segments)")
    assert capsys.readouterr().err.splitlines() == [
        f"clients.csv:3: segment: 'salon' is not a known segment: {known}",
        f"clients.csv:4: segment: 'salon' is not a known segment: {known}",
    ]
    assert (Client.objects.count(), Segment.objects.count()) == (0, 4)


def test_an_import_with_create_segments_adds_them_and_a_dry_run_only_says_so(db, tmp_path,
                                                                              capsys):
    folder = write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS)
    call_command("import", str(folder), "--dry-run", "--create-segments", verbosity=0)
    assert capsys.readouterr().out.splitlines()[-1] == "new segments: salon"
    assert (Client.objects.count(), Segment.objects.count()) == (0, 4)
    report = run_import(folder, create_segments=True)
    assert report.ok and report.new_segments == ["salon"]
    assert segments()[-1] == ("salon", "Salon", "")
    assert list(Client.objects.order_by("ref").values_list("ref", "segment")) == [
        ("C1", "dealer"), ("C2", "salon"), ("C3", "salon")]
    # Known from now on: the same file again changes nothing.
    again = run_import(folder)
    assert again.ok and again.created == {} and again.new_segments == []


KPI_PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2026-01-01
  [[plans.components]]
  id = "salons"
  kind = "kpi_bonus"
  metric = "new_clients_in_segment:salon"
  scope = "own"
  target = "1"
  fixed_if_met = "5000.00"
"""


def test_a_plan_pays_new_clients_in_a_segment_the_director_added(db, tmp_path):
    from salesrelay.compensation.models import PlanVersion
    from salesrelay.compensation.plans import load_plan
    from salesrelay.compensation.tests.factories import payroll_json

    with pytest.raises(ActionError) as refused:
        load_plan(KPI_PLAN)
    assert refused.value.message == ("the plan names segments that do not exist: salon (the "
                                     "segments are retail_chain, online_store, dealer, other)")
    assert PlanVersion.objects.count() == 0
    add_segment(code="salon", name_en="Salon", acting_user=None)
    deals = ("id,client_id,owner_id,status,created_on,won_on,closed_on,amount,cost\n"
             "1,C2,H1,won,2026-02-01,2026-02-10,,30000.00,10000.00\n"
             "2,C1,H1,won,2026-02-01,2026-02-11,,30000.00,10000.00\n")
    assert run_import(write(tmp_path / "in", employees=EMPLOYEES, clients=CLIENTS,
                            deals=deals)).ok
    load_plan(KPI_PLAN)
    (anna,) = payroll_json("2026-02")["employees"]
    assert [(line["component"], line["amount"]) for line in anna["lines"]] == [
        ("salons", "5000.00")]
