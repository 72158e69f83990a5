"""The arithmetic of the analytics pages (SPEC §4), pure like the rest of the engine.

>>> rate(3, 10).low, rate(3, 10).high          # Wilson's 95 % interval
(Decimal('0.108'), Decimal('0.603'))
>>> margin_of_safety(Decimal("1000000.00"), Decimal("800000.00"))
Decimal('0.200')
>>> [bucket_of(days).label for days in (30, 31, 60, 61, 90, 91)]
['0–30', '31–60', '31–60', '61–90', '61–90', '90+']

Rates and shares are ``Decimal`` to three places (``0.200`` is 20.0 %); money stays with the
selectors, which round it with :func:`salesrelay.engine.money.round_money`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

RATE = Decimal("0.001")
"""Shares to a tenth of a per cent, as the pages show them: the CSV and the table agree."""
Z_95 = Decimal("1.96")
"""The normal quantile of a two-sided 95 % interval."""
MIN_SAMPLE = 30
"""Fewer meetings than this and a rate says too little to compare: the page says so."""


@dataclass(frozen=True)
class Rate:
    """``hits`` of ``trials`` with its Wilson interval; ``None`` figures when there was no trial."""

    trials: int
    hits: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None

    @property
    def too_small(self) -> bool:
        return self.trials < MIN_SAMPLE


def rate(hits: int, trials: int) -> Rate:
    """``hits / trials`` and Wilson's score interval at 95 %, which stays inside [0, 1] and is
    honest for small samples and for rates near 0 or 1 (where the normal interval is not)."""
    if trials < 0 or not 0 <= hits <= trials:
        raise ValueError(f"{hits} of {trials} is not a rate")
    if trials == 0:
        return Rate(0, 0, None, None, None)
    with localcontext() as exact:
        exact.prec = 28
        n = Decimal(trials)
        p = Decimal(hits) / n
        z2 = Z_95 * Z_95
        scale = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / scale
        half = Z_95 / scale * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        low, high = max(Decimal(0), centre - half), min(Decimal(1), centre + half)
    return Rate(trials, hits, p.quantize(RATE), low.quantize(RATE), high.quantize(RATE))


class Verdict:
    """How a rate with something compares with the rate without it."""

    TOO_FEW = "too_few"    # one side has fewer than MIN_SAMPLE trials
    HIGHER = "higher"      # the 95 % interval of the difference is above zero
    LOWER = "lower"        # ... below zero
    UNCLEAR = "unclear"    # it contains zero: the difference may be noise


@dataclass(frozen=True)
class Difference:
    """``with − without`` and its 95 % interval (Newcombe's hybrid score method, built from
    the two Wilson intervals)."""

    value: Decimal
    low: Decimal
    high: Decimal


def difference(with_: Rate, without: Rate) -> Difference | None:
    """Newcombe (1998), method 10: for rates *p₁*, *p₂* with Wilson intervals [*l₁*, *u₁*],
    [*l₂*, *u₂*], the difference *d* = *p₁* − *p₂* lies in
    [*d* − √((*p₁* − *l₁*)² + (*u₂* − *p₂*)²), *d* + √((*u₁* − *p₁*)² + (*p₂* − *l₂*)²)].
    Unlike "the two intervals do not overlap", which is a test at about 99.5 %, this is a test
    at 95 %, like the intervals shown.

    >>> difference(rate(57, 97), rate(16, 44))
    Difference(value=Decimal('0.224'), low=Decimal('0.046'), high=Decimal('0.380'))
    """
    if with_.value is None or without.value is None:
        return None
    p1, l1, u1 = with_.value, with_.low, with_.high
    p2, l2, u2 = without.value, without.low, without.high
    assert l1 is not None and u1 is not None and l2 is not None and u2 is not None
    with localcontext() as exact:
        exact.prec = 28
        d = p1 - p2
        low = d - ((p1 - l1) ** 2 + (u2 - p2) ** 2).sqrt()
        high = d + ((u1 - p1) ** 2 + (p2 - l2) ** 2).sqrt()
    return Difference(d.quantize(RATE), low.quantize(RATE), high.quantize(RATE))


def compare(with_: Rate, without: Rate) -> str:
    """Whether a material made a difference a manager can rely on: never on fewer than
    ``MIN_SAMPLE`` meetings on either side, else when the difference's 95 % interval leaves out
    zero."""
    found = difference(with_, without)
    if with_.too_small or without.too_small or found is None:
        return Verdict.TOO_FEW
    if found.low > 0:
        return Verdict.HIGHER
    if found.high < 0:
        return Verdict.LOWER
    return Verdict.UNCLEAR


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part / whole`` to four places; ``None`` when the whole is zero."""
    if whole == 0:
        return None
    with localcontext() as exact:
        exact.prec = 28
        return (Decimal(part) / Decimal(whole)).quantize(RATE)


def margin_of_safety(collections: Decimal, breakeven: Decimal | None) -> Decimal | None:
    """``(R − break-even revenue) / R``: how far collections could fall before the month stops
    covering its fixed costs. Undefined (``None``) when the break-even revenue is (gross profit
    after variable pay covers nothing, so no revenue breaks even) or when nothing was collected.
    """
    if breakeven is None or collections == 0:
        return None
    return share(collections - breakeven, collections)


def median(values: Sequence[Decimal | int]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count); ``None`` for none."""
    if not values:
        return None
    ordered = sorted(Decimal(v) for v in values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Bucket:
    """Receivables aged ``low`` to ``high`` days since the win, both included (``high`` None:
    no upper bound)."""

    key: str
    label: str
    low: int
    high: int | None

    def holds(self, days: int) -> bool:
        return self.low <= days and (self.high is None or days <= self.high)


AGEING = (
    Bucket("0-30", "0–30", 0, 30),
    Bucket("31-60", "31–60", 31, 60),
    Bucket("61-90", "61–90", 61, 90),
    Bucket("91+", "90+", 91, None),
)
"""The receivables ageing of SPEC §4: a deal won 30 days ago is still 0–30, one of 91 days 90+."""


def bucket_of(days: int) -> Bucket:
    for bucket in AGEING:
        if bucket.holds(max(days, 0)):
            return bucket
    raise AssertionError("the buckets cover every day")


def payback_index(cumulative: Sequence[Decimal], cost: Decimal) -> int | None:
    """The first month (0 = the month of deal 1) in which the cumulative gross profit reaches
    what was paid to acquire the cohort; ``None``: not yet."""
    for index, value in enumerate(cumulative):
        if value >= cost:
            return index
    return None
