"""Who takes a client over at the handoff (SPEC §2.3).

The explicit choice wins; else round-robin among the account managers employed on the day, in
id order, starting after the one who took the previous handoff; else nobody, and the client waits
in the department's queue.

When handoffs follow the first payment (``HANDOFF_ON = "payment"``), a payment hands its client
off on the first day its money went onto a deal (``handoff_day``); a refund, or money waiting as
credit for a win, hands nobody off.

>>> next_account_manager([3, 5, 8], last=5)
8
>>> next_account_manager([3, 5, 8], last=8)
3
>>> next_account_manager([], last=8) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from salesrelay.engine.allocation import Allocated


def next_account_manager(active: Sequence[int], *, last: int | None) -> int | None:
    if not active:
        return None
    ordered = sorted(active)
    if last is None:
        return ordered[0]
    for candidate in ordered:
        if candidate > last:
            return candidate
    return ordered[0]


def handoff_day(allocated: Sequence[Allocated]) -> date | None:
    """The day a payment's allocations hand its client off, if handoffs follow the first
    payment: the first on which money went onto a deal; None when none did."""
    return min((a.effective_on for a in allocated if a.amount > 0), default=None)
