"""Reading a plan component's parameters with precise refusals.

Each component kind reads its parameters through a :class:`Reader`, which notes every problem
with the place it was found (``hunters-2026 / first-five: rate: 1.5 is out of range 0…1``) and
refuses any parameter the kind does not know. Numbers may be written as TOML strings
(``"0.90"``), integers, or TOML floats (read from their decimal text, never as binary floats).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from salesrelay.engine.money import MoneyError, parse_decimal

DEPARTMENTS = ("acquisition", "account_management", "management")
ROLES = ("hunter", "account_manager", "head", "director", "accountant")
# The segments every installation starts with; an installation adds its own (clients.Segment).
SEGMENTS = ("retail_chain", "online_store", "dealer", "other")
SEGMENT_CODE = re.compile(r"[a-z][a-z0-9_-]{0,31}")


class Reader:
    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.raw = raw
        self.where = where
        self.problems = problems
        self.seen: set[str] = {"kind", "id"}

    def fail(self, name: str, reason: str) -> None:
        self.problems.append(f"{self.where}: {name}: {reason}")

    def has(self, name: str) -> bool:
        return name in self.raw

    def _get(self, name: str, required: bool) -> Any:
        self.seen.add(name)
        if name not in self.raw:
            if required:
                self.fail(name, "is required")
            return None
        return self.raw[name]

    def number(self, name: str, *, required: bool = True, low: Decimal | None = None,
               high: Decimal | None = None, default: Decimal | None = None) -> Decimal | None:
        value = self._get(name, required and default is None)
        if value is None:
            return default
        number = to_decimal(value)
        if number is None:
            self.fail(name, f"{value!r} is not a number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.fail(name, f"{number} is out of range {_bound(low)}…{_bound(high)}")
            return None
        return number

    def rate(self, name: str, *, required: bool = True) -> Decimal | None:
        return self.number(name, required=required, low=Decimal(0), high=Decimal(1))

    def amount(self, name: str, *, required: bool = True) -> Decimal | None:
        return self.number(name, required=required, low=Decimal(0))

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str | None:
        value = self._get(name, default is None)
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            self.fail(name, f"{value!r} is not one of {', '.join(options)}")
            return None
        return value

    def text(self, name: str) -> str | None:
        value = self._get(name, True)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.fail(name, f"{value!r} is not a text")
            return None
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self._get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(name, f"{value!r} is not true or false")
            return default
        return value

    def whole(self, name: str, default: int, low: int = 0) -> int:
        value = self._get(name, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.fail(name, f"{value!r} is not a whole number of at least {low}")
            return default
        return value

    def raw_value(self, name: str, *, required: bool) -> Any:
        return self._get(name, required)

    def finish(self) -> None:
        for name in self.raw:
            if name not in self.seen:
                self.fail(name, "is not a parameter of this kind")


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A TOML float keeps the text it was written with; repr gives that text back.
        value = repr(value)
    if isinstance(value, str):
        try:
            number = parse_decimal(value)
        except (MoneyError, InvalidOperation):
            return None
        return number
    return None


def _bound(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# What a kind reads ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    """One parameter a component kind reads, as its ``parse`` asks the :class:`Reader` for it.

    ``shape`` is the Reader's method: ``number`` (with ``low``/``high``), ``choice`` (with
    ``options``), ``text``, ``flag``, ``whole`` (with ``low``) or ``value`` (a structured value the
    kind checks itself, such as ``ordinals`` or ``tiers``). ``default`` is what an absent
    parameter means (``None``: none); ``required``: the kind refuses a plan without it (an
    either/or pair, such as a pool's ``rate`` or ``tiers``, is neither)."""

    name: str
    shape: str
    required: bool = False
    default: Any = None
    options: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None


def parameters_of(parse: Callable[[Reader], Any]) -> tuple[Param, ...]:
    """The parameters a kind's ``parse`` reads, found by running it on a recording reader: so
    the parse function stays the one definition of a kind's parameters, and a form built from
    this list shows a new parameter as soon as the kind reads it.

    The parse runs once with no parameter present and once more for each parameter it only
    asked about (``has``), so that either/or parameters (a pool's ``rate`` or ``tiers`` and the
    ``mode`` that goes with tiers) are all found.

    >>> from salesrelay.engine.components import KINDS
    >>> [p.name for p in parameters_of(KINDS["breakeven_bonus"].parse)]
    ['share', 'split']
    """
    found: dict[str, Param] = {}
    asked: list[str] = []
    pending: list[frozenset[str]] = [frozenset()]
    tried: set[frozenset[str]] = set()
    while pending:
        present = pending.pop(0)
        if present in tried:
            continue
        tried.add(present)
        recorder = _Recorder(present)
        parse(recorder)
        for param in recorder.params:
            known = found.get(param.name)
            # A parameter read as required in one branch and optional in another is optional.
            found[param.name] = param if known is None else replace(
                known, required=known.required and param.required)
        for name in recorder.asked:
            if name not in asked:
                asked.append(name)
        pending += [frozenset({name}) for name in recorder.asked if name not in present]
    optional = {name for name in asked if name in found}
    return tuple(replace(p, required=False) if p.name in optional else p for p in found.values())


class _Recorder(Reader):
    """A reader that notes what is asked for and answers "absent" (or "present, no value")."""

    def __init__(self, present: frozenset[str]) -> None:
        super().__init__({}, "", [])
        self.present = present
        self.params: list[Param] = []
        self.asked: list[str] = []

    def _note(self, param: Param) -> None:
        if all(p.name != param.name for p in self.params):
            self.params.append(param)

    def has(self, name: str) -> bool:
        if name not in self.asked:
            self.asked.append(name)
        return name in self.present

    def fail(self, name: str, reason: str) -> None:
        pass

    def number(self, name: str, *, required: bool = True, low: Decimal | None = None,
               high: Decimal | None = None, default: Decimal | None = None) -> Decimal | None:
        self._note(Param(name, "number", required and default is None, default, low=low,
                         high=high))
        return default

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str | None:
        self._note(Param(name, "choice", default is None, default, tuple(options)))
        return default

    def text(self, name: str) -> str | None:
        self._note(Param(name, "text", True))
        return None

    def flag(self, name: str, default: bool) -> bool:
        self._note(Param(name, "flag", False, default))
        return default

    def whole(self, name: str, default: int, low: int = 0) -> int:
        self._note(Param(name, "whole", False, default, low=Decimal(low)))
        return default

    def raw_value(self, name: str, *, required: bool) -> Any:
        self._note(Param(name, "value", required))
        return None

    def finish(self) -> None:
        pass
