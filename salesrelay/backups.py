"""Backup and restore, one command each (SPEC §7), for the database in use.

SQLite: ``backup`` copies the live database page by page with SQLite's online backup (readers and
writers may go on meanwhile) into a file that is itself a SQLite database; ``restore`` copies such
a file back over the live database the same way, in one step. PostgreSQL: ``pg_dump`` in its
custom format, and ``pg_restore --clean --single-transaction`` (all or nothing). A file of the
wrong kind is refused before anything is touched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"


class BackupError(Exception):
    pass


def backup(target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    _pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}")


def restore(source: Path) -> None:
    try:
        head = source.open("rb").read(16)
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror}") from None
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if head != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SalesRelay SQLite backup")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as original:
            original.backup(connection.connection)
        original.close()
        return
    if not head.startswith(PG_HEADER):
        raise BackupError(f"{source} is not a pg_dump custom-format backup")
    connection.close()
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        str(source))


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
        raise BackupError(f"{program} failed: {done.stderr.strip().splitlines()[-1:]}")
