"""The component kinds of a plan, registered in one place.

A kind is a module with a ``KIND``: its name, its phase (0: computed first; 1: after the
company's variable pay is known), ``parse`` (read and check the parameters of a plan file) and
``compute`` (write the month's lines). Adding a kind is adding a module and a line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesrelay.engine.params import Reader
    from salesrelay.engine.payroll import MonthContext
    from salesrelay.engine.plans import Component, Plan


@dataclass(frozen=True)
class Kind:
    name: str
    phase: int
    parse: Callable[[Reader], Any]
    compute: Callable[[MonthContext, Plan, Component], None]


def _registry() -> dict[str, Kind]:
    from salesrelay.engine.components import (
        breakeven_bonus,
        collections_pool,
        deal_profit_share,
        kpi_bonus,
        salary,
    )

    kinds = [salary.KIND, deal_profit_share.KIND, collections_pool.KIND,
             breakeven_bonus.KIND, kpi_bonus.KIND]
    return {kind.name: kind for kind in kinds}


KINDS: dict[str, Kind] = _registry()

VARIABLE_PAY_KINDS = frozenset({"deal_profit_share", "collections_pool"})
"""The kinds whose lines make the variable pay *V* of the break-even rule."""
