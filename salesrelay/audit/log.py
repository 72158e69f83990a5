"""Writing the audit log: every action calls ``record`` inside its own transaction."""

from __future__ import annotations

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


def acting_user(actor: Any) -> Any:
    """The logged-in user behind an action, or ``None`` (the CLI, an import, anonymous)."""
    return actor if actor is not None and actor.is_authenticated else None


def record(action: str, obj: Any, *, actor: Any = None, **details: Any) -> AuditEntry:
    """An action on one model instance, named by its public id."""
    return record_event(action, obj._meta.model_name, str(getattr(obj, "ref", obj.pk)),
                        actor=actor, **details)


def record_event(action: str, object_type: str, object_ref: str, *, actor: Any = None,
                 **details: Any) -> AuditEntry:
    """An action on something that is not one row, such as an import of a folder."""
    return AuditEntry.objects.create(
        actor=acting_user(actor),
        action=action,
        object_type=object_type,
        object_ref=object_ref[-255:],
        details=_plain(details),
    )
