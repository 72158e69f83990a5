"""Python's cycle collector paused for a long run that makes many objects and no garbage cycles.

A month's payroll (a few hundred thousand rows, dates, amounts and lines, all alive until it ends)
and an import (millions of records) make nothing the collector is for, and every collection of
the oldest generation would walk all of them again: a fifth of a month's payroll and seconds of
an import on the 1M-deal history. Reference counting frees them as before; what little cyclic
garbage there is goes at the next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():  # already paused by a caller: theirs to resume
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
