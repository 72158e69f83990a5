"""``breakeven_bonus``: the company rule — a share of the operating result above break-even.

*O* = *G* − *F* − *V* (collected gross profit, fixed costs, variable pay of the month); the bonus
pool is ``share × max(0, O)``, split among the members like a collections pool. With *G* =
1 000 000.00, *F* = 600 000.00, *V* = 250 000.00 and share 0.10, the pool is 15 000.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from salesrelay.engine.components.base import Kind
from salesrelay.engine.components.shares import SPLITS, share_pool, total_weight
from salesrelay.engine.lines import Line, fmt
from salesrelay.engine.money import ZERO, round_money

if TYPE_CHECKING:
    from salesrelay.engine.components.base import MonthContext
    from salesrelay.engine.params import Reader
    from salesrelay.engine.plans import Component, Plan


@dataclass(frozen=True)
class BreakevenBonus:
    share: Decimal
    split: str


def parse(reader: Reader) -> BreakevenBonus | None:
    share = reader.rate("share")
    split = reader.choice("split", SPLITS, default="weight")
    reader.finish()
    return None if share is None or split is None else BreakevenBonus(share, split)


def compute(context: MonthContext, plan: Plan, component: Component) -> None:
    params: BreakevenBonus = component.params
    result = context.operating_result
    pool = round_money(params.share * max(ZERO, result))
    members = context.members(plan)
    weights = f"{total_weight(members, params.split).normalize():f}"
    for employee, days, weight, share in share_pool(pool, members, params.split):
        if share == 0:
            continue
        context.lines.append(Line(
            employee.id, plan.id, component.name, component.kind, share,
            why="breakeven",
            facts=(("share_rate", fmt(params.share)), ("gross_profit", fmt(context.gross_profit)),
                   ("fixed_costs", fmt(context.fixed_costs)),
                   ("variable_pay", fmt(context.variable_pay)), ("result", fmt(result)),
                   ("pool", fmt(pool)), ("days", str(days)), ("share", f"{weight.normalize():f}"),
                   ("weights", weights)),
            base=result, rate=params.share,
        ))


KIND = Kind("breakeven_bonus", 1, parse, compute)
