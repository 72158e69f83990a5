"""Applying a client's payments to its deals, and releasing them at a cancellation (SPEC §1).

A payment against a deal is applied to that deal. A payment against the client only goes
first-in-first-out to the client's won, not cancelled deals that still have a balance, oldest
``won_on`` first (then the deal id); the rest stays as the client's credit and goes to the next
deal won. Each part is an allocation whose effective date is the later of the payment's
``received_on`` and the deal's ``won_on``. A refund is a negative payment: it names its deal and
takes back at most what that deal holds, or it names the client and draws on the client's credit,
at most all of it (oldest credit first).

A **cancellation** releases what the deal holds: each payment's part is reversed by a negative
allocation effective on the cancellation day (a refund, as far as pay is concerned) and becomes
the client's credit as of that day, which goes first-in-first-out to the client's other won deals
with a balance, and what is left to the next deal won. A payment naming a deal already cancelled
is the client's money, exactly like a payment naming the client; a refund naming it draws on the
credit.

>>> ledger = ClientLedger()
>>> ledger.win("D1", won_on=date(2026, 1, 10), amount=Decimal("100.00"))
[]
>>> [a.amount for a in ledger.pay("P1", date(2026, 1, 20), Decimal("150.00"))]
[Decimal('100.00')]
>>> ledger.credit
Decimal('50.00')
>>> ledger.win("D2", won_on=date(2026, 2, 1), amount=Decimal("80.00"))[0].effective_on
datetime.date(2026, 2, 1)
>>> [(a.deal, a.amount) for a in ledger.cancel("D1", on=date(2026, 3, 2))]
[('D1', Decimal('-100.00')), ('D2', Decimal('30.00'))]
>>> ledger.credit
Decimal('70.00')

A payment against a deal that is not won yet waits for the win and is applied to it then (its
effective date is the win's).

Events must be given in the order they happened: by date, and on one day the wins first, then
the payments (in ``received_on`` order, then id), then the cancellations. The importer replays
files that way and the app records them that way.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from salesrelay.engine.money import ZERO
from salesrelay.engine.ordinals import win_sort_key


class AllocationError(ValueError):
    """A payment that cannot be applied; ``code`` names the reason for messages and tests, and
    ``available`` the amount a refund could have taken (what the deal holds, or the credit)."""

    def __init__(self, code: str, message: str, available: Decimal | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.available = available


@dataclass(frozen=True, slots=True)
class Allocated:
    """A part of ``payment`` applied to ``deal``. ``released_from`` is the cancelled deal whose
    money this is: on the reversal itself it is ``deal``; on a re-allocation, the deal whose
    cancellation released it."""

    payment: Hashable
    deal: Hashable
    amount: Decimal
    effective_on: date
    released_from: Hashable | None = None

    @property
    def is_reversal(self) -> bool:
        return self.released_from is not None and self.released_from == self.deal


@dataclass(frozen=True, slots=True)
class CreditPart:
    """Money of ``payment`` held as the client's credit since ``since``; ``released_from`` is the
    cancelled deal that released it (``None``: what was left of a client-level payment)."""

    payment: Hashable
    since: date
    remaining: Decimal
    released_from: Hashable | None = None


@dataclass(slots=True)
class _Deal:
    key: Hashable
    sort_id: str
    won_on: date
    amount: Decimal
    allocated: Decimal
    cancelled: bool
    # What each payment put on the deal, in the order it came: what a cancellation gives back.
    held: list[tuple[Hashable, Decimal]] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.amount - self.allocated


@dataclass(slots=True)
class _Credit:
    payment: Hashable
    received_on: date
    remaining: Decimal
    released_from: Hashable | None = None


class ClientLedger:
    """The won deals and the unallocated credit of one client, and what a new event does to them."""

    def __init__(self) -> None:
        self._deals: dict[Hashable, _Deal] = {}
        self._credits: list[_Credit] = []
        self._pending: dict[Hashable, list[_Credit]] = {}

    # Loading the state already stored ----------------------------------------------------
    def add_deal(
        self,
        key: Hashable,
        *,
        won_on: date,
        amount: Decimal,
        allocated: Decimal = ZERO,
        cancelled: bool = False,
        sort_id: str | None = None,
        held: Iterable[tuple[Hashable, Decimal]] = (),
    ) -> None:
        """A won (or cancelled) deal. ``held``: what each payment put on it, in the order the
        payments came (their sum is ``allocated``); a cancellation gives that back."""
        self._deals[key] = _Deal(
            key, str(key) if sort_id is None else sort_id, won_on, amount, allocated, cancelled,
            list(held),
        )

    def add_credit(
        self,
        payment: Hashable,
        *,
        received_on: date,
        remaining: Decimal,
        released_from: Hashable | None = None,
    ) -> None:
        """Credit already held, added oldest first (the order it is used in)."""
        if remaining > 0:
            self._credits.append(_Credit(payment, received_on, remaining, released_from))

    def add_refunded(self, amount: Decimal) -> None:
        """Refunds already paid out of the credit (after every :meth:`add_credit`): they took the
        oldest credit first, as :meth:`pay` does."""
        if amount > 0:
            self._draw(amount)

    def add_pending(
        self, payment: Hashable, *, deal: Hashable, received_on: date, amount: Decimal
    ) -> None:
        """A payment already recorded against a deal that is not won yet."""
        self._pending.setdefault(deal, []).append(_Credit(payment, received_on, amount))

    # Reading ---------------------------------------------------------------------------------
    @property
    def credit(self) -> Decimal:
        return sum((c.remaining for c in self._credits), ZERO)

    def credit_parts(self) -> list[CreditPart]:
        """The credit, oldest first: whose money it is and where it came from."""
        return [CreditPart(c.payment, c.received_on, c.remaining, c.released_from)
                for c in self._credits]

    def allocated(self, deal: Hashable) -> Decimal:
        target = self._deals.get(deal)
        return self.pending(deal) if target is None else target.allocated

    def pending(self, deal: Hashable) -> Decimal:
        return sum((p.remaining for p in self._pending.get(deal, [])), ZERO)

    # Events ----------------------------------------------------------------------------------
    def win(
        self, key: Hashable, *, won_on: date, amount: Decimal, sort_id: str | None = None
    ) -> list[Allocated]:
        """A deal is won: it takes what was paid against it before, then the client's credit,
        oldest first."""
        if key in self._deals:
            raise AllocationError("already_won", f"deal {key} is already won")
        target = self._deals[key] = _Deal(key, str(key) if sort_id is None else sort_id, won_on,
                                          amount, ZERO, False, [])
        result = []
        for early in self._pending.pop(key, ()):
            result.append(self._apply(target, early.payment, early.remaining, won_on))
        if self._credits:  # most clients have none: a million wins skip the call
            result += self._apply_credit(target)
        return result

    def cancel(self, key: Hashable, *, on: date) -> list[Allocated]:
        """A won deal is cancelled on ``on``: what each payment put on it is reversed that day and
        becomes the client's credit, which goes at once to the client's other won deals with a
        balance (oldest first); what is left waits for the next deal won."""
        target = self._deals.get(key)
        if target is None:
            raise AllocationError("not_won", f"deal {key} is not won")
        if target.cancelled:
            raise AllocationError("already_cancelled", f"deal {key} is already cancelled")
        target.cancelled = True
        released = _holdings(target)
        result = [Allocated(payment, key, -amount, on, key) for payment, amount in released]
        target.allocated -= sum((amount for _payment, amount in released), ZERO)
        target.held.clear()
        for payment, amount in released:
            result += self._spread(payment, on, amount, released_from=key)
        return result

    def pay(
        self,
        payment: Hashable,
        received_on: date,
        amount: Decimal,
        deal: Hashable | None = None,
    ) -> list[Allocated]:
        if amount == 0:
            raise AllocationError("zero_payment", "a payment of zero applies to nothing")
        if deal is not None:
            target = self._deals.get(deal)
            if target is None:
                return self._pay_pending(payment, received_on, amount, deal)
            if not target.cancelled:
                return self._pay_deal(payment, received_on, amount, target)
            # A deal already cancelled: the money is the client's, as if it named the client.
        if amount < 0:
            return self._refund_credit(amount)
        return self._spread(payment, received_on, amount)

    # ------------------------------------------------------------------------------------------
    def _apply(self, target: _Deal, payment: Hashable, amount: Decimal, effective_on: date,
               released_from: Hashable | None = None) -> Allocated:
        target.allocated += amount
        target.held.append((payment, amount))
        return Allocated(payment, target.key, amount, effective_on, released_from)

    def _pay_pending(
        self, payment: Hashable, received_on: date, amount: Decimal, key: Hashable
    ) -> list[Allocated]:
        # Not won yet: the money waits for the win (the caller knows the deal is open).
        if amount < 0 and self.pending(key) + amount < 0:
            raise AllocationError(
                "refund_exceeds_paid",
                f"the refund of {-amount} exceeds the {self.pending(key)} paid on deal {key}",
                self.pending(key),
            )
        self.add_pending(payment, deal=key, received_on=received_on, amount=amount)
        return []

    def _pay_deal(
        self, payment: Hashable, received_on: date, amount: Decimal, target: _Deal
    ) -> list[Allocated]:
        if amount < 0 and target.allocated + amount < 0:
            raise AllocationError(
                "refund_exceeds_paid",
                f"the refund of {-amount} exceeds the {target.allocated} paid on deal "
                f"{target.key}",
                target.allocated,
            )
        return [self._apply(target, payment, amount, max(received_on, target.won_on))]

    def _refund_credit(self, amount: Decimal) -> list[Allocated]:
        credit = self.credit
        if credit + amount < 0:
            raise AllocationError(
                "refund_exceeds_credit",
                f"the refund of {-amount} is more than the client's credit of {credit}",
                credit,
            )
        self._draw(-amount)
        return []

    def _draw(self, amount: Decimal) -> None:
        for credit in self._credits:
            if amount <= 0:
                break
            part = min(credit.remaining, amount)
            credit.remaining -= part
            amount -= part
        self._credits = [c for c in self._credits if c.remaining > 0]

    def _spread(self, payment: Hashable, on: date, amount: Decimal,
                released_from: Hashable | None = None) -> list[Allocated]:
        """Client money received (or released) on ``on``: to the won, not cancelled deals with a
        balance, oldest first; the rest is credit."""
        result = []
        remaining = amount
        owed = sorted(
            (d for d in self._deals.values() if not d.cancelled and d.balance > 0),
            key=lambda d: win_sort_key((d.won_on, d.sort_id)),
        )
        for target in owed:
            if remaining == 0:
                break
            part = min(remaining, target.balance)
            remaining -= part
            result.append(self._apply(target, payment, part, max(on, target.won_on),
                                      released_from))
        if remaining > 0:
            self._credits.append(_Credit(payment, on, remaining, released_from))
        return result

    def _apply_credit(self, target: _Deal) -> list[Allocated]:
        result = []
        for credit in self._credits:
            if target.balance <= 0:
                break
            part = min(credit.remaining, target.balance)
            if part <= 0:
                continue
            credit.remaining -= part
            effective = max(credit.received_on, target.won_on)
            result.append(self._apply(target, credit.payment, part, effective,
                                      credit.released_from))
        self._credits = [c for c in self._credits if c.remaining > 0]
        return result


def _holdings(deal: _Deal) -> list[tuple[Hashable, Decimal]]:
    """What each payment has on the deal, net, in the order the payments came. A refund on the
    deal gave back part of what the earliest payments put on it, so it is netted against them."""
    net: dict[Hashable, Decimal] = {}
    for payment, amount in deal.held:
        net[payment] = net.get(payment, ZERO) + amount
    refunded = -sum((amount for amount in net.values() if amount < 0), ZERO)
    result = []
    for payment, amount in net.items():
        if amount <= 0:
            continue
        taken = min(amount, refunded)
        refunded -= taken
        if amount > taken:
            result.append((payment, amount - taken))
    return result
