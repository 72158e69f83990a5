from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.audit.models import AuditEntry
from salesrelay.clients.models import Ownership
from salesrelay.deals.actions import cancel_deal, lose_deal, win_deal
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.payments.actions import record_payment
from salesrelay.payments.models import Allocation


def test_first_win_numbers_the_deal_and_hands_the_client_off_round_robin(company):
    anna = company.hunter()
    first, second = company.manager("Boris"), company.manager("Vera")
    acme = company.prospect("ACME Baths", anna)
    other = company.prospect("Nord Plumbing", anna)
    win_deal(company.deal(acme, anna), acting_user=None, won_on=date(2026, 2, 3))
    win_deal(company.deal(other, anna), acting_user=None, won_on=date(2026, 2, 4))
    acme.refresh_from_db()
    other.refresh_from_db()
    assert (acme.owner, acme.owning_department, acme.handed_off_on, acme.acquired_by) == (
        first, "account_management", date(2026, 2, 3), anna)
    assert other.owner == second
    history = list(Ownership.objects.filter(client=acme).values_list(
        "employee__name", "department", "started_on", "ended_on", "reason"))
    assert history == [
        ("Anna Hunter", "acquisition", date(2026, 1, 10), date(2026, 2, 3), "created"),
        ("Boris", "account_management", date(2026, 2, 3), None, "handoff"),
    ]
    assert AuditEntry.objects.filter(action="client.handoff").count() == 2


def test_later_wins_take_the_next_number_and_do_not_hand_off_again(company):
    anna, boris = company.hunter(), company.manager("Boris")
    acme = company.prospect("ACME Baths", anna)
    deals = [company.deal(acme, anna) for _ in range(3)]
    win_deal(deals[0], acting_user=None, won_on=date(2026, 2, 3))
    win_deal(deals[2], acting_user=None, won_on=date(2026, 3, 1))
    win_deal(deals[1], acting_user=None, won_on=date(2026, 2, 20))  # won later, dated earlier
    numbers = [d.__class__.objects.get(pk=d.pk).number for d in deals]
    assert numbers == [1, 3, 2]
    assert Ownership.objects.filter(client=acme, reason="handoff").count() == 1
    assert boris.owned_clients.get() == acme


def test_explicit_account_manager_wins_over_round_robin(company):
    anna = company.hunter()
    company.manager("Boris")
    vera = company.manager("Vera")
    acme = company.prospect("ACME Baths", anna)
    win_deal(company.deal(acme, anna), acting_user=None, won_on=date(2026, 2, 3),
             account_manager=vera)
    acme.refresh_from_db()
    assert acme.owner == vera


def test_without_account_managers_the_client_waits_in_the_queue(company):
    anna = company.hunter()
    acme = company.prospect("ACME Baths", anna)
    win_deal(company.deal(acme, anna), acting_user=None, won_on=date(2026, 2, 3))
    acme.refresh_from_db()
    assert (acme.owner, acme.owning_department) == (None, "account_management")


def test_account_manager_who_left_gets_no_handoff(company):
    anna = company.hunter()
    gone = company.manager("Gone")
    gone.left_on = date(2026, 1, 31)
    gone.save()
    vera = company.manager("Vera")
    acme = company.prospect("ACME Baths", anna)
    win_deal(company.deal(acme, anna), acting_user=None, won_on=date(2026, 2, 3))
    acme.refresh_from_db()
    assert acme.owner == vera


def test_winning_a_deal_without_amount_is_refused_and_changes_nothing(company):
    from salesrelay.deals.actions import open_deal

    anna = company.hunter()
    acme = company.prospect("ACME Baths", anna)
    empty = open_deal(client=acme, owner=anna, acting_user=None, created_on=date(2026, 1, 10))
    with pytest.raises(ActionError) as refused:
        win_deal(empty, acting_user=None, won_on=date(2026, 2, 1))
    assert refused.value.code == ErrorCode.DEAL_EMPTY
    empty.refresh_from_db()
    acme.refresh_from_db()
    assert (empty.status, empty.number, acme.handed_off_on) == ("open", None, None)


def test_win_applies_client_credit_and_cancellation_keeps_the_number(company):
    anna = company.hunter()
    company.manager("Boris")
    acme = company.prospect("ACME Baths", anna)
    record_payment(client=acme, amount=D("30000.00"), received_on=date(2026, 1, 20),
                   acting_user=None)
    deal = company.deal(acme, anna, amount="100000.00")
    win_deal(deal, acting_user=None, won_on=date(2026, 2, 3))
    assert list(Allocation.objects.values_list("amount", "effective_on")) == [
        (D("30000.00"), date(2026, 2, 3))]
    cancel_deal(deal, acting_user=None, closed_on=date(2026, 2, 10))
    deal.refresh_from_db()
    assert (deal.status, deal.number) == ("cancelled", 1)
    with pytest.raises(ActionError):
        lose_deal(deal, acting_user=None)


def test_the_hunters_planned_follow_up_goes_to_the_account_manager_at_the_handoff(company):
    from salesrelay.pipeline.actions import log_activity
    from salesrelay.pipeline.models import Activity

    anna = company.hunter()
    company.manager("Boris")
    acme = company.prospect("ACME Baths", anna)
    log_activity(client=acme, employee=anna, kind="call", acting_user=None,
                 done_on=date(2026, 1, 20), outcome="held")
    log_activity(client=acme, employee=anna, kind="call", acting_user=None,
                 planned_on=date(2026, 2, 10), subject="after delivery")
    win_deal(company.deal(acme, anna), acting_user=None, won_on=date(2026, 2, 3))
    assert sorted(Activity.objects.values_list("subject", "employee__name", "done_on")) == [
        ("", "Anna Hunter", date(2026, 1, 20)), ("after delivery", "Boris", None)]
