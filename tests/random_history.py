"""Random but lawful histories for property tests: wins, payments, refunds and cancellations
replayed through the same ``ClientLedger`` as the app, so allocations, credit, pending payments,
refunds and the money cancellations release are real.

``random_events(seed)`` gives each client's events as they happened (the form of
``bench.reference.reference_allocations``) with the allocations the ledger made of them;
``random_history(seed)`` is the engine's input built from them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from salesrelay.engine.allocation import Allocated, ClientLedger
from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History, Span
from salesrelay.engine.periods import Month

FIRST, LAST = Month(2026, 1), Month(2026, 4)
WIN, PAY, CANCEL = 0, 1, 2  # the order of one day's events


def _day(rng: random.Random) -> date:
    return FIRST.first + timedelta(days=rng.randint(0, (LAST.last - FIRST.first).days))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _employees(rng: random.Random) -> list[Employee]:
    return [
        Employee("1", "H1", "acquisition", "hunter", date(2025, 1, 1)),
        Employee("2", "H2", "acquisition", "hunter", date(2025, 1, 1),
                 rng.choice([None, _day(rng)])),
        Employee("10", "M1", "account_management", "account_manager", date(2025, 1, 1), None,
                 Decimal(rng.choice(["1", "1.5", "2"])), Decimal("80000.00")),
        Employee("9", "M2", "account_management", "account_manager", rng.choice(
            [date(2025, 1, 1), _day(rng)]), None, Decimal(rng.choice(["1", "0.5"]))),
        Employee("11", "M3", "account_management", "account_manager", date(2025, 1, 1),
                 rng.choice([None, _day(rng)]), Decimal("1")),
    ]


class _Client:
    """One client's replay: the events as they happened and what the ledger made of them."""

    def __init__(self, rng: random.Random, client_id: str, deals: dict, payments: list[int]) -> None:
        self.rng = rng
        self.id = client_id
        self.acquirer = rng.choice(["1", "2", None])
        self.ledger = ClientLedger()
        self.events: list[tuple] = []
        self.made: list[Allocated] = []
        self.won: list[str] = []
        self.cancelled: set[str] = set()
        self.received_on: dict[str, date] = {}
        self.first_win: date | None = None
        self.deals = deals
        self.payments = payments

    def replay(self) -> None:
        rng = self.rng
        queue: list[tuple] = []  # (day, WIN | PAY | CANCEL, order within the kind, payload)
        for order in range(rng.randint(1, 7)):
            amount = _money(rng, 0, 5000) if rng.random() < 0.9 else Decimal("0.00")
            profit = (amount * Decimal(rng.randint(-30, 90)) / 100).quantize(Decimal("0.01"))
            day = _day(rng)
            cancel = day + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.25 else None
            queue.append((day, WIN, order, (amount, profit, cancel)))
        for order in range(rng.randint(0, 9)):
            queue.append((_day(rng), PAY, order, _money(rng, 1, 4000)))
        while queue:
            queue.sort(key=lambda e: e[:3])
            day, what, _order, payload = queue.pop(0)
            if what == WIN:
                amount, profit, cancel = payload
                deal_id = self._win(day, amount, profit, cancel)
                if cancel is not None and cancel <= LAST.last:
                    queue.append((cancel, CANCEL, int(deal_id), deal_id))
            elif what == PAY:
                self._pay(day, payload)
            else:
                self.events.append(("cancel", day, payload))
                self.cancelled.add(payload)
                self.made += self.ledger.cancel(payload, on=day)

    def _win(self, day: date, amount: Decimal, profit: Decimal, cancel: date | None) -> str:
        deal_id = str(len(self.deals) + 1)
        self.first_win = self.first_win or day
        cancelled = cancel if cancel is not None and cancel <= LAST.last else None
        self.deals[deal_id] = Deal(deal_id, self.id, self.acquirer or "1", len(self.won) + 1, day,
                                   amount, profit, cancelled)
        self.won.append(deal_id)
        self.events.append(("win", day, deal_id, amount))
        self.made += self.ledger.win(deal_id, won_on=day, amount=amount, sort_id=deal_id)
        return deal_id

    def _pay(self, day: date, amount: Decimal) -> None:
        rng = self.rng
        self.payments[0] += 1
        payment = str(self.payments[0])
        self.received_on[payment] = day
        target: str | None = None
        roll = rng.random()
        if self.won and roll < 0.25:
            # A refund of what the deal holds or, the deal cancelled, of the client's credit.
            target = rng.choice(self.won)
            refundable = (self.ledger.credit if target in self.cancelled
                          else self.ledger.allocated(target))
            if refundable > 0:
                amount = -min(amount, refundable)
        elif roll < 0.35 and self.ledger.credit > 0:
            amount = -min(amount, self.ledger.credit)  # a refund of credit, naming the client
        elif self.won and roll < 0.65:
            target = rng.choice(self.won)
        self.events.append(("pay", day, payment, amount, target))
        self.made += self.ledger.pay(payment, day, amount, deal=target)


def random_events(seed: int) -> tuple[random.Random, list[_Client], dict[str, Deal]]:
    rng = random.Random(seed)
    deals: dict[str, Deal] = {}
    payments = [100]
    clients = []
    for c in range(rng.randint(1, 4)):
        replay = _Client(rng, f"C{c}", deals, payments)
        replay.replay()
        clients.append(replay)
    return rng, clients, deals


def random_history(seed: int) -> History:
    rng = random.Random(seed)
    employees = _employees(rng)
    _rng, replays, deals = random_events(rng.randint(0, 10**9))
    clients, allocations = {}, []
    for replay in replays:
        for index, part in enumerate(replay.made):
            allocations.append((index, Allocation(
                str(part.payment), str(part.deal), part.amount, part.effective_on,
                replay.received_on[str(part.payment)],
                None if part.released_from is None else str(part.released_from))))
        spans = []
        if replay.acquirer:
            spans.append(Span(replay.acquirer, "acquisition", date(2025, 6, 1), replay.first_win))
        if replay.first_win:
            manager = rng.choice(["10", "9", "11", None])
            moved = replay.first_win + timedelta(days=rng.randint(5, 60)) \
                if rng.random() < 0.3 else None
            spans.append(Span(manager, "account_management", replay.first_win, moved))
            if moved:
                spans.append(Span(rng.choice(["10", "9"]), "account_management", moved))
        clients[replay.id] = Client(replay.id, rng.choice(["dealer", "retail_chain"]),
                                    replay.acquirer, tuple(spans))

    def counting_order(entry: tuple[int, Allocation]) -> tuple:
        # As the app's selector orders them: on a day, what a cancellation moved comes after the
        # day's payments, in the order it was made.
        index, a = entry
        source = deals[a.released_from] if a.released_from is not None else None
        if source is not None and source.cancelled_on == a.effective_on:
            return (a.effective_on, 1, index)
        return (a.effective_on, 0, a.received_on, int(a.payment_id))

    ordered = tuple(a for _index, a in sorted(allocations, key=counting_order))
    fixed = {m: _money(rng, 0, 3000) for m in (FIRST, FIRST.next(), LAST)}
    return History(FIRST, LAST, tuple(employees), clients, deals, ordered, {}, fixed,
                   {(m, "new_clients"): Decimal(1) for m in (FIRST, LAST)})
