"""What is at stake in an open deal: what its people would earn if it were won and paid in full.

The engine does not re-derive a rate for it. It runs the month twice — on the month's facts as
they are, and with the deal won and paid in full on ``day`` — and reports the difference of each
person's pay, so a share, a pool, a KPI bonus and a break-even bonus all count as the plan says.
The month's run without the deal is made once; each deal then costs one more run.

>>> stakes = Stakes(history, plans, date(2026, 3, 15))     # doctest: +SKIP
>>> stakes.of(OpenDeal("D9", "C1", "7", 2, amount, profit)).shares
(('7', Decimal('21600.00')), ('1', Decimal('43200.00')))

The people reported are the deal's owner and, when someone else brought the client, the client's
acquirer (the hunter whose share follows the client's first deals after the handoff).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from salesrelay.engine.inputs import Allocation, Deal, History
from salesrelay.engine.money import ZERO
from salesrelay.engine.payroll import Calculator
from salesrelay.engine.periods import Month
from salesrelay.engine.plans import PlanSet

PAYMENT_ID = "stake"
"""The id of the hypothetical payment in full (no stored payment is given this id)."""


@dataclass(frozen=True)
class OpenDeal:
    """An open deal as it would be won: ``number`` is the number the win would give it."""

    id: str
    client_id: str
    owner_id: str
    number: int
    amount: Decimal
    profit: Decimal


@dataclass(frozen=True)
class Stake:
    deal_id: str
    number: int
    shares: tuple[tuple[str, Decimal], ...]
    """(employee id, pay difference): the owner first, then the acquirer if another person."""

    def share_of(self, employee_id: str) -> Decimal | None:
        for person, amount in self.shares:
            if person == employee_id:
                return amount
        return None


class Stakes:
    """The stakes of any open deals in the month of ``day``, under ``plans``.

    ``history`` holds the facts of that month (``first == last``) and the clients of the deals
    to be asked about; a client missing from it is an error of the caller.
    """

    def __init__(self, history: History, plans: PlanSet, day: date) -> None:
        month = Month.of(day)
        if not history.first == month == history.last:
            raise ValueError(f"the stake of {day} needs the history of {month} alone, not "
                             f"{history.first} to {history.last}")
        self.history = history
        self.plans = plans
        self.day = day
        self.month = month
        self.base = Calculator(history, plans).month(month).totals()

    def of(self, deal: OpenDeal) -> Stake:
        if deal.client_id not in self.history.clients:
            raise ValueError(f"deal {deal.id}: its client {deal.client_id} is not in the history")
        if deal.id in self.history.deals:
            raise ValueError(f"deal {deal.id} is already won")
        won = Deal(deal.id, deal.client_id, deal.owner_id, deal.number, self.day, deal.amount,
                   deal.profit)
        paid = Allocation(PAYMENT_ID, deal.id, deal.amount, self.day, self.day)
        history = replace(self.history, deals={**self.history.deals, deal.id: won},
                          allocations=(*self.history.allocations, paid))
        totals = Calculator(history, self.plans).month(self.month).totals()
        people = [deal.owner_id]
        acquirer = self.history.clients[deal.client_id].acquired_by
        if acquirer is not None and acquirer != deal.owner_id:
            people.append(acquirer)
        shares = tuple((person, totals.get(person, ZERO) - self.base.get(person, ZERO))
                       for person in people)
        return Stake(deal.id, deal.number, shares)
