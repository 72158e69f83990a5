"""Inserting many rows fast, on SQLite and PostgreSQL alike.

``bulk_create`` compiles every value of every row through its field (about three microseconds a
value), which is most of an import of a million deals. ``insert(objects, fields)`` writes the
same rows with ``executemany`` and sets each object's primary key. Values go to the driver as
they are: psycopg adapts dates and decimals, and Django registers SQLite adapters for both; only
aware datetimes are converted the way Django stores them. The suite runs it on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models.base import ModelState

BATCH = 20000


_DEFAULTS: dict[Any, dict[str, Any]] = {}


def build(model: Any, related: dict[str, Any] | None = None, **values: Any) -> Any:
    """A new, unsaved instance of ``model`` without ``Model.__init__`` (which checks every field
    and, for each related object, asks the database router; a tenth of a second per ten thousand
    rows). ``values`` are attribute values; ``related`` maps a foreign key's name to its object,
    cached as ``instance.<name>`` exactly as assigning it would. Only for the importer's plans,
    which are then written with :func:`insert`."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = {}
        for field in model._meta.concrete_fields:
            defaults[field.attname] = field.get_default()
        _DEFAULTS[model] = defaults
    obj = model.__new__(model)
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    obj._state = ModelState()
    for name, target in (related or {}).items():
        obj.__dict__[model._meta.get_field(name).attname] = None if target is None else target.pk
        obj._state.fields_cache[name] = target
    return obj


def insert(objects: Sequence[Any], fields: Sequence[str]) -> None:
    """Insert model instances (all of one model), reading ``fields`` (attribute names, e.g.
    ``client_id``) and setting ``pk`` from the database."""
    if not objects:
        return
    values = attrgetter(*fields)
    rows = [values(obj) for obj in objects] if len(fields) > 1 else [
        (values(obj),) for obj in objects]
    for obj, pk in zip(objects, insert_rows(type(objects[0]), fields, rows), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(model: Any, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows given as value lists in the order of ``fields``; their new primary keys.

    The keys are taken first — on PostgreSQL from the table's sequence, on SQLite after the
    highest one, which is safe because an import holds SQLite's write lock from its first
    statement (``BEGIN IMMEDIATE``) — and the rows are then sent with ``executemany``, which both
    drivers run without building one statement per batch.
    """
    if not rows:
        return []
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    pk_column = meta.pk.column
    columns = ", ".join(connection.ops.quote_name(c)
                        for c in [pk_column, *(meta.get_field(name).column for name in fields)])
    # Dates and decimals go to the driver as they are (Django registers SQLite adapters for both);
    # an aware datetime and a JSON document are stored the way Django stores them.
    moments = [i for i, name in enumerate(fields)
               if meta.get_field(name).get_internal_type() == "DateTimeField"]
    documents = [(i, meta.get_field(name)) for i, name in enumerate(fields)
                 if meta.get_field(name).get_internal_type() == "JSONField"]
    adapted: dict[Any, Any] = {}  # a moment is most often the same for every row (the import's)

    def moment(value: Any) -> Any:
        if value not in adapted:
            adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return adapted[value]

    with connection.cursor() as cursor:
        pks = _reserve_keys(cursor, meta.db_table, pk_column, len(rows))
        if moments or documents:
            params = []
            for pk, values in zip(pks, rows, strict=True):
                values = list(values)
                for i in moments:
                    values[i] = moment(values[i])
                for i, field in documents:
                    values[i] = field.get_db_prep_save(values[i], connection)
                params.append((pk, *values))
        else:
            params = [(pk, *values) for pk, values in zip(pks, rows, strict=True)]
        if connection.vendor == "postgresql":
            # COPY streams the rows in PostgreSQL's own format: several times faster than INSERT.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return pks
        marks = ", ".join(["%s"] * (len(fields) + 1))
        # Names come from the model's meta, quoted; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start:start + BATCH])
    return pks


def _reserve_keys(cursor, table: str, column: str, count: int) -> list[int]:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, column, count])
        return [pk for (pk,) in cursor.fetchall()]
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {quoted}")  # noqa: S608
    (highest,) = cursor.fetchone()
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    found = cursor.fetchone()
    start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


BULK = 50_000  # rows at which a table's secondary indexes are built after the rows, not during


@contextmanager
def bulk_load(model: Any, rows: int) -> Iterator[None]:
    """Insert ``rows`` rows into ``model``'s table with its secondary indexes built once at the
    end rather than row by row, when that is a bulk load: at least ``BULK`` rows and more than
    the table holds. Each index is dropped and created again with its own definition, inside the
    caller's transaction (a failure restores them with everything else). A unique index (of a
    ``UniqueConstraint``) checks the rows when it is built again: a duplicate fails the
    transaction then, as it would have failed the insert. The indexes of a primary key and of a
    unique column stay. A million deals load in 12 s of processor time this way against 21 s
    with their indexes kept (SQLite; the indexes of a deal's dates, status and owner are random
    inserts into trees larger than the page cache). On PostgreSQL the table's foreign keys are
    dropped and added again the same way: adding one checks every row in one query, where each
    row would have queued a check of its own (half the server's time on 100 000 deals)."""
    table = model._meta.db_table
    if rows < BULK or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        (held,) = cursor.fetchone()
        if held >= rows:
            indexes = []
        elif connection.vendor == "postgresql":
            # Not the indexes of a primary key or unique constraint (dropped with it, not alone).
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                           "AND schemaname = current_schema() AND indexname NOT IN "
                           "(SELECT conname FROM pg_constraint)", [table])
            indexes = cursor.fetchall()
        else:
            # Not the automatic indexes of a primary key or a unique column (no ``sql``).
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = %s AND sql IS NOT NULL", [table])
            indexes = cursor.fetchall()
        keys = []
        if indexes and connection.vendor == "postgresql":
            # Its foreign keys too: added again, each checks every row in one query rather than
            # one trigger a row.
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
            keys = cursor.fetchall()
        quoted = connection.ops.quote_name(table)
        if keys:  # no table it names may have checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    if not indexes:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows' foreign keys are checked now rather than at the commit: PostgreSQL builds
            # no index on a table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quoted} ADD CONSTRAINT "
                           f"{connection.ops.quote_name(name)} {definition}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The planner's statistics of the table, which a bulk load leaves wrong (PostgreSQL: last
        # autovacuum's, possibly none) or absent (SQLite keeps none until asked): without them a
        # list page over a million rows may walk the wrong index. SQLite reads a sample of each
        # index (``analysis_limit``), a few milliseconds on a million deals.
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute(f"ANALYZE {quoted}")
            cursor.execute("PRAGMA analysis_limit = 0")
        else:
            cursor.execute(f"ANALYZE {quoted}")
