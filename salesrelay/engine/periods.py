"""Pay periods: calendar months, and the days an employee or a plan counts in one.

>>> march = Month.parse("2026-03")
>>> march.first, march.last, march.days
(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), 31)
>>> overlap_days(march.first, march.last, date(2026, 3, 20), None)
12

Bounds are inclusive on both ends: an employee who leaves on the 20th worked on the 20th, and a
plan whose ``effective_to`` is the 20th applies on the 20th.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# The months a person may name (a typed 1926 or 2206 is a mistake, not history).
FIRST_YEAR = 2000
LAST_YEAR = 2100


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise PeriodError(f"{self.year:04d}-{self.month:02d} is not a month")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.match(text.strip())
        if match is None:
            raise PeriodError(f"{text!r} is not a month; write it as YYYY-MM, e.g. 2026-03")
        if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            raise PeriodError(f"{text.strip()} is outside {FIRST_YEAR}-01 to {LAST_YEAR}-12")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    if last < first:
        raise PeriodError(f"the range {first} to {last} ends before it starts")
    result = [first]
    while result[-1] < last:
        result.append(result[-1].next())
    return result


def overlap_days(first: date, last: date, start: date, end: date | None) -> int:
    """Days of ``[first, last]`` that fall in ``[start, end]`` (``end`` None: open-ended)."""
    low = max(first, start)
    high = last if end is None else min(last, end)
    return max(0, (high - low).days + 1)

