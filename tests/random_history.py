"""Random but lawful histories for property tests: wins and payments replayed through the same
``ClientLedger`` as the app, so allocations, credit, pending payments and refunds are real."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from salesrelay.engine.allocation import ClientLedger
from salesrelay.engine.inputs import Allocation, Client, Deal, Employee, History, Span
from salesrelay.engine.periods import Month

FIRST, LAST = Month(2026, 1), Month(2026, 4)


def _day(rng: random.Random) -> date:
    return FIRST.first + timedelta(days=rng.randint(0, (LAST.last - FIRST.first).days))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def random_history(seed: int) -> History:
    rng = random.Random(seed)
    employees = [
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
    clients, deals, allocations = {}, {}, []
    payment_no = 100
    for c in range(rng.randint(1, 4)):
        client_id = f"C{c}"
        acquirer = rng.choice(["1", "2", None])
        events = []
        for _ in range(rng.randint(1, 7)):
            amount = _money(rng, 0, 5000) if rng.random() < 0.9 else Decimal("0.00")
            profit = (amount * Decimal(rng.randint(-30, 90)) / 100).quantize(Decimal("0.01"))
            events.append((_day(rng), 0, "win", amount, profit))
        for _ in range(rng.randint(0, 8)):
            events.append((_day(rng), 1, "pay", _money(rng, 1, 4000), None))
        events.sort(key=lambda e: (e[0], e[1]))
        ledger = ClientLedger()
        won: list[str] = []
        paid: dict[str, Decimal] = {}
        received_on: dict[str, date] = {}
        first_win = None
        for day, _order, what, amount, profit in events:
            if what == "win":
                deal_id = str(len(deals) + 1)
                first_win = first_win or day
                cancelled = day + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.15 else None
                deals[deal_id] = Deal(deal_id, client_id, acquirer or "1", len(won) + 1, day, amount,
                                      profit, cancelled)
                won.append(deal_id)
                parts = ledger.win(deal_id, won_on=day, amount=amount, sort_id=deal_id)
            else:
                payment_no += 1
                payment = str(payment_no)
                received_on[payment] = day
                if won and rng.random() < 0.25:
                    target = rng.choice(won)
                    refundable = ledger.allocated(target)
                    if refundable > 0:
                        amount = -min(amount, refundable)
                    parts = ledger.pay(payment, day, amount, deal=target)
                elif won and rng.random() < 0.5:
                    parts = ledger.pay(payment, day, amount, deal=rng.choice(won))
                else:
                    parts = ledger.pay(payment, day, amount)
            for part in parts:
                received = received_on[part.payment]
                allocations.append(Allocation(str(part.payment), str(part.deal), part.amount,
                                              part.effective_on, received))
                paid[part.deal] = paid.get(part.deal, Decimal(0)) + part.amount
        spans = []
        if acquirer:
            spans.append(Span(acquirer, "acquisition", date(2025, 6, 1), first_win))
        if first_win:
            manager = rng.choice(["10", "9", "11", None])
            moved = first_win + timedelta(days=rng.randint(5, 60)) if rng.random() < 0.3 else None
            spans.append(Span(manager, "account_management", first_win, moved))
            if moved:
                spans.append(Span(rng.choice(["10", "9"]), "account_management", moved))
        clients[client_id] = Client(client_id, rng.choice(["dealer", "retail_chain"]), acquirer,
                                    tuple(spans))
    allocations.sort(key=lambda a: (a.effective_on, a.received_on, int(a.payment_id)))
    fixed = {m: _money(rng, 0, 3000) for m in (FIRST, FIRST.next(), LAST)}
    return History(FIRST, LAST, tuple(employees), clients, deals, tuple(allocations), {}, fixed,
                   {(m, "new_clients"): Decimal(1) for m in (FIRST, LAST)})
