"""Payout lines: one amount, where it comes from, and the facts that explain it.

A line never carries a sentence: ``why`` names the formula and ``facts`` its figures, and the app
renders them in the reader's language (English or Russian). Forfeited amounts are lines too, with
the ``reason`` they were not paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Line:
    employee_id: str
    plan_id: str
    component: str
    kind: str
    amount: Decimal
    why: str
    facts: tuple[tuple[str, str], ...] = ()
    client_id: str | None = None
    deal_id: str | None = None
    deal_number: int | None = None
    payment_id: str | None = None
    base: Decimal | None = None
    rate: Decimal | None = None
    on: date | None = None
    reason: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str | None, str | None, str | None]:
        """What identifies a line between two runs of the same period (for adjustments)."""
        return (self.employee_id, self.component, self.kind, self.client_id, self.deal_id,
                self.payment_id)


def fmt(value: Decimal | int | None) -> str:
    """A figure for an explanation: money with two decimals, rates as given."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.2f}".replace(",", "\u202f") if value == value.quantize(_CENT) \
        else f"{value.normalize():f}"


_CENT = Decimal("0.01")
