"""Applying a client's payments to its deals (SPEC §1).

A payment against a deal is applied to that deal; a refund is a negative payment and names its
deal. A payment against the client only goes first-in-first-out to the client's won, not
cancelled deals that still have a balance, oldest ``won_on`` first; the rest stays as the client's
credit and goes to the next deal won. Each part is an allocation whose effective date is the
later of the payment's ``received_on`` and the deal's ``won_on``.

>>> ledger = ClientLedger()
>>> ledger.win("D1", won_on=date(2026, 1, 10), amount=Decimal("100.00"))
[]
>>> [a.amount for a in ledger.pay("P1", date(2026, 1, 20), Decimal("150.00"))]
[Decimal('100.00')]
>>> ledger.credit
Decimal('50.00')
>>> ledger.win("D2", won_on=date(2026, 2, 1), amount=Decimal("80.00"))[0].effective_on
datetime.date(2026, 2, 1)

A payment against a deal that is not won yet waits for the win and is applied to it then (its
effective date is the win's).

Payments must be given in ``received_on`` order and wins in ``won_on`` order, interleaved as
they happened; the importer replays files that way and the app records them that way.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from salesrelay.engine.money import ZERO
from salesrelay.engine.ordinals import win_sort_key


class AllocationError(ValueError):
    """A payment that cannot be applied; ``code`` names the reason for messages and tests."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Allocated:
    payment: Hashable
    deal: Hashable
    amount: Decimal
    effective_on: date


@dataclass
class _Deal:
    key: Hashable
    sort_id: str
    won_on: date
    amount: Decimal
    allocated: Decimal
    cancelled: bool

    @property
    def balance(self) -> Decimal:
        return self.amount - self.allocated


@dataclass
class _Credit:
    payment: Hashable
    received_on: date
    remaining: Decimal


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
    ) -> None:
        self._deals[key] = _Deal(
            key, str(key) if sort_id is None else sort_id, won_on, amount, allocated, cancelled
        )

    def add_credit(self, payment: Hashable, *, received_on: date, remaining: Decimal) -> None:
        if remaining > 0:
            self._credits.append(_Credit(payment, received_on, remaining))

    def add_pending(
        self, payment: Hashable, *, deal: Hashable, received_on: date, amount: Decimal
    ) -> None:
        """A payment already recorded against a deal that is not won yet."""
        self._pending.setdefault(deal, []).append(_Credit(payment, received_on, amount))

    @property
    def credit(self) -> Decimal:
        return sum((c.remaining for c in self._credits), ZERO)

    def allocated(self, deal: Hashable) -> Decimal:
        target = self._deals.get(deal)
        return self.pending(deal) if target is None else target.allocated

    # Events ----------------------------------------------------------------------------------
    def win(
        self, key: Hashable, *, won_on: date, amount: Decimal, sort_id: str | None = None
    ) -> list[Allocated]:
        """A deal is won: it takes what was paid against it before, then the client's credit,
        oldest payment first."""
        if key in self._deals:
            raise AllocationError("already_won", f"deal {key} is already won")
        self.add_deal(key, won_on=won_on, amount=amount, sort_id=sort_id)
        target = self._deals[key]
        result = []
        for early in self._pending.pop(key, []):
            target.allocated += early.remaining
            result.append(Allocated(early.payment, key, early.remaining, won_on))
        return result + self._apply_credit(target)

    def pending(self, deal: Hashable) -> Decimal:
        return sum((p.remaining for p in self._pending.get(deal, [])), ZERO)

    def cancel(self, key: Hashable) -> None:
        """A won deal is cancelled: it takes no more client-level money; refunds still apply."""
        self._deals[key].cancelled = True

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
            return self._pay_deal(payment, received_on, amount, deal)
        if amount < 0:
            raise AllocationError("refund_without_deal", "a refund must name the deal it refunds")
        return self._pay_client(payment, received_on, amount)

    # ------------------------------------------------------------------------------------------
    def _pay_deal(
        self, payment: Hashable, received_on: date, amount: Decimal, key: Hashable
    ) -> list[Allocated]:
        target = self._deals.get(key)
        if target is None:
            # Not won yet: the money waits for the win (the caller knows the deal is open).
            if amount < 0 and self.pending(key) + amount < 0:
                raise AllocationError(
                    "refund_exceeds_paid",
                    f"the refund of {-amount} exceeds the {self.pending(key)} paid on deal {key}",
                )
            self.add_pending(payment, deal=key, received_on=received_on, amount=amount)
            return []
        if target.cancelled and amount > 0:
            raise AllocationError("deal_cancelled", f"deal {key} is cancelled; only refunds apply")
        if amount < 0 and target.allocated + amount < 0:
            raise AllocationError(
                "refund_exceeds_paid",
                f"the refund of {-amount} exceeds the {target.allocated} paid on deal {key}",
            )
        target.allocated += amount
        return [Allocated(payment, key, amount, max(received_on, target.won_on))]

    def _pay_client(self, payment: Hashable, received_on: date, amount: Decimal) -> list[Allocated]:
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
            target.allocated += part
            remaining -= part
            result.append(Allocated(payment, target.key, part, max(received_on, target.won_on)))
        if remaining > 0:
            self._credits.append(_Credit(payment, received_on, remaining))
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
            target.allocated += part
            effective = max(credit.received_on, target.won_on)
            result.append(Allocated(credit.payment, target.key, part, effective))
        self._credits = [c for c in self._credits if c.remaining > 0]
        return result

