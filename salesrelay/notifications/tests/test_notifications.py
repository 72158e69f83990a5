"""Who is told of what, in the same transaction as the event, and the e-mail sent once it is
committed: exact recipients, texts and messages."""

from datetime import date

import pytest
from django.core import mail

from salesrelay.clients.actions import (
    assign_account_manager,
    reassign_clients_of,
    release_idle_prospects,
    warn_expiring_prospects,
)
from salesrelay.compensation.actions import (
    approve_period,
    calculate_period,
    lock_period,
    raise_dispute,
    resolve_dispute,
)
from salesrelay.compensation.models import PayoutLine
from salesrelay.compensation.plans import load_plan
from salesrelay.deals.actions import win_deal
from salesrelay.engine.periods import Month
from salesrelay.errors import ActionError
from salesrelay.notifications.actions import set_preference
from salesrelay.notifications.models import Notification
from salesrelay.pipeline.actions import log_activity
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PLAN = """
[[plans]]
id = "everyone"
roles = ["hunter", "account_manager", "head", "director", "accountant"]
effective_from = 2026-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
"""


def told():
    return [(n.recipient.name, n.kind, n.text, n.link)
            for n in Notification.objects.select_related("recipient").order_by("id")]


def sent():
    return [(m.to, m.subject, m.body) for m in mail.outbox]


