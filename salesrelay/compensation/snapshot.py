"""Reading a whole period from one snapshot of the database.

A payroll run reads allocations, deals and clients in several queries. On PostgreSQL, under the
default READ COMMITTED, a payment committed between two of them could be seen by one and not the
other; ``consistent_reads`` makes the outermost transaction REPEATABLE READ so that every query
of the run sees the same committed state. SQLite transactions are serialised (``BEGIN
IMMEDIATE``) and already see one state. Both branches are exercised by the suite, which runs on
both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def consistent_reads() -> Iterator[None]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
