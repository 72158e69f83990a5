from datetime import date

import pytest

from salesrelay.clients.actions import (
    claim_prospect,
    reassign_clients_of,
    release_idle_prospects,
)
from salesrelay.clients.models import Client, Ownership
from salesrelay.deals.actions import win_deal
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.pipeline.actions import log_activity


def test_same_tax_id_or_same_normalised_name_is_refused_naming_the_owner(company):
    anna, pavel = company.hunter("Anna"), company.hunter("Pavel")
    company.prospect('ООО «Аква-Люкс»', anna, tax_id="7701234567")
    for name, tax_id in [("Aqua Other", "7701234567"), ("Аква Люкс", None)]:
        with pytest.raises(ActionError) as refused:
            company.prospect(name, pavel, tax_id=tax_id)
        assert refused.value.code == ErrorCode.DUPLICATE_CLIENT
        assert "already owned by Anna" in refused.value.message
    assert Client.objects.count() == 1


def test_free_pool_prospect_is_claimed_and_an_owned_one_is_refused(company):
    anna, pavel = company.hunter("Anna"), company.hunter("Pavel")
    pool = company.prospect("Free Baths", None)
    claim_prospect(pool, hunter=pavel, acting_user=None, on=date(2026, 2, 1))
    pool.refresh_from_db()
    assert (pool.owner, pool.acquired_by) == (pavel, pavel)
    with pytest.raises(ActionError) as refused:
        claim_prospect(pool, hunter=anna, acting_user=None, on=date(2026, 2, 2))
    assert "already owned by Pavel" in refused.value.message
    assert Ownership.objects.filter(client=pool).count() == 2


def test_idle_prospects_return_to_the_free_pool(company):
    anna = company.hunter("Anna")
    busy = company.prospect("Busy Baths", anna, created_on=date(2026, 1, 1))
    idle = company.prospect("Idle Baths", anna, created_on=date(2026, 1, 1))
    log_activity(client=busy, employee=anna, kind="call", done_on=date(2026, 3, 1),
                 outcome="done", acting_user=None)
    released = release_idle_prospects(on=date(2026, 4, 5), idle_days=90)
    assert [c.name for c in released] == ["Idle Baths"]
    idle.refresh_from_db()
    assert (idle.owner, idle.acquired_by) == (None, None)
    assert Ownership.objects.get(client=idle, ended_on=None).reason == "released"


def test_leaving_account_manager_clients_are_dealt_to_the_others(company):
    anna = company.hunter("Anna")
    boris, vera, gleb = company.manager("Boris"), company.manager("Vera"), company.manager("Gleb")
    clients = [company.prospect(f"Client {i}", anna) for i in range(6)]
    for client in clients:
        win_deal(company.deal(client, anna), acting_user=None, won_on=date(2026, 2, 1),
                 account_manager=boris)
    moved = reassign_clients_of(boris, on=date(2026, 3, 1), acting_user=None)
    assert len(moved) == 6
    owners = [Client.objects.get(pk=c.pk).owner.name for c in clients]
    assert owners == ["Vera", "Gleb", "Vera", "Gleb", "Vera", "Gleb"]
    assert not Client.objects.filter(owner=boris).exists()
    assert vera.owned_clients.count() == 3 and gleb.owned_clients.count() == 3
