"""Plans: which components pay whom, from when (SPEC §3, the TOML file of SPEC §5).

>>> plans = parse_plans('''
... [[plans]]
... id = "hunters"
... roles = ["hunter"]
... effective_from = 2026-01-01
...   [[plans.components]]
...   kind = "salary"
...   amount = "40000.00"
... ''')
>>> plans.plans[0].components[0].name
'salary'

A plan applies to an employee when the employee's role is among its ``roles`` or the employee's
id among its ``employees``, on the days from ``effective_from`` to ``effective_to`` (both
included; no ``effective_to``: open-ended). A bad file is refused as a whole with every problem
found (:class:`PlanError`); nothing of it is used.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from salesrelay.engine.inputs import Employee
from salesrelay.engine.params import ROLES, Reader


class PlanError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Component:
    kind: str
    params: Any
    id: str | None = None

    @property
    def name(self) -> str:
        """What a payout line calls it: the component's id, else its kind."""
        return self.id or self.kind


@dataclass(frozen=True)
class Plan:
    id: str
    effective_from: date
    components: tuple[Component, ...]
    roles: tuple[str, ...] = ()
    employees: tuple[str, ...] = ()
    effective_to: date | None = None

    def covers(self, employee: Employee) -> bool:
        return employee.role in self.roles or employee.id in self.employees

    def in_effect(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class PlanSet:
    plans: tuple[Plan, ...]

    def for_employee(self, employee: Employee) -> list[Plan]:
        return [plan for plan in self.plans if plan.covers(employee)]


def parse_plans(text: str) -> PlanSet:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanError([f"the file is not valid TOML: {error}"]) from None
    return build_plans(raw)


def build_plans(raw: Mapping[str, Any]) -> PlanSet:
    from salesrelay.engine.components import KINDS

    problems: list[str] = []
    for key in raw:
        if key != "plans":
            problems.append(f"{key}: is not a section of a plan file (only [[plans]])")
    tables = raw.get("plans")
    if not isinstance(tables, list) or not tables:
        raise PlanError([*problems, "plans: the file has no [[plans]] table"])
    plans: list[Plan] = []
    ids: set[str] = set()
    for index, table in enumerate(tables, 1):
        where = f"plan {index}"
        if not isinstance(table, dict):
            problems.append(f"{where}: is not a table")
            continue
        reader = Reader(table, where, problems)
        reader.seen.discard("kind")
        plan_id = reader.text("id")
        if plan_id is not None:
            where = f"plan {plan_id}"
            reader.where = where
            if plan_id in ids:
                reader.fail("id", f"{plan_id!r} is used by another plan of the file")
            ids.add(plan_id)
        roles = _names(reader, "roles")
        employees = _names(reader, "employees")
        if roles is not None and employees is not None and not roles and not employees:
            problems.append(f"{where}: roles or employees: the plan is assigned to nobody")
        for role in roles or ():
            if role not in ROLES:
                reader.fail("roles", f"{role!r} is not one of {', '.join(ROLES)}")
        start = _date(reader, "effective_from", required=True)
        end = _date(reader, "effective_to", required=False)
        if start is not None and end is not None and end < start:
            reader.fail("effective_to", f"{end} is before effective_from {start}")
        components = _components(reader, table.get("components"), where, problems, KINDS)
        reader.seen.add("components")
        reader.finish()
        if plan_id is not None and start is not None and components is not None:
            plans.append(Plan(plan_id, start, components, tuple(roles or ()),
                              tuple(employees or ()), end))
    if problems:
        raise PlanError(problems)
    return PlanSet(tuple(plans))


def _components(reader: Reader, tables: Any, where: str, problems: list[str],
                kinds: Mapping[str, Any]) -> tuple[Component, ...] | None:
    if not isinstance(tables, list) or not tables:
        reader.fail("components", "the plan has no [[plans.components]]")
        return None
    result: list[Component] = []
    names: set[str] = set()
    for index, table in enumerate(tables, 1):
        place = f"{where} / component {index}"
        if not isinstance(table, dict):
            problems.append(f"{place}: is not a table")
            continue
        component_id = table.get("id")
        if component_id is not None:
            if not isinstance(component_id, str) or not component_id.strip():
                problems.append(f"{place}: id: {component_id!r} is not a text")
                continue
            place = f"{where} / {component_id}"
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            problems.append(f"{place}: kind: {kind!r} is not one of {', '.join(kinds)}"
                            if kind is not None else f"{place}: kind: is required")
            continue
        name = component_id or kind
        if name in names:
            problems.append(f"{place}: id: the plan has two components called {name!r}; "
                            "give each its own id")
        names.add(name)
        params = kinds[kind].parse(Reader(table, place, problems))
        if params is not None:
            result.append(Component(kind, params, component_id))
    return tuple(result) if len(result) == len(tables) else None


def _names(reader: Reader, name: str) -> list[str] | None:
    value = reader.raw_value(name, required=False)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        reader.fail(name, f"{value!r} is not a list of texts")
        return None
    return value


def _date(reader: Reader, name: str, *, required: bool) -> date | None:
    value = reader.raw_value(name, required=required)
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    reader.fail(name, f"{value!r} is not a date (write it as 2026-01-01)")
    return None
