"""The component kinds of a plan, registered in one place.

A kind is a module with a ``KIND`` (:class:`~salesrelay.engine.components.base.Kind`): its name,
its phase (0: computed first; 1: after the company's variable pay is known), ``parse`` (read and
check the parameters of a plan file) and ``compute`` (write the month's lines into a
:class:`~salesrelay.engine.components.base.MonthContext`). A kind imports only ``base`` and the
engine's data types, never the calculator. Adding a kind is adding a module and a line below.
"""

from __future__ import annotations

from salesrelay.engine.components.base import Kind


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
