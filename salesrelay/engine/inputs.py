"""What the engine is given: the facts of a range of months, as frozen values.

A selector in the app loads a :class:`History` from the database in a bounded number of queries;
tests build one by hand. The engine never asks for more: everything a rule needs is here.

Allocations are given in the order they count — effective date, then the payment's received date
and id; on a day, what a cancellation moved (its reversals and the re-allocation of the money it
released) after the day's payments, in the order it was made — together with what each deal had
received before the range (``allocated_before``), so the part of a payment that moves a deal's
cumulative amount within ``[0, amount]`` is known without the rest of the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from salesrelay.engine.periods import Month, overlap_days


@dataclass(frozen=True)
class Employee:
    id: str
    name: str
    department: str
    role: str
    hired_on: date
    left_on: date | None = None
    pool_weight: Decimal = Decimal(1)
    market_salary: Decimal | None = None

    def employed_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or day <= self.left_on)

    def days_employed(self, first: date, last: date) -> int:
        return overlap_days(first, last, self.hired_on, self.left_on)


@dataclass(frozen=True)
class Span:
    """Who owned a client over ``[started_on, ended_on)``: an employee, or a department's queue."""

    employee_id: str | None
    department: str
    started_on: date
    ended_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


@dataclass(frozen=True)
class Client:
    id: str
    segment: str
    acquired_by: str | None
    ownership: tuple[Span, ...] = ()

    def owner_on(self, day: date) -> Span | None:
        for span in self.ownership:
            if span.covers(day):
                return span
        return None


@dataclass(frozen=True)
class Deal:
    """A won deal (possibly cancelled later). ``profit`` = amount − cost of goods − direct costs."""

    id: str
    client_id: str
    owner_id: str
    number: int
    won_on: date
    amount: Decimal
    profit: Decimal
    cancelled_on: date | None = None


@dataclass(frozen=True)
class Allocation:
    """``released_from``: the cancelled deal whose money this is — the deal itself on the negative
    reversal of a cancellation, another deal on the re-allocation of what it released."""

    payment_id: str
    deal_id: str
    amount: Decimal
    effective_on: date
    received_on: date
    released_from: str | None = None

    @property
    def is_reversal(self) -> bool:
        return self.released_from is not None and self.released_from == self.deal_id


@dataclass(frozen=True)
class Meeting:
    id: str
    client_id: str
    employee_id: str
    held_on: date


@dataclass(frozen=True)
class History:
    """The facts of the months ``first`` to ``last``.

    ``deals`` holds every deal an allocation, win, cancellation or meeting of the range refers to;
    ``wins_by_client`` the ``won_on`` dates of won (not cancelled) deals of the clients met in the
    range, for the meeting → deal conversion.
    """

    first: Month
    last: Month
    employees: tuple[Employee, ...]
    clients: Mapping[str, Client]
    deals: Mapping[str, Deal]
    allocations: tuple[Allocation, ...] = ()
    allocated_before: Mapping[str, Decimal] = field(default_factory=dict)
    fixed_costs: Mapping[Month, Decimal] = field(default_factory=dict)
    targets: Mapping[tuple[Month, str], Decimal] = field(default_factory=dict)
    meetings: tuple[Meeting, ...] = ()
    wins_by_client: Mapping[str, tuple[date, ...]] = field(default_factory=dict)
