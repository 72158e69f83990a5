"""The stored roll-ups (``Deal.received``, ``Collected``) equal what the allocations and the
ownerships give after every kind of write, and the collections page reads the same figures.

The company of ``salesrelay.analytics.tests.history`` (imported: the importer's path), then in
May: 5 000 paid on Volga's deal 2 (ref 7, 30 000, unpaid), Volga handed to Boris (M1) back-dated
to 04-01 (it was Vera's, M2), 1 000 of it refunded, the deal cancelled (4 000 reversed: credit,
Volga's other deal being paid), a new 3 000 deal for Volga won and paid from the credit, and
Volga moved to another segment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.analytics import selectors
from salesrelay.analytics.filters import Filters
from salesrelay.analytics.tests.history import import_history
from salesrelay.clients.actions import assign_account_manager, update_client_details
from salesrelay.clients.models import Client
from salesrelay.deals.actions import LineInput, cancel_deal, open_deal, win_deal
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.payments import collected
from salesrelay.payments.actions import record_payment
from salesrelay.people.access import Viewer
from salesrelay.people.models import Employee

JAN, APR, MAY = Month(2026, 1), Month(2026, 4), Month(2026, 5)
TODAY = date(2026, 5, 15)
DIRECTOR = Viewer(None, None, "director", "management")


def _managers():
    result = selectors.collections(DIRECTOR, Filters(JAN, MAY), today=TODAY)
    return ([m.total for m in result.months],
            [(m.person.id, m.amounts[3:]) for m in result.managers])


@pytest.fixture
def volga(db, tmp_path):
    import_history(tmp_path / "history")
    assert collected.differences() == []
    return Client.objects.get(ref="C2")


def test_every_writer_keeps_the_roll_ups_in_step(volga):
    boris = Employee.objects.get(ref="M1")
    deal = Deal.objects.get(ref="7")
    assert (Deal.objects.get(ref="2").received, deal.received) == (D("50000.00"), D("0.00"))

    record_payment(amount=D("5000.00"), received_on=date(2026, 5, 2), deal=deal, acting_user=None)
    assert collected.differences() == []
    assert _managers() == (
        [D("100000.00"), D("25000.00"), D("180000.00"), D("27000.00"), D("5000.00")],
        [("M1", (D("0.00"), D("0.00"))), ("M2", (D("27000.00"), D("5000.00")))])

    # Back-dated: Vera's April payment of Volga (25 000) and May's 5 000 become Boris's.
    assign_account_manager(volga, to=boris, acting_user=None, on=date(2026, 4, 1))
    assert collected.differences() == []
    assert _managers() == (
        [D("100000.00"), D("25000.00"), D("180000.00"), D("27000.00"), D("5000.00")],
        [("M1", (D("25000.00"), D("5000.00"))), ("M2", (D("2000.00"), D("0.00")))])

    record_payment(amount=D("-1000.00"), received_on=date(2026, 5, 3), deal=deal,
                   acting_user=None)
    assert collected.differences() == []
    assert Deal.objects.get(ref="7").received == D("4000.00")

    cancel_deal(Deal.objects.get(ref="7"), acting_user=None, closed_on=date(2026, 5, 4))
    assert collected.differences() == []
    assert Deal.objects.get(ref="7").received == D("0.00")
    # May's money came to nothing; Boris is still listed, as his allocations show him.
    assert _managers() == (
        [D("100000.00"), D("25000.00"), D("180000.00"), D("27000.00"), D("0.00")],
        [("M1", (D("25000.00"), D("0.00"))), ("M2", (D("2000.00"), D("0.00")))])

    new = open_deal(client=volga, owner=boris, acting_user=None, created_on=date(2026, 5, 5),
                    lines=[LineInput(None, D("1"), D("3000.00"), D("1000.00"), "tiles")])
    win_deal(new, acting_user=None, won_on=date(2026, 5, 6))
    assert collected.differences() == []
    assert Deal.objects.get(pk=new.pk).received == D("3000.00")
    assert _managers() == (
        [D("100000.00"), D("25000.00"), D("180000.00"), D("27000.00"), D("3000.00")],
        [("M1", (D("25000.00"), D("3000.00"))), ("M2", (D("2000.00"), D("0.00")))])

    update_client_details(volga, changes={"segment": "retail_chain"}, acting_user=None)
    assert collected.differences() == []
    chains = selectors.collections(DIRECTOR, Filters(JAN, MAY, segment="retail_chain"),
                                   today=TODAY)
    # ACME (100 000 in January, 100 000 in March) and now Volga (25 000, 25 000, 3 000).
    assert [m.total for m in chains.months] == [
        D("100000.00"), D("25000.00"), D("100000.00"), D("25000.00"), D("3000.00")]


def test_an_account_manager_reads_the_department_less_the_clients_outside_it(volga):
    """Kama (C6) stays with acquisition here: its 2 000 of April is outside the department's
    slice, and is taken off the company's figures."""
    Client.objects.filter(ref="C6").update(owning_department="acquisition")
    vera = Employee.objects.get(ref="M2")
    result = selectors.collections(Viewer(None, vera, vera.role, vera.department),
                                   Filters(JAN, APR), today=TODAY)
    assert [m.total for m in result.months] == [
        D("100000.00"), D("25000.00"), D("180000.00"), D("25000.00")]
    assert [(m.person.id, m.amounts) for m in result.managers] == [
        ("M2", (D("0.00"), D("25000.00"), D("0.00"), D("25000.00")))]


def test_a_rebuild_gives_what_the_writers_kept(volga):
    record_payment(amount=D("5000.00"), received_on=date(2026, 5, 2),
                   deal=Deal.objects.get(ref="7"), acting_user=None)
    kept = sorted(collected.sums(collected.Allocation.objects.all()).items())
    collected.rebuild()
    collected.refresh_received()
    assert collected.differences() == []
    assert sorted(collected.sums(collected.Allocation.objects.all()).items()) == kept


def test_the_check_command_finds_a_stale_figure(volga):
    from django.core.management import CommandError, call_command

    call_command("collected")
    Deal.objects.filter(ref="7").update(received=D("1.00"))
    with pytest.raises(CommandError, match="1 differences"):
        call_command("collected")
    call_command("collected", "--rebuild")
    assert collected.differences() == []


def test_a_later_import_adds_its_payments_to_the_roll_ups(volga, tmp_path):
    from salesrelay.analytics.tests.history import FILES
    from salesrelay.imports.importer import run_import

    folder = tmp_path / "later"
    folder.mkdir()
    for name, text in FILES.items():
        if name == "payments":
            text += "P7,2026-05-02,5000.00,7,\n"
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    assert run_import(folder, progress=lambda _text: None).ok
    assert collected.differences() == []
    assert Deal.objects.get(ref="7").received == D("5000.00")
    assert _managers() == (
        [D("100000.00"), D("25000.00"), D("180000.00"), D("27000.00"), D("5000.00")],
        [("M1", (D("0.00"), D("0.00"))), ("M2", (D("27000.00"), D("5000.00")))])
