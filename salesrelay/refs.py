"""Public ids of records (SPEC §6: "ids are the ids of the interchange files").

A record imported from a file keeps the file's id as ``ref``. A record entered in the app gets a
prefixed, zero-padded id of its own, ``D-000042`` for deal 42, so that it can never be mistaken for
an imported id and sorts in entry order.
"""

from __future__ import annotations

import uuid
from typing import Any

PREFIXES = {
    "employee": "E",
    "client": "C",
    "deal": "D",
    "payment": "P",
    "activity": "A",
    "salesmaterial": "M",
}


def placeholder_ref() -> str:
    return f"new-{uuid.uuid4().hex}"


def give_ref(obj: Any) -> None:
    """Give a just-inserted record its own public id (one UPDATE, inside the caller's transaction)."""
    obj.ref = f"{PREFIXES[obj._meta.model_name]}-{obj.pk:06d}"
    type(obj).objects.filter(pk=obj.pk).update(ref=obj.ref)
