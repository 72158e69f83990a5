"""Django's ``SECRET_KEY`` (it signs sessions, CSRF tokens and password-reset links), never a
constant in the code.

``SALESRELAY_SECRET_KEY`` gives it; without it a key is generated once with :mod:`secrets` and
kept in ``salesrelay-secret.key`` in the data folder (the folder of the SQLite file, else the
working folder), readable by its owner only (mode 0600). Every later start, and every worker of
``salesrelay serve``, reads the same file, so logins survive a restart:

>>> key = secret_key(Path("/var/lib/salesrelay"))      # doctest: +SKIP
>>> key == secret_key(Path("/var/lib/salesrelay"))     # doctest: +SKIP
True
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "salesrelay-secret.key"


def data_folder(database: dict[str, Any], cwd: Path) -> Path:
    """Where the installation keeps its files: beside the SQLite database, else the working folder."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return Path(database["NAME"]).parent
    return cwd


def secret_key(folder: Path) -> str:
    path = folder / KEY_FILE
    try:
        return _read(path) or _create(path)
    except OSError as error:
        raise ImproperlyConfigured(
            f"cannot keep the secret key in {path}: {error.strerror}; "
            "set SALESRELAY_SECRET_KEY or make the folder writable") from None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def _create(path: Path) -> str:
    """Write a new key into a private temporary file, then link it into place: two processes
    starting at once both end up with the key that was linked first, and nobody ever reads a
    half-written file."""
    key = secrets.token_urlsafe(50)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            existing = _read(path)
            if existing is None:
                raise
            return existing
    finally:
        draft.unlink(missing_ok=True)
    return key
