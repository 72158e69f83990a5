"""Who takes a client over at the handoff (SPEC §2.3).

The explicit choice wins; else round-robin among the account managers employed on the day, in
id order, starting after the one who took the previous handoff; else nobody, and the client waits
in the department's queue.

>>> next_account_manager([3, 5, 8], last=5)
8
>>> next_account_manager([3, 5, 8], last=8)
3
>>> next_account_manager([], last=8) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence


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
