"""Sharing a pool among a component's members: ``pool_weight × days`` or days alone."""

from __future__ import annotations

from decimal import Decimal

from salesrelay.engine.inputs import Employee
from salesrelay.engine.splitting import split

SPLITS = ("weight", "equal")


def total_weight(members: list[tuple[Employee, int]], how: str) -> Decimal:
    return sum(((e.pool_weight if how == "weight" else Decimal(1)) * days for e, days in members),
               Decimal(0))


def share_pool(pool: Decimal, members: list[tuple[Employee, int]], how: str
               ) -> list[tuple[Employee, int, Decimal, Decimal]]:
    """``(employee, days, weight × days, share)`` for each member, shares summing to ``pool``."""
    weights = [(e.id, (e.pool_weight if how == "weight" else Decimal(1)) * days)
               for e, days in members]
    shares = split(pool, weights)
    return [(e, days, w, s) for (e, days), (_, w), s in zip(members, weights, shares, strict=True)]
