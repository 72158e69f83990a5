"""Turn ``SALESRELAY_DATABASE_URL`` into a Django ``DATABASES`` entry.

Two schemes are understood, the two databases SalesRelay supports::

    sqlite:///relative/path.sqlite3      sqlite:////absolute/path.sqlite3
    postgres://user:password@host:5432/name   (also postgresql://)

With no URL the database is ``salesrelay.sqlite3`` in the working folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

DEFAULT_SQLITE_FILE = "salesrelay.sqlite3"


class DatabaseUrlError(ValueError):
    pass


def database_from_url(url: str | None, *, cwd: Path) -> dict[str, Any]:
    if not url:
        return _sqlite(cwd / DEFAULT_SQLITE_FILE)
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/"):
            path = path[1:]
        if not path:
            raise DatabaseUrlError(f"SALESRELAY_DATABASE_URL {url!r} names no SQLite file")
        file = Path(path)
        return _sqlite(file if file.is_absolute() else cwd / file)
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise DatabaseUrlError(f"SALESRELAY_DATABASE_URL {url!r} names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 0,
            # No JIT compilation: the analytics' queries over a year of a big history look
            # costly enough to the planner for it, and compiling took 0.2 s a query, more than
            # running most of them.
            "OPTIONS": {"options": "-c jit=off"},
            "TEST": {"NAME": f"test_{name}"},
        }
    raise DatabaseUrlError(
        f"SALESRELAY_DATABASE_URL scheme {parts.scheme!r} is not supported: "
        "use sqlite:///FILE or postgres://USER@HOST:PORT/NAME"
    )


def _sqlite(file: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(file),
        # Tests run on a real file too, never on an in-memory database.
        "TEST": {"NAME": str(file.with_name(f"test_{file.name}"))},
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # WAL lets pages read while a payment is written; a 128 MB page cache keeps the
            # indexes of a million-deal history in memory during an import or a payroll run.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY",
        },
    }
