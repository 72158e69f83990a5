"""An edited plan file that takes effect from a month on, without rewriting the months before.

Each load of a plan file is a new version in force for every month not locked, so an edit that
is meant "from December" must keep the old rules for the days before. ``from_month`` writes the
file that says so: a plan the edit leaves as it was stays as it was; a plan it changes or
removes ends the day before the month (and one that starts in the month or later is replaced
outright); a changed or new plan starts on the month's first day at the earliest, and a changed
plan whose old rules still hold before the month takes the id ``<id>-from-YYYY-MM`` (ids are
unique in a file, and the months before keep their lines, plan id included).

>>> old = {"plans": [{"id": "h", "roles": ["hunter"], "effective_from": date(2026, 1, 1),
...                   "components": [{"kind": "salary", "amount": "40000.00"}]}]}
>>> new = {"plans": [{"id": "h", "roles": ["hunter"], "effective_from": date(2026, 1, 1),
...                   "components": [{"kind": "salary", "amount": "45000.00"}]}]}
>>> [(p["id"], str(p["effective_from"]), str(p.get("effective_to")))
...  for p in from_month(old, new, date(2026, 12, 1))["plans"]]
[('h', '2026-01-01', '2026-11-30'), ('h-from-2026-12', '2026-12-01', 'None')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from salesrelay.engine.plans import Plan, build_plans

_FROM = re.compile(r"-from-\d{4}-\d{2}$")


def from_month(old: Mapping[str, Any], new: Mapping[str, Any], start: date) -> dict[str, Any]:
    """The plan file (as ``tomllib`` tables) that keeps ``old`` before ``start`` and is ``new``
    from ``start`` on. Both must be valid plan files (``PlanError`` otherwise)."""
    old_plans = _by_id(old)
    new_plans = _by_id(new)
    before = start - timedelta(days=1)
    tables: list[dict[str, Any]] = []
    kept_before: set[str] = set()
    for table in old.get("plans", []):
        plan = old_plans[table["id"]]
        if new_plans.get(plan.id) == plan:
            tables.append(dict(table))
            kept_before.add(plan.id)
        elif plan.effective_from < start:
            clipped = dict(table)
            if plan.effective_to is None or plan.effective_to > before:
                clipped = _with(clipped, "effective_to", before)
            tables.append(clipped)
            kept_before.add(plan.id)
    for table in new.get("plans", []):
        plan = new_plans[table["id"]]
        if old_plans.get(plan.id) == plan:
            continue
        changed = dict(table)
        if plan.effective_from < start:
            changed = _with(changed, "effective_from", start)
        if plan.id in kept_before:
            changed["id"] = f"{_FROM.sub('', plan.id)}-from-{start:%Y-%m}"
        tables.append(changed)
    return {"plans": tables}


def _by_id(raw: Mapping[str, Any]) -> dict[str, Plan]:
    if not raw.get("plans"):
        return {}
    return {plan.id: plan for plan in build_plans(raw).plans}


def _with(table: dict[str, Any], key: str, value: date) -> dict[str, Any]:
    """The table with ``key`` set, placed after ``effective_from`` as plan files write it."""
    if key in table:
        return {**table, key: value}
    result: dict[str, Any] = {}
    for name, item in table.items():
        result[name] = item
        if name == "effective_from":
            result[key] = value
    if key not in result:
        result[key] = value
    return result
