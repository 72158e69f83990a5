"""Writing the audit log: every action calls ``record`` inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from salesrelay.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(action: str, obj: Any, *, actor: Any = None, **details: Any) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name,
        object_ref=str(getattr(obj, "ref", obj.pk))[-255:],
        details=_plain(details),
    )


def record_many(action: str, objs: Iterable[Any], *, actor: Any = None, **details: Any) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            object_type=obj._meta.model_name,
            object_ref=str(getattr(obj, "ref", obj.pk)),
            details=_plain(details),
        )
        for obj in objs
    )
