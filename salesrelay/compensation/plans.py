"""The plan in force: the latest version loaded, read back into the engine's plans."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from salesrelay.audit.log import acting_user, record
from salesrelay.clients.models import Segment
from salesrelay.compensation.models import PlanVersion
from salesrelay.engine.plans import PlanError, PlanSet, parse_plans
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.people.models import Employee


def read_plan(text: str) -> PlanSet:
    """Parse and check a plan file against the people it names; ``ActionError`` lists every
    problem."""
    try:
        plans = parse_plans(text)
    except PlanError as error:
        raise ActionError(ErrorCode.INVALID, "; ".join(error.problems)) from None
    named = {ref for plan in plans.plans for ref in plan.employees}
    known = set(Employee.objects.filter(ref__in=named).values_list("ref", flat=True))
    unknown = sorted(named - known)
    if unknown:
        raise ActionError(ErrorCode.INVALID, _("the plan names employees that do not exist: %(ids)s")
                          % {"ids": ", ".join(unknown)})
    segments = {c.params.segment for plan in plans.plans for c in plan.components
                if getattr(c.params, "segment", None) is not None}
    missing = sorted(segments - set(Segment.objects.values_list("code", flat=True)))
    if missing:
        raise ActionError(ErrorCode.UNKNOWN_SEGMENT, _(
            "the plan names segments that do not exist: %(codes)s (the segments are %(known)s)")
            % {"codes": ", ".join(missing),
               "known": ", ".join(Segment.objects.values_list("code", flat=True))})
    return plans


def current_version() -> PlanVersion | None:
    return PlanVersion.objects.order_by("-number").first()


def plans_of(version: PlanVersion | None) -> PlanSet:
    return PlanSet(()) if version is None else parse_plans(version.text)


@transaction.atomic
def load_plan(text: str, *, actor=None) -> tuple[PlanVersion, bool]:
    """Store a plan file as the new version in force; ``(version, created)``. The same text as
    the version in force stores nothing."""
    plans = read_plan(text)
    latest = PlanVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and latest.text.strip() == text.strip():
        return latest, False
    version = PlanVersion.objects.create(
        number=(latest.number + 1) if latest else 1, text=text,
        plan_ids=", ".join(p.id for p in plans.plans)[:500],
        loaded_by=acting_user(actor),
    )
    record("plan.load", version, actor=actor, plans=[p.id for p in plans.plans])
    return version, True
