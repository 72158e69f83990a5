"""The interchange files of SPEC §5: their columns and how each value is read.

Each value parser takes the cell's text and returns the value or raises ``ValueError`` with the
reason a user reads (``'31.02.2026' is not a date``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from salesrelay.engine.money import MoneyError, parse_decimal
from salesrelay.input_rules import (
    FIRST_DAY,
    LAST_DAY,
    MAX_AMOUNT,
    MAX_WHOLE_DIGITS,
    amount_problem,
    day_problem,
)


@dataclass(frozen=True)
class FileFormat:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # The longest text each column may hold (its field in the database); ids are 64.
    lengths: tuple[tuple[str, int], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def longest(self, column: str) -> int:
        for name, length in self.lengths:
            if name == column:
                return length
        return ID_LENGTH if column in ID_COLUMNS else TEXT_LENGTH


ID_LENGTH = 64
TEXT_LENGTH = 300
ID_COLUMNS = {"id", "client_id", "deal_id", "owner_id", "employee_id", "acquired_by",
              "account_manager", "sku"}


FORMATS = {f.name: f for f in [
    FileFormat("employees", ("id", "name", "email", "department", "role", "hired_on"),
               ("left_on", "pool_weight", "market_salary"), (("name", 200), ("email", 254))),
    FileFormat("materials", ("id", "title", "kind"), ("published_on",), (("title", 200),)),
    FileFormat("products", ("sku", "name", "price", "unit_cost"), ("line",), (("line", 200),)),
    FileFormat("clients", ("id", "name", "segment", "acquired_by", "created_on"),
               ("tax_id", "account_manager"), (("tax_id", 32),)),
    FileFormat("deals", ("id", "client_id", "owner_id", "status", "created_on"),
               ("won_on", "closed_on", "amount", "cost", "direct_cost")),
    FileFormat("deal_lines", ("deal_id", "sku", "quantity", "unit_price"), ("unit_cost",)),
    FileFormat("payments", ("id", "received_on", "amount"), ("deal_id", "client_id")),
    FileFormat("activities", ("id", "client_id", "employee_id", "kind", "date"),
               ("outcome", "materials")),
    FileFormat("fixed_costs", ("month", "category", "amount"), (), (("category", 100),)),
    FileFormat("targets", ("month", "metric", "value"), (), (("metric", 100),)),
]}
"""In the order they are read: each file refers only to files above it."""

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DOTTED_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` (a time after it is ignored) or ``DD.MM.YYYY``, 2000 to 2100."""
    day = _parse_day(text)
    if (problem := day_problem(day)) is not None:
        raise ValueError(problem)
    return day


def _parse_day(text: str) -> date:
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for pattern, order in ((_ISO, (1, 2, 3)), (_DOTTED, (3, 2, 1))):
        found = pattern.match(text)
        if found:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)")


def parse_month(text: str) -> date:
    """``YYYY-MM`` (also ``MM.YYYY`` and a full date on the 1st) as the month's first day."""
    found = _MONTH.match(text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
    elif (found := _DOTTED_MONTH.match(text)) is not None:
        year, month = int(found.group(2)), int(found.group(1))
    else:
        try:
            day = parse_date(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a month (YYYY-MM)") from None
        if day.day != 1:
            raise ValueError(f"{text!r} is not a month (YYYY-MM)")
        return day
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    if (problem := day_problem(date(year, month, 1))) is not None:
        raise ValueError(problem)
    return date(year, month, 1)


_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(text: str) -> Decimal:
    """A number with at most 12 digits before the point (``1e30`` is refused, not stored)."""
    if _PLAIN_NUMBER.match(text):  # the common case, without the separators' rules
        value = Decimal(text)
    else:
        try:
            value = parse_decimal(text)
        except MoneyError:
            raise ValueError(f"{text!r} is not a number") from None
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"{text!r} has more than {MAX_WHOLE_DIGITS} digits before the point")
    return value


def parse_money(text: str) -> Decimal:
    value = parse_number(text)
    if (problem := amount_problem(value)) is not None:
        raise ValueError(problem)
    return value.quantize(Decimal("0.01"))


class NotPlain(ValueError):  # noqa: N818 - a signal to the fast path, never a user's error
    """A cell not in the plain form that ``plain_day`` and ``plain_money`` read: the caller reads
    it the general way, which gives the reason if it is wrong."""


_PLAIN_MONEY = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?")
_CENT = Decimal("0.01")


def plain_day(text: str) -> date:
    """``YYYY-MM-DD`` within the days SalesRelay accepts (nearly every date of an export), at C
    speed; anything else raises ``NotPlain``."""
    if len(text) != 10 or text[4] != "-":
        raise NotPlain(text)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise NotPlain(text) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise NotPlain(text)
    return day


def plain_money(text: str) -> Decimal:
    """``1234.5`` or ``-1234.50`` (at most 12 digits before the point, 2 after) as an amount;
    anything else raises ``NotPlain``. ``parse_money`` gives the same value for the same text."""
    if _PLAIN_MONEY.fullmatch(text) is None:
        raise NotPlain(text)
    return Decimal(text).quantize(_CENT)


def cell_text(value: object) -> str | None:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    text = str(value).strip()
    return text or None
