"""Deal numbers: the 1st, 2nd, … won deal of a client (SPEC §1).

Won deals are ordered by ``won_on``, then by deal id, the ids compared as numbers when both are
whole numbers and as text otherwise:

>>> sorted(["10", "9", "A-2"], key=id_sort_key)
['9', '10', 'A-2']

A number, once given, is never changed: a deal won later with an earlier ``won_on`` still takes
the next number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cmp_to_key
from typing import Any


def compare_ids(a: str, b: str) -> int:
    if a.isdigit() and b.isdigit():
        x, y = int(a), int(b)
        return (x > y) - (x < y)
    return (a > b) - (a < b)


id_sort_key = cmp_to_key(compare_ids)


def id_key_for(ids: Iterable[str]) -> Callable[[str], Any]:
    """A sort key for these ids that orders them as ``compare_ids`` does, as fast as a plain
    key when they are all whole numbers or none of them is."""
    kinds = {i.isdigit() for i in ids}
    if kinds == {True}:
        return int
    if kinds <= {False}:
        return str
    return id_sort_key


def _compare_wins(a: tuple[date, str], b: tuple[date, str]) -> int:
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    return compare_ids(a[1], b[1])


win_sort_key = cmp_to_key(_compare_wins)
"""Sort key for ``(won_on, deal_id)`` pairs."""


def next_number(given: Iterable[int | None]) -> int:
    """The number the client's next won deal gets."""
    return max((n for n in given if n is not None), default=0) + 1
