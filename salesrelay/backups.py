"""Backup and restore, one command each (SPEC §7), for the database in use.

SQLite: ``backup`` copies the live database page by page with SQLite's online backup (readers and
writers may go on meanwhile) into a file that is itself a SQLite database; ``restore`` copies such
a file back over the live database the same way, in one step. PostgreSQL: ``pg_dump`` in its
custom format, and ``pg_restore --clean --single-transaction`` (all or nothing).

Every backup carries a **marker**, a row of ``salesrelay_backup`` (:class:`~salesrelay.web.models.Backup`):
the product, its version, when it was taken and the rows of the main tables. On SQLite it is
written into the copy only, with the copy's own counts; on PostgreSQL it is written into the live
database just before ``pg_dump`` (so the table is also the list of backups taken, and the counts
are those of the moment the backup started). ``restore`` reads the file before it touches
anything (:func:`inspect`): a file that is not a backup of this engine, lacks the product's
tables or has no marker is refused with the reason, and the marker is what the command shows
before ``--yes``::

    copy.backup: a SalesRelay 0.1.0 backup (SQLite), taken 2026-12-01 16:40 Europe/Moscow
      employees 12, clients 310, deals 940, ...
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"
PRODUCT = "SalesRelay"
MARKER_TABLE = "salesrelay_backup"
MAIN_TABLES = {
    "employees": "people.Employee",
    "clients": "clients.Client",
    "deals": "deals.Deal",
    "payments": "payments.Payment",
    "allocations": "payments.Allocation",
    "activities": "pipeline.Activity",
    "pay periods": "compensation.Period",
    "payout lines": "compensation.PayoutLine",
    "plan versions": "compensation.PlanVersion",
    "audit entries": "audit.AuditEntry",
}
"""The tables a backup must have, and counts in its marker, by the name a person reads."""


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupInfo:
    file: Path
    engine: str
    version: str
    taken_at: datetime
    rows: dict[str, int]

    def describe(self) -> str:
        taken = timezone.localtime(self.taken_at)
        return (f"{self.file}: a {PRODUCT} {self.version} backup ({self.engine}), taken "
                f"{taken:%Y-%m-%d %H:%M} {timezone.get_current_timezone_name()}\n  "
                + ", ".join(f"{label} {count}" for label, count in self.rows.items()))


def product_version() -> str:
    try:
        return version("salesrelay")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _tables() -> dict[str, str]:
    return {label: apps.get_model(model)._meta.db_table for label, model in MAIN_TABLES.items()}


def backup(target: Path) -> BackupInfo:
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    connection.ensure_connection()
    if MARKER_TABLE not in connection.introspection.table_names():
        raise BackupError("the database has no backup marker table; run `salesrelay migrate` first")
    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            # One self-contained file, whatever journal the live database keeps.
            copy.execute("PRAGMA journal_mode=DELETE")
            _mark_sqlite_copy(copy)
        copy.close()
    else:
        _mark_live_database()
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}")
    return inspect(target)


def _mark_sqlite_copy(copy: sqlite3.Connection) -> None:
    rows = {label: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for label, table in _tables().items()}
    copy.execute(f'INSERT INTO "{MARKER_TABLE}" (product, version, taken_at, rows) '  # noqa: S608
                 "VALUES (?, ?, ?, ?)",
                 (PRODUCT, product_version(),
                  connection.ops.adapt_datetimefield_value(timezone.now()), json.dumps(rows)))


@transaction.atomic
def _mark_live_database() -> None:
    from salesrelay.web.models import Backup

    rows = {label: apps.get_model(model).objects.count() for label, model in MAIN_TABLES.items()}
    Backup.objects.create(product=PRODUCT, version=product_version(), taken_at=timezone.now(),
                          rows=json.dumps(rows))


def inspect(source: Path) -> BackupInfo:
    """What the backup file holds, or :class:`BackupError` with the reason it is none (for the
    database in use: a SQLite installation restores SQLite backups, PostgreSQL pg_dump ones)."""
    try:
        with source.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror}") from None
    connection.ensure_connection()
    kind = "sqlite" if head == SQLITE_HEADER else "postgresql" if head.startswith(PG_HEADER) else None
    if kind is None:
        raise BackupError(f"{source} is not a {PRODUCT} backup: neither a SQLite database nor a "
                          "pg_dump archive")
    if kind != connection.vendor:
        made, here = ("SQLite", "PostgreSQL") if kind == "sqlite" else ("PostgreSQL", "SQLite")
        raise BackupError(f"{source} is a {made} backup; this installation runs on {here}")
    tables, marker = _read_sqlite(source) if kind == "sqlite" else _read_pg(source)
    missing = [t for t in [*_tables().values(), "django_migrations", MARKER_TABLE] if t not in tables]
    if missing:
        raise BackupError(f"{source} is not a {PRODUCT} backup: it has no table "
                          f"{', '.join(missing[:4])}{' …' if len(missing) > 4 else ''}")
    if marker is None or marker[0] != PRODUCT:
        raise BackupError(f"{source} is not a {PRODUCT} backup: no marker row in {MARKER_TABLE} "
                          "(backups are made by `salesrelay backup`)")
    _, made_by, taken_at, rows = marker
    try:
        counts = {str(k): int(v) for k, v in json.loads(rows).items()}
    except (ValueError, TypeError, AttributeError):
        raise BackupError(f"{source}: its marker row is damaged") from None
    return BackupInfo(source, "SQLite" if kind == "sqlite" else "PostgreSQL", made_by,
                      _moment(taken_at), counts)


Marker = tuple[str, str, str, str]


def _read_sqlite(source: Path) -> tuple[set[str], Marker | None]:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_file:
            tables = {name for (name,) in backup_file.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            marker = backup_file.execute(
                f'SELECT product, version, taken_at, rows FROM "{MARKER_TABLE}" '  # noqa: S608
                "ORDER BY id DESC LIMIT 1").fetchone() if MARKER_TABLE in tables else None
        backup_file.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a {PRODUCT} backup: {error}") from None
    return tables, marker


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def _read_pg(source: Path) -> tuple[set[str], Marker | None]:
    listing = _pg_restore("--list", str(source))
    tables = {found.group(2) for line in listing.splitlines()
              if (found := _TOC_TABLE.match(line))}
    if MARKER_TABLE not in tables:
        return tables, None
    script = _pg_restore("--data-only", f"--table={MARKER_TABLE}", "--file=-", str(source))
    return tables, _last_copied_row(script, ("product", "version", "taken_at", "rows"))


def _last_copied_row(script: str, wanted: tuple[str, ...]) -> Marker | None:
    """The last row of the ``COPY … FROM stdin`` block of a pg_restore script, by column name."""
    columns: list[str] | None = None
    last = None
    for line in script.splitlines():
        if columns is None:
            if line.startswith("COPY ") and line.endswith("FROM stdin;"):
                columns = [c.strip() for c in line[line.index("(") + 1:line.rindex(")")].split(",")]
            continue
        if line == "\\.":
            break
        last = dict(zip(columns, (_unescape(value) for value in line.split("\t")), strict=False))
    if last is None:
        return None
    values = tuple(last.get(name) or "" for name in wanted)
    return values[0], values[1], values[2], values[3]


def _unescape(value: str) -> str:
    """A value as COPY's text format writes it (backslash escapes)."""
    if "\\" not in value:
        return value
    escapes = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), value)


def _moment(text: str) -> datetime:
    text = text.strip()
    if re.search(r"[+-]\d\d$", text):
        text += ":00"  # PostgreSQL writes "+03" for "+03:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BackupError(f"its marker has no readable date ({text!r})") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def restore(source: Path) -> BackupInfo:
    """Replace the whole database with the backup, after :func:`inspect` has accepted it."""
    info = inspect(source)
    if connection.vendor == "sqlite":
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as original:
            original.backup(connection.connection)
        original.close()
        return info
    connection.close()
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        str(source))
    return info


def _pg_restore(*args: str) -> str:
    """pg_restore reading an archive (no database involved): its output."""
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (apt-get install postgresql-client)")
    # The program is fixed; the arguments are ours and the file name the user's.
    done = subprocess.run(["pg_restore", *args], capture_output=True, text=True,  # noqa: S603, S607
                          check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{args[-1]} is not a readable pg_dump archive: {last}")
    return done.stdout


def _pg(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client)")
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [program, f"--dbname={settings['NAME']}"]
    if settings.get("HOST"):
        command.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        command.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        command.append(f"--username={settings['USER']}")
    # The program is fixed and the arguments come from the settings and the command line.
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{program} failed: {last}")
