"""``collections_pool``: the account-management rule — a pool funded by the department's
collections, shared by ``pool_weight × days employed``.

Collections *C* = max(0, Σ allocations effective in the month on clients the department owned on
the effective date). Pool = ``rate × C``, or tiers over *C* with half-open bounds ``[from, to)``:

* ``marginal`` — each tier's rate applies to the part of *C* inside it (like income tax);
* ``whole`` — the rate of the tier *C* falls in applies to all of *C*.

With tiers ``[0, 1 000 000) 2 %`` and ``[1 000 000, ∞) 3 %`` and *C* = 1 500 000.00: marginal
gives 20 000.00 + 15 000.00 = 35 000.00, whole gives 45 000.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from salesrelay.engine.components.base import Kind
from salesrelay.engine.components.shares import SPLITS, share_pool, total_weight
from salesrelay.engine.inputs import Allocation, Client, Deal
from salesrelay.engine.lines import Line, fmt
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.params import DEPARTMENTS, Reader, to_decimal

if TYPE_CHECKING:
    from salesrelay.engine.components.base import MonthContext
    from salesrelay.engine.plans import Component, Plan

MODES = ("marginal", "whole")


@dataclass(frozen=True)
class Tier:
    low: Decimal
    high: Decimal | None
    rate: Decimal

    def contains(self, value: Decimal) -> bool:
        return self.low <= value and (self.high is None or value < self.high)


@dataclass(frozen=True)
class CollectionsPool:
    department: str
    rate: Decimal | None
    tiers: tuple[Tier, ...]
    mode: str
    split: str

    def pool(self, collections: Decimal) -> Decimal:
        if self.rate is not None:
            return self.rate * collections
        if self.mode == "whole":
            for tier in self.tiers:
                if tier.contains(collections):
                    return tier.rate * collections
            return ZERO
        total = ZERO
        for tier in self.tiers:
            top = collections if tier.high is None else min(collections, tier.high)
            total += tier.rate * max(ZERO, top - tier.low)
        return total


def parse(reader: Reader) -> CollectionsPool | None:
    department = reader.choice("department", DEPARTMENTS)
    split = reader.choice("split", SPLITS, default="weight")
    rate: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    mode = "marginal"
    if reader.has("rate") and reader.has("tiers"):
        reader.fail("rate", "give either rate or tiers, not both")
    elif reader.has("tiers"):
        tiers = _tiers(reader) or ()
        mode = reader.choice("mode", MODES) or ""
    else:
        rate = reader.rate("rate")
    reader.finish()
    if department is None or split is None or (rate is None and not tiers) or not mode:
        return None
    return CollectionsPool(department, rate, tiers, mode, split)


def _tiers(reader: Reader) -> tuple[Tier, ...] | None:
    raw = reader.raw_value("tiers", required=True)
    if not isinstance(raw, list) or not raw:
        reader.fail("tiers", 'is not a list of tiers like [{from = "0", to = "1000000", rate = "0.02"}]')
        return None
    tiers: list[Tier] = []
    for index, table in enumerate(raw, 1):
        name = f"tiers[{index}]"
        if not isinstance(table, dict):
            reader.fail(name, "is not a table with from, to and rate")
            return None
        unknown = set(table) - {"from", "to", "rate"}
        if unknown:
            reader.fail(name, f"{', '.join(sorted(unknown))}: not a tier parameter (from, to, rate)")
            return None
        low = to_decimal(table.get("from"))
        high = None if "to" not in table else to_decimal(table["to"])
        rate = to_decimal(table.get("rate"))
        if low is None or rate is None or ("to" in table and high is None):
            reader.fail(name, "needs numbers from and rate, and optionally to")
            return None
        if not 0 <= rate <= 1:
            reader.fail(name, f"rate {rate} is out of range 0…1")
            return None
        if high is not None and high <= low:
            reader.fail(name, f"[{low}, {high}) is empty: to must be above from")
            return None
        tiers.append(Tier(low, high, rate))
    if tiers[0].low != 0:
        reader.fail("tiers", f"the first tier starts at {tiers[0].low}; collections from 0 to "
                             f"{tiers[0].low} fall in no tier (start at 0)")
        return None
    for index, (before, after) in enumerate(zip(tiers, tiers[1:], strict=False), 2):
        if before.high is None:
            reader.fail("tiers", f"tier {index - 1} has no upper bound, yet tier {index} follows it")
            return None
        if after.low > before.high:
            reader.fail("tiers", f"gap between tier {index - 1} and tier {index}: "
                                 f"[{before.high}, {after.low}) falls in no tier")
            return None
        if after.low < before.high:
            reader.fail("tiers", f"tier {index - 1} and tier {index} overlap on "
                                 f"[{after.low}, {before.high})")
            return None
    return tuple(tiers)


def department_collections(context: MonthContext, plan: Plan, department: str) -> Decimal:
    return collections_of(context.allocations, context.deals, context.clients, plan, department)


def collections_of(allocations: Iterable[tuple[Allocation, Decimal]], deals: Mapping[str, Deal],
                   clients: Mapping[str, Client], plan: Plan, department: str) -> Decimal:
    """*C*: the month's allocations, while the plan is in effect, on clients the department
    owned on their effective dates; never below zero."""
    total = ZERO
    for allocation, _ in allocations:
        if not plan.in_effect(allocation.effective_on):
            continue
        deal = deals[allocation.deal_id]
        span = clients[deal.client_id].owner_on(allocation.effective_on)
        if span is not None and span.department == department:
            total += allocation.amount
    return max(ZERO, total)


def compute(context: MonthContext, plan: Plan, component: Component) -> None:
    params: CollectionsPool = component.params
    collections = department_collections(context, plan, params.department)
    pool = round_money(params.pool(collections))
    rate_words = fmt(params.rate) if params.rate is not None else params.mode
    members = context.members(plan)
    weights = f"{total_weight(members, params.split).normalize():f}"
    for employee, days, weight, share in share_pool(pool, members, params.split):
        if share == 0:
            continue
        context.lines.append(Line(
            employee.id, plan.id, component.name, component.kind, share,
            why="pool_weight" if params.split == "weight" else "pool_equal",
            facts=(("department", params.department), ("collections", fmt(collections)),
                   ("rate", rate_words), ("pool", fmt(pool)), ("weight", fmt(employee.pool_weight)),
                   ("days", str(days)), ("share", f"{weight.normalize():f}"),
                   ("weights", weights)),
            base=collections, rate=params.rate,
        ))


KIND = Kind("collections_pool", 0, parse, compute)
