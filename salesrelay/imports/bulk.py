"""Inserting many rows fast, on SQLite and PostgreSQL alike.

``bulk_create`` compiles every value of every row through its field (about three microseconds a
value), which is most of an import of a million deals. ``insert(objects, fields)`` writes the
same rows with one multi-row ``INSERT … RETURNING id`` a batch and sets each object's primary
key. Values go to the driver as they are: psycopg adapts dates and decimals, and Django registers
SQLite adapters for both; only aware datetimes are converted the way Django stores them. The
suite runs it on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

MAX_PARAMETERS = 30000


def insert(objects: Sequence[Any], fields: Sequence[str]) -> None:
    """Insert model instances (all of one model), reading ``fields`` (attribute names, e.g.
    ``client_id``) and setting ``pk`` from the database."""
    if not objects:
        return
    rows = [[getattr(obj, name) for name in fields] for obj in objects]
    for obj, pk in zip(objects, insert_rows(type(objects[0]), fields, rows), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(model: Any, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows given as value lists in the order of ``fields``; their new primary keys."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    pk_column = connection.ops.quote_name(meta.pk.column)
    # Dates and decimals go to the driver as they are (Django registers SQLite adapters for both);
    # an aware datetime is stored the way Django stores it.
    moments = [i for i, name in enumerate(fields)
               if meta.get_field(name).get_internal_type() == "DateTimeField"]
    per_batch = max(1, MAX_PARAMETERS // len(fields))
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pks: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start:start + per_batch]
            params: list[Any] = []
            for values in batch:
                if moments:
                    values = list(values)
                    for i in moments:
                        values[i] = connection.ops.adapt_datetimefield_value(values[i])
                params.extend(values)
            # Names come from the model's meta, quoted; every value is a parameter.
            sql = (f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row_marks] * len(batch))} "  # noqa: S608
                   f"RETURNING {pk_column}")
            cursor.execute(sql, params)
            pks.extend(pk for (pk,) in cursor.fetchall())
    return pks