def test_the_handoff_tells_the_account_manager_once_committed(
        org, company, django_capture_on_commit_callbacks):
    people, objects = org
    Notification.objects.all().delete()  # the org's own handoff
    prospect = company.prospect("Spa Chain Volga", people["hunter"])
    deal = company.deal(prospect, people["hunter"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        win_deal(deal, acting_user=None, won_on=date(2026, 2, 3))
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    link = f"/clients/{prospect.ref}/"
    text = ("Spa Chain Volga won its first deal and is handed to you (brought by Anna); its "
            "planned activities are yours now.")
    assert told() == [("Boris", "client_handed_off", text, link)]
    assert sent() == [(["e3@example.com"], "SalesRelay: Client handed to you",
                       f"{text}\n\nhttp://127.0.0.1:8000{link}\n")]


def test_the_email_is_in_the_recipients_language(org, company, django_capture_on_commit_callbacks):
    people, objects = org
    set_preference(people["manager"], language="ru", by_email=True, acting_user=None)
    prospect = company.prospect("Spa Chain Volga", people["hunter"])
    with django_capture_on_commit_callbacks(execute=True):
        win_deal(company.deal(prospect, people["hunter"]), acting_user=None,
                 won_on=date(2026, 2, 3))
    assert sent() == [(["e3@example.com"], "SalesRelay: Вам передан клиент",
                       "Spa Chain Volga: первая сделка выиграна, клиент передан вам (привёл "
                       "Anna); его запланированные дела теперь ваши.\n\n"
                       f"http://127.0.0.1:8000/clients/{prospect.ref}/\n")]


def test_no_email_for_whoever_turned_them_off(org, company, django_capture_on_commit_callbacks):
    people, objects = org
    set_preference(people["manager"], language="en", by_email=False, acting_user=None)
    prospect = company.prospect("Spa Chain Volga", people["hunter"])
    with django_capture_on_commit_callbacks(execute=True):
        win_deal(company.deal(prospect, people["hunter"]), acting_user=None,
                 won_on=date(2026, 2, 3))
    assert (Notification.objects.filter(recipient=people["manager"]).count(), mail.outbox) == (
        2, [])


def test_a_refused_action_leaves_no_notification(org, company, django_capture_on_commit_callbacks):
    people, objects = org
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionError):
        assign_account_manager(objects["won"], to=people["hunter"], acting_user=None)
    assert (told(), mail.outbox) == ([], [])


def test_assign_and_reassign_tell_the_new_owner(org, company):
    people, objects = org
    vera = company.manager("Vera")
    Notification.objects.all().delete()
    assign_account_manager(objects["won"], to=vera, acting_user=None, on=date(2026, 2, 5))
    second = company.prospect("Second Won", people["hunter"])
    win_deal(company.deal(second, people["hunter"]), acting_user=None, won_on=date(2026, 2, 6),
             account_manager=vera)
    Notification.objects.exclude(kind="client_assigned").delete()
    reassign_clients_of(vera, on=date(2026, 2, 10), acting_user=None, to=people["manager"])
    assert told() == [
        ("Vera", "client_assigned", "Handed Off is assigned to you; its planned activities are "
         "yours now.", f"/clients/{objects['won'].ref}/"),
        ("Boris", "clients_reassigned",
         "The clients of Vera are handed to you: Handed Off, Second Won.", "/clients/portfolio/")]


def test_disputes_tell_the_approvers_and_then_the_employee(org):
    people, objects = org
    load_plan(PLAN, actor=None)
    calculate_period(Month(2026, 2))
    Notification.objects.all().delete()
    anna_line = PayoutLine.objects.filter(employee=people["hunter"]).first()
    dispute = raise_dispute(anna_line, employee=people["hunter"], comment="my bonus?")
    hanna_line = PayoutLine.objects.filter(employee=people["head_acq"]).first()
    raise_dispute(hanna_line, employee=people["head_acq"], comment="and mine?")
    dora_line = PayoutLine.objects.filter(employee=people["director"]).first()
    raise_dispute(dora_line, employee=people["director"], comment="mine too")
    resolve_dispute(dispute, resolution="no bonus in February")
    assert told() == [
        ("Hanna Head", "dispute_raised", "Anna disputes a line of their pay for 2026-02: my bonus?",
         "/pay/disputes/"),
        ("Dora Director", "dispute_raised",
         "Hanna Head disputes a line of their pay for 2026-02: and mine?", "/pay/disputes/"),
        ("Ada Accountant", "dispute_raised",
         "Dora Director disputes a line of their pay for 2026-02: mine too", "/pay/disputes/"),
        ("Anna", "dispute_resolved",
         "Your dispute on your pay for 2026-02 is answered: no bonus in February",
         f"/pay/statements/2026-02/{people['hunter'].ref}/")]


def test_a_period_tells_the_people_it_pays(org, django_capture_on_commit_callbacks):
    people, objects = org
    load_plan(PLAN, actor=None)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        calculate_period(Month(2026, 2))
        approve_period(Month(2026, 2))
        lock_period(Month(2026, 2))
    names = sorted(e.name for e in people.values())
    by_kind = {kind: sorted(n.recipient.name for n in Notification.objects.filter(kind=kind))
               for kind in ("period_calculated", "period_approved", "period_locked")}
    assert by_kind == {"period_calculated": names, "period_approved": names,
                       "period_locked": names}
    anna = Notification.objects.get(recipient=people["hunter"], kind="period_locked")
    assert (anna.text, anna.link) == ("Your pay for 2026-02 is locked: it is final.",
                                      f"/pay/statements/2026-02/{people['hunter'].ref}/")
    assert len(mail.outbox) == 21
    assert sorted(m.subject for m in mail.outbox if m.to == ["e1@example.com"]) == [
        "SalesRelay: Pay approved", "SalesRelay: Pay calculated", "SalesRelay: Pay locked"]


def test_a_hunter_is_told_once_of_a_prospect_about_to_return_to_the_pool(org, company):
    people, objects = org
    Notification.objects.all().delete()
    quiet = company.prospect("Quiet Prospect", people["hunter"], created_on=date(2026, 1, 2))
    busy = company.prospect("Busy Prospect", people["hunter"], created_on=date(2026, 1, 2))
    log_activity(client=busy, employee=people["hunter"], kind="call", acting_user=None,
                 done_on=date(2026, 3, 20), outcome="held")
    # Quiet (created 2026-01-02) is idle for 90 days on 2026-04-02 and returns the day after:
    # told from 2026-03-27 on, once.
    assert warn_expiring_prospects(on=date(2026, 3, 26), idle_days=90, within=7) == []
    assert warn_expiring_prospects(on=date(2026, 3, 27), idle_days=90, within=7) == [quiet]
    assert warn_expiring_prospects(on=date(2026, 3, 28), idle_days=90, within=7) == []
    assert told() == [("Anna", "prospect_expiring", "Quiet Prospect returns to the free pool on "
                       "2026-04-03 unless an activity with it is done before.",
                       f"/clients/{quiet.ref}/")]
    assert release_idle_prospects(on=date(2026, 4, 2), idle_days=90) == []
    assert release_idle_prospects(on=date(2026, 4, 3), idle_days=90) == [quiet]


def test_the_bell_counts_unread_and_the_list_marks_read(client, org):
    people, objects = org
    assert client.login(username="boris", password=PASSWORD)
    home = client.get("/").content.decode()
    assert '<span class="count">1</span>' in home
    (notification,) = Notification.objects.filter(recipient=people["manager"])
    page = client.get("/notifications/").content.decode()
    assert "Handed Off won its first deal" in page
    response = client.post("/notifications/", {"id": notification.pk})
    assert (response.status_code, response.url) == (302, f"/clients/{objects['won'].ref}/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert '<span class="count">0</span>' in client.get("/").content.decode()


def test_nobody_marks_anothers_notification_read(client, org):
    people, objects = org
    (notification,) = Notification.objects.filter(recipient=people["manager"])
    assert client.login(username="dora", password=PASSWORD)
    assert "Handed Off" not in client.get("/notifications/").content.decode()
    client.post("/notifications/", {"id": notification.pk})
    client.post("/notifications/", {"all": "1"})
    notification.refresh_from_db()
    assert notification.read_at is None
