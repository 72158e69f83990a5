"""``kpi_bonus``: pay for a measured result against its target.

Metrics: ``new_clients`` (clients whose deal number 1 was won in the month),
``new_clients_in_segment:<segment>``, ``collections`` (allocations effective in the month), and
``meeting_to_deal_conversion`` (meetings held in the month whose client won a deal within
``within_days`` days, default 60, over the meetings held). Scope: ``own`` (clients the employee
acquired; collections on clients the employee owned; meetings the employee held),
``department`` (the same for everyone of the employee's department), ``company``.

The target is the component's ``target`` or else the month's row of the Targets table for the
metric. ``per_unit_above_target`` pays each unit above the target (12 new clients against 10 at
5 000.00 → 10 000.00); ``fixed_if_met`` pays a fixed amount when the target is reached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from salesrelay.engine.components.base import Kind
from salesrelay.engine.lines import Line, fmt
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.params import SEGMENT_CODE, SEGMENTS

if TYPE_CHECKING:
    from salesrelay.engine.components.base import MonthContext
    from salesrelay.engine.inputs import Employee
    from salesrelay.engine.params import Reader
    from salesrelay.engine.plans import Component, Plan

METRICS = ("new_clients", "new_clients_in_segment:<segment>", "collections",
           "meeting_to_deal_conversion")
SCOPES = ("own", "department", "company")


@dataclass(frozen=True)
class KpiBonus:
    metric: str
    segment: str | None
    scope: str
    target: Decimal | None
    per_unit: Decimal | None
    fixed: Decimal | None
    within_days: int


def parse(reader: Reader) -> KpiBonus | None:
    metric = reader.text("metric")
    segment = None
    if metric is not None:
        if metric.startswith("new_clients_in_segment:"):
            segment = metric.split(":", 1)[1]
            # Segments are the installation's data: the engine checks the code's shape, and the
            # plan loader (compensation/plans.py) that the segment exists.
            if not SEGMENT_CODE.fullmatch(segment):
                reader.fail("metric", f"segment {segment!r} is not a segment code (lower-case "
                                      f"Latin letters, digits, _ and -; e.g. {SEGMENTS[0]})")
                metric = None
        elif metric not in METRICS:
            reader.fail("metric", f"{metric!r} is not one of {', '.join(METRICS)}")
            metric = None
    scope = reader.choice("scope", SCOPES, default="own")
    target = reader.number("target", required=False, low=Decimal(0))
    per_unit = reader.amount("per_unit_above_target", required=False)
    fixed = reader.amount("fixed_if_met", required=False)
    within = reader.whole("within_days", 60, low=1)
    if reader.has("per_unit_above_target") == reader.has("fixed_if_met"):
        reader.fail("per_unit_above_target", "give either per_unit_above_target or fixed_if_met")
        return None
    reader.finish()
    if metric is None or scope is None or (per_unit is None and fixed is None):
        return None
    return KpiBonus(metric, segment, scope, target, per_unit, fixed, within)


def measure(context: MonthContext, params: KpiBonus, employee: Employee) -> Decimal | None:
    if params.metric == "collections":
        return _collections(context, params.scope, employee)
    if params.metric == "meeting_to_deal_conversion":
        return _conversion(context, params, employee)
    count = 0
    for acquirer, segment in _new_clients(context):
        if params.segment is not None and segment != params.segment:
            continue
        if _in_scope(context, params.scope, employee, acquirer):
            count += 1
    return Decimal(count)


def _new_clients(context: MonthContext) -> list[tuple[str | None, str]]:
    """``(acquired_by, segment)`` of each client whose deal 1 was won in the month."""
    found: list[tuple[str | None, str]] | None = context.memo.get("new_clients")
    if found is None:
        found = []
        for deal in context.won:
            if deal.number == 1:
                client = context.clients[deal.client_id]
                found.append((client.acquired_by, client.segment))
        context.memo["new_clients"] = found
    return found


def _in_scope(context: MonthContext, scope: str, employee: Employee, who: str | None) -> bool:
    if scope == "company":
        return True
    if who is None:
        return False
    if scope == "own":
        return who == employee.id
    other = context.employees.get(who)
    return other is not None and other.department == employee.department


def _collections(context: MonthContext, scope: str, employee: Employee) -> Decimal:
    """Allocations of the month by the owner and by the owning department on their dates."""
    tally: tuple[dict[str | None, Decimal], dict[str, Decimal], Decimal] | None = \
        context.memo.get("collections")
    if tally is None:
        by_owner: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
        by_department: dict[str, Decimal] = defaultdict(lambda: ZERO)
        total = ZERO
        for allocation, _ in context.allocations:
            total += allocation.amount
            client = context.clients[context.deals[allocation.deal_id].client_id]
            span = client.owner_on(allocation.effective_on)
            if span is not None:
                by_owner[span.employee_id] += allocation.amount
                by_department[span.department] += allocation.amount
        tally = (by_owner, by_department, total)
        context.memo["collections"] = tally
    by_owner, by_department, total = tally
    if scope == "company":
        return total
    if scope == "own":
        return by_owner.get(employee.id, ZERO)
    return by_department.get(employee.department, ZERO)


def _conversion(context: MonthContext, params: KpiBonus, employee: Employee) -> Decimal | None:
    held = converted = 0
    window = timedelta(days=params.within_days)
    for meeting in context.history.meetings:
        if not context.month.contains(meeting.held_on):
            continue
        if not _in_scope(context, params.scope, employee, meeting.employee_id):
            continue
        held += 1
        wins = context.history.wins_by_client.get(meeting.client_id, ())
        if any(meeting.held_on <= won <= meeting.held_on + window for won in wins):
            converted += 1
    return None if held == 0 else Decimal(converted) / Decimal(held)


def compute(context: MonthContext, plan: Plan, component: Component) -> None:
    params: KpiBonus = component.params
    name = params.metric.split(":")[0] if params.segment is None else params.metric
    table_target = context.history.targets.get((context.month, name))
    target = params.target if params.target is not None else table_target
    members = context.members(plan)
    if target is None:
        if members:
            context.problems.append(
                f"{plan.id} / {component.name}: no target for {name} in {context.month}; "
                "give the component a target or add one to the Targets table")
        return
    for employee, _days in members:
        value = measure(context, params, employee)
        if value is None:
            continue
        if params.per_unit is not None:
            amount = round_money(params.per_unit * max(ZERO, value - target))
            why, rate = "kpi_per_unit", params.per_unit
        else:
            assert params.fixed is not None
            amount = params.fixed if value >= target else ZERO
            why, rate = "kpi_fixed", params.fixed
        if amount == 0:
            continue
        shown = fmt(value) if params.metric == "collections" else f"{value.normalize():f}"
        context.lines.append(Line(
            employee.id, plan.id, component.name, component.kind, round_money(amount),
            why=why,
            facts=(("metric", name), ("scope", params.scope), ("value", shown),
                   ("target", f"{target.normalize():f}"), ("rate", fmt(rate))),
            base=value, rate=rate,
        ))


KIND = Kind("kpi_bonus", 0, parse, compute)
