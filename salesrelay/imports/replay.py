"""Stage 4 of an import: the history replayed the way it would have been entered by hand.

Pure: no database, no Django. Wins in ``won_on`` order, payments in ``received_on`` order, on the
same day wins first and cancellations last, each applied with the rules the app's own actions
use: the deal number (``engine.ordinals``), the client's first-in-first-out ledger
(``engine.allocation``), the handoff and its round-robin (``engine.handoff``).

>>> from datetime import date
>>> from decimal import Decimal
>>> done = replay([Win(date(2026, 2, 1), "d1", "1", "C1", Decimal("100"))],
...               [Pay(date(2026, 1, 20), "p1", "P1", "C1", Decimal("60"), None, None)], [],
...               managers=[Manager("M1", date(2026, 1, 1), None)])
>>> done.numbers, done.handoffs
({'1': 1}, {'C1': ('M1', datetime.date(2026, 2, 1))})
>>> [(a.payment, a.deal, a.amount) for a in done.allocations]
[('p1', 'd1', Decimal('60'))]

The events are named tuples (two million of them are made and sorted for a million deals).
Ledger keys are the caller's (``deal``, ``payment``): stored rows by primary key, new ones by
anything hashable that is not one.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from salesrelay.engine.allocation import Allocated, AllocationError, ClientLedger
from salesrelay.engine.handoff import handoff_day, next_account_manager
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.ordinals import id_key_for


class Win(NamedTuple):
    day: date
    deal: Hashable
    ref: str
    client: str
    amount: Decimal


class Cancel(NamedTuple):
    day: date
    deal: Hashable
    ref: str
    client: str


class Pay(NamedTuple):
    day: date
    payment: Hashable
    ref: str
    client: str
    amount: Decimal
    deal: Hashable | None
    deal_ref: str | None


@dataclass(frozen=True, slots=True)
class Manager:
    """An account manager who may take a handoff, in round-robin order."""

    ref: str
    hired_on: date
    left_on: date | None

    def is_employed_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on >= day)


@dataclass
class ClientStart:
    """A stored client as the replay finds it: its ledger, its last deal number, whether and
    when it was handed off."""

    ledger: ClientLedger
    last_number: int = 0
    handed_off_on: date | None = None


@dataclass
class Replayed:
    numbers: dict[str, int] = field(default_factory=dict)  # deal ref -> its number
    allocations: list[Allocated] = field(default_factory=list)
    handoffs: dict[str, tuple[str | None, date]] = field(default_factory=dict)  # client ref
    refused: list[tuple[str, str]] = field(default_factory=list)  # payment ref, reason


WIN, PAY, CANCEL = 0, 1, 2


def replay(wins: Sequence[Win], payments: Sequence[Pay], cancels: Sequence[Cancel], *,
           managers: Sequence[Manager], starts: dict[str, ClientStart] | None = None,
           last_manager: str | None = None, chosen: dict[str, str] | None = None,
           handoff_on_payment: bool = False) -> Replayed:
    """``starts``: the stored clients' state (a client not in it starts empty);
    ``last_manager``: who took the last handoff stored; ``chosen``: the account manager a
    client's row names for its handoff."""
    starts = dict(starts or {})
    chosen = chosen or {}
    deal_key = id_key_for([w.ref for w in wins] + [c.ref for c in cancels])
    payment_key = id_key_for([p.ref for p in payments])
    # (day, kind, id, n, event): ``n`` settles ties of ids that compare equal ("01" and "1"),
    # so that tuples sort without a key function and never compare two events.
    events: list[tuple[date, int, Any, int, Win | Pay | Cancel]] = []
    events.extend((w.day, WIN, deal_key(w.ref), n, w) for n, w in enumerate(wins))
    events.extend((p.day, PAY, payment_key(p.ref), n, p) for n, p in enumerate(payments))
    events.extend((c.day, CANCEL, deal_key(c.ref), n, c) for n, c in enumerate(cancels))
    events.sort()

    done = Replayed()
    order = {m.ref: i for i, m in enumerate(managers)}
    last = [order.get(last_manager) if last_manager else None]

    ledger_of = ClientLedger
    active_on: dict[date, list[int]] = {}  # the managers employed on a day, by their place

    def hand_off(client: str, on: date) -> None:
        ref = chosen.get(client)
        if ref is None:
            active = active_on.get(on)
            if active is None:
                active = active_on[on] = [i for i, m in enumerate(managers)
                                          if m.is_employed_on(on)]
            index = next_account_manager(active, last=last[0])
            if index is not None:
                last[0] = index
            ref = managers[index].ref if index is not None else None
        else:
            last[0] = order[ref]
        starts[client].handed_off_on = on
        done.handoffs[client] = (ref, on)

    numbers, allocations = done.numbers, done.allocations
    for day, kind, _id, _n, event in events:
        state = starts.get(event.client)
        if state is None:
            state = starts[event.client] = ClientStart(ledger_of())
        # The events are one sorted list of differently shaped tuples; ``kind`` tells them apart,
        # which mypy cannot follow (hence the ignores on the unpacking below).
        if kind == WIN:
            _day, deal, ref, client, amount = event  # type: ignore[misc]
            state.last_number += 1
            numbers[ref] = state.last_number
            made = state.ledger.win(deal, won_on=day, amount=amount, sort_id=ref)
            if made:
                allocations.extend(made)
            if state.handed_off_on is None and (made or not handoff_on_payment):
                hand_off(client, day)
        elif kind == CANCEL:
            allocations.extend(state.ledger.cancel(event[1], on=day))
        else:
            _day, payment, ref, client, amount, deal, _deal_ref = event  # type: ignore[misc]
            try:
                made = state.ledger.pay(payment, day, amount, deal)
            except AllocationError as error:
                done.refused.append((ref, _refusal(error, event)))  # type: ignore[arg-type]
                continue
            allocations.extend(made)
            if handoff_on_payment and state.handed_off_on is None:
                on = handoff_day(made)
                if on is not None:
                    hand_off(client, on)
    return done


def _refusal(error: AllocationError, payment: Pay) -> str:
    if error.code == "refund_exceeds_paid":
        return (f"the refund of {-payment.amount} exceeds the "
                f"{round_money(error.available or ZERO)} "
                f"paid on deal {payment.deal_ref!r}")
    if error.code == "refund_exceeds_credit":
        return (f"the refund of {-payment.amount} is more than the client's credit of "
                f"{round_money(error.available or ZERO)}")
    return str(error)
