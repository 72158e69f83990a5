"""The app stores a client's ledger and loads it back before every action: random histories of
wins, payments, refunds and cancellations recorded one action at a time give exactly the
allocations of the same history replayed in memory (and of the row-by-row reference)."""

from datetime import date

import pytest

from bench.reference import reference_allocations
from salesrelay.deals.actions import cancel_deal, win_deal
from salesrelay.payments.actions import record_payment
from salesrelay.payments.ledger import load_ledger
from salesrelay.payments.models import Allocation
from tests.random_history import random_events


@pytest.mark.parametrize("seed", range(24))
def test_actions_one_at_a_time_store_what_the_ledger_makes_in_memory(company, seed):
    hunter = company.hunter(hired_on=date(2025, 1, 1))
    company.manager(hired_on=date(2025, 1, 1))
    _rng, replays, _deals = random_events(seed)
    for number, replay in enumerate(replays):
        if any(e[0] == "win" and e[3] == 0 for e in replay.events):
            continue  # the app refuses to win a deal without an amount
        client = company.prospect(f"Client {seed}-{number}", hunter, created_on=date(2025, 12, 1))
        deals = {e[2]: company.deal(client, hunter, amount=str(e[3]), cost="0.00",
                                    created_on=date(2025, 12, 1))
                 for e in replay.events if e[0] == "win"}
        payments = {}
        for event in replay.events:
            if event[0] == "win":
                win_deal(deals[event[2]], acting_user=None, won_on=event[1])
            elif event[0] == "cancel":
                cancel_deal(deals[event[2]], acting_user=None, closed_on=event[1])
            else:
                _kind, day, payment, amount, target = event
                payments[payment] = record_payment(
                    amount=amount, received_on=day, acting_user=None,
                    client=client if target is None else None,
                    deal=deals[target] if target is not None else None)
        refs = {d.pk: key for key, d in deals.items()}
        payment_refs = {p.pk: key for key, p in payments.items()}
        stored = [(payment_refs[p], refs[d], amount, on, refs.get(r))
                  for p, d, amount, on, r in Allocation.objects.filter(deal__client=client)
                  .order_by("id").values_list("payment_id", "deal_id", "amount", "effective_on",
                                              "released_from_id")]
        expected = [(a.payment, a.deal, a.amount, a.effective_on, a.released_from)
                    for a in replay.made]
        assert stored == expected == reference_allocations(replay.events)
        assert load_ledger(client).credit == replay.ledger.credit
        assert [(payment_refs[c.payment], c.remaining, refs.get(c.released_from))
                for c in load_ledger(client).credit_parts()] == [
            (c.payment, c.remaining, c.released_from) for c in replay.ledger.credit_parts()]
