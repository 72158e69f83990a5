"""Reading a plan component's parameters with precise refusals.

Each component kind reads its parameters through a :class:`Reader`, which notes every problem
with the place it was found (``hunters-2026 / first-five: rate: 1.5 is out of range 0…1``) and
refuses any parameter the kind does not know. Numbers may be written as TOML strings
(``"0.90"``), integers, or TOML floats (read from their decimal text, never as binary floats).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
