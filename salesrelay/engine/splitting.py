"""Splitting a rounded pool into shares that sum to it exactly (largest remainder).

>>> split(Decimal("100.00"), [("1", Decimal(1)), ("2", Decimal(1)), ("3", Decimal(1))])
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]

Each share is first cut down to the kopeck; the kopecks left over go one each to the largest cut
remainders, ties to the lower employee id (ids compared as numbers when both are whole numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from salesrelay.engine.money import CENT, ZERO
from salesrelay.engine.ordinals import id_sort_key


def split(total: Decimal, weights: Sequence[tuple[str, Decimal]]) -> list[Decimal]:
    """Shares of ``total`` (≥ 0, in kopecks) in proportion to ``weights``, in the given order."""
    whole = sum((w for _, w in weights), Decimal(0))
    if whole <= 0 or total <= 0:
        return [ZERO for _ in weights]
    exact = [total * w / whole for _, w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(shares, ZERO)) / CENT)
    order = sorted(
        range(len(weights)),
        key=lambda i: (-(exact[i] - shares[i]), id_sort_key(weights[i][0])),
    )
    for i in order[:left]:
        shares[i] += CENT
    return shares
