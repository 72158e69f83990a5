"""Nobody raises their own pay (SPEC §7): the cases a tester found, each refused with nothing
written — through the pages and through the actions the API and the command line share."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User

from salesrelay.audit.models import AuditEntry
from salesrelay.compensation.actions import (
    approve_period,
    approve_statement,
    calculate_period,
    lock_period,
    raise_dispute,
    resolve_dispute,
)
from salesrelay.compensation.models import Dispute, PayoutLine, Period, Statement
from salesrelay.compensation.plans import load_plan
from salesrelay.deals.actions import open_deal
from salesrelay.deals.models import Deal, DirectCost
from salesrelay.engine.periods import Month
from salesrelay.errors import ActionError, ErrorCode
from tests.conftest import PASSWORD
from tests.test_routes import PLAN

FEB = Month(2026, 2)


@pytest.fixture
def paid(org):
    """The organisation with February calculated: everybody has a salary line."""
    people, objects = org
    load_plan(PLAN, actor=None)
    calculate_period(FEB)
    return people, objects


def user(login):
    return User.objects.get(username=login)


def line_of(employee):
    return PayoutLine.objects.get(period__month=FEB.first, employee=employee)


def test_a_head_disputes_their_own_line_but_cannot_resolve_it(client, paid):
    people, _objects = paid
    hanna = people["head_acq"]
    dispute = raise_dispute(line_of(hanna), employee=hanna, comment="too low", actor=user("hanna"))
    client.login(username="hanna", password=PASSWORD)
    response = client.post(f"/pay/disputes/{dispute.pk}/resolve/", {
        "resolution": "fine", "adjustment": "999999999.99", "reason": "mine"})
    assert response.status_code == 404
    with pytest.raises(ActionError) as refused:
        resolve_dispute(dispute, resolution="fine", actor=user("hanna"),
                        adjustment="999999999.99", reason="mine")
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.FORBIDDEN, "Nobody resolves a dispute on their own pay.")
    dispute.refresh_from_db()
    assert (dispute.status, PayoutLine.objects.filter(source="manual").count()) == ("open", 0)
    # The director resolves it, within the limit of SALESRELAY_MAX_ADJUSTMENT.
    with pytest.raises(ActionError) as refused:
        resolve_dispute(dispute, resolution="fine", actor=user("dora"),
                        adjustment="999999999.99", reason="mine")
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.ADJUSTMENT_LIMIT, "an adjustment of 999\u202f999\u202f999.99 is above the limit "
        "of 1\u202f000\u202f000.00 (SALESRELAY_MAX_ADJUSTMENT)")
    assert PayoutLine.objects.filter(source="manual").count() == 0
    resolve_dispute(dispute, resolution="commission forgotten", actor=user("dora"),
                    adjustment="1500.00", reason="a forgotten deal")
    assert list(PayoutLine.objects.filter(source="manual").values_list(
        "employee__name", "amount", "reason")) == [("Hanna Head", D("1500.00"), "a forgotten deal")]


def test_a_head_resolves_only_their_departments_disputes(paid):
    people, _objects = paid
    boris = people["manager"]
    dispute = raise_dispute(line_of(boris), employee=boris, comment="?", actor=None)
    with pytest.raises(ActionError) as refused:
        resolve_dispute(dispute, resolution="no", actor=user("hanna"))
    assert refused.value.message == ("Boris's disputes are resolved by the head of Account "
                                     "management.")
    resolve_dispute(dispute, resolution="checked, correct", actor=user("mila"))
    assert Dispute.objects.get().status == "resolved"


def test_statements_are_approved_by_someone_else_and_the_period_locked_when_all_are(client, paid):
    people, _objects = paid
    assert Statement.objects.count() == 7
    for login, own in [("hanna", "head_acq"), ("dora", "director"), ("ada", "accountant")]:
        statement = Statement.objects.get(employee=people[own])
        with pytest.raises(ActionError) as refused:
            approve_statement(statement, actor=user(login))
        assert refused.value.message.startswith("Nobody approves their own statement")
    with pytest.raises(ActionError) as refused:
        approve_statement(Statement.objects.get(employee=people["manager"]), actor=user("hanna"))
    assert refused.value.message == ("Boris's statement is approved by the head of Account "
                                     "management.")
    assert set(Statement.objects.values_list("status", flat=True)) == {"pending"}
    client.login(username="hanna", password=PASSWORD)
    assert client.post(f"/pay/statements/2026-02/{people['head_acq'].ref}/approve/"
                       ).status_code == 404
    approve_period(FEB, actor=user("hanna"))  # anna and pavel
    approve_period(FEB, actor=user("mila"))  # boris
    with pytest.raises(ActionError) as refused:
        lock_period(FEB, actor=user("ada"))
    assert refused.value.message == ("2026-02 is Calculated; only an approved period can be locked "
                                     "(4 statements still to approve)")
    approve_period(FEB, actor=user("dora"))  # hanna, mila, ada
    assert dict(Statement.objects.filter(status="pending").values_list(
        "employee__name", "period__month")) == {"Dora Director": FEB.first}
    approve_period(FEB, actor=user("ada"))  # the director's
    assert Period.objects.get().status == "approved"
    with pytest.raises(ActionError) as refused:
        lock_period(FEB, actor=user("mila"))
    assert refused.value.message == "A period is locked by the accountant or the director."
    lock_period(FEB, actor=user("ada"))
    assert Period.objects.get().status == "locked"
    approvers = dict(Statement.objects.values_list("employee__name", "approved_by__username"))
    assert approvers == {"Anna": "hanna", "Pavel": "hanna", "Boris": "mila", "Hanna Head": "dora",
                         "Mila Head": "dora", "Ada Accountant": "dora", "Dora Director": "ada"}


def test_a_changed_recalculation_takes_back_only_the_changed_statements(paid):
    people, _objects = paid
    approve_period(FEB, actor=None)
    assert Period.objects.get(month=FEB.first).status == "approved"
    dispute = raise_dispute(line_of(people["hunter"]), employee=people["hunter"], comment="?")
    resolve_dispute(dispute, resolution="bonus", actor=user("hanna"), adjustment="100.00",
                    reason="a late call")
    # The manual line goes to the next period not yet approved: March, not February.
    assert PayoutLine.objects.get(source="manual").period.month == date(2026, 3, 1)
    load_plan(PLAN.replace('"40000.00"', '"41000.00"').replace(
        'roles = ["hunter", "account_manager", "head", "director", "accountant"]',
        'roles = ["hunter", "account_manager", "head", "director", "accountant"]\n'
        'effective_to = 2026-12-31'), actor=None)
    calculate_period(FEB)
    assert set(Statement.objects.values_list("status", flat=True)) == {"pending"}
    assert Period.objects.get(month=FEB.first).status == "calculated"


def test_a_hunter_cannot_open_price_or_win_a_deal_on_a_handed_over_client(client, paid):
    people, objects = paid
    won, deal = objects["won"], objects["deal"]
    deals_before = Deal.objects.count()
    client.login(username="anna", password=PASSWORD)
    assert client.get(f"/clients/{won.ref}/").status_code == 200  # she follows her first five
    assert client.post("/deals/new/", {"client": won.ref, "title": "second"}).status_code == 404
    assert client.post(f"/deals/{deal.ref}/costs/", {"category": "delivery",
                                                     "amount": "1.00"}).status_code == 404
    assert client.post(f"/deals/{deal.ref}/cancelled/", {"reason": "x"}).status_code == 404
    with pytest.raises(ActionError) as refused:
        open_deal(client=won, owner=people["hunter"], acting_user=None, created_on=date(2026, 3, 1))
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.DEAL_OWNER, "Handed Off belongs to Account management: its deals are owned "
        "there, not by Anna.")
    deal.refresh_from_db()
    assert (Deal.objects.count(), deal.status, DirectCost.objects.count()) == (
        deals_before, "won", 0)
    # Its account manager opens deal 2, and owns it.
    client.login(username="boris", password=PASSWORD)
    response = client.post("/deals/new/", {"client": won.ref, "title": "second"})
    second = Deal.objects.get(title="second")
    assert (response.status_code, second.owner.name, second.client_id) == (302, "Boris", won.pk)


def test_the_head_of_acquisition_cannot_cancel_or_cost_account_managements_deals(client, paid):
    _people, objects = paid
    deal = objects["deal"]
    client.login(username="hanna", password=PASSWORD)
    assert client.get(f"/deals/{deal.ref}/").status_code == 200
    assert client.post(f"/deals/{deal.ref}/cancelled/", {"reason": "x"}).status_code == 404
    assert client.post(f"/deals/{deal.ref}/costs/", {"category": "delivery",
                                                     "amount": "1.00"}).status_code == 404
    deal.refresh_from_db()
    assert (deal.status, DirectCost.objects.count()) == ("won", 0)
    assert not AuditEntry.objects.filter(action__in=["deal.cancel", "deal.add_direct_cost"]).exists()


def test_the_simulator_shows_a_head_only_their_departments_pay(client, paid):
    form = {"plan": PLAN, "compare": "", "first": "2026-02", "last": "2026-02"}
    client.login(username="hanna", password=PASSWORD)
    text = client.post("/pay/simulate/", form).content.decode()
    shown = [name for name in ["Anna", "Pavel", "Hanna Head", "Boris", "Mila Head",
                               "Dora Director", "Ada Accountant"] if f"<td>{name}</td>" in text]
    assert shown == ["Anna", "Pavel", "Hanna Head"]
    client.login(username="dora", password=PASSWORD)
    text = client.post("/pay/simulate/", form).content.decode()
    assert text.count("<td>Boris</td>") == 1 and text.count("<td>Anna</td>") == 1


def test_a_period_where_nobody_is_paid_is_approved_by_an_approval_run_and_locked(paid):
    from salesrelay.compensation.plans import load_plan as load

    load(PLAN.replace("effective_from = 2026-01-01", "effective_from = 2026-06-01"), actor=None)
    calculate_period(Month(2026, 4))
    april = Period.objects.get(month=date(2026, 4, 1))
    assert (april.status, Statement.objects.filter(period=april).count()) == ("calculated", 0)
    approve_period(Month(2026, 4), actor=user("ada"))
    lock_period(Month(2026, 4), actor=user("ada"))
    assert Period.objects.get(month=date(2026, 4, 1)).status == "locked"
