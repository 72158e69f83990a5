"""Writes to the activity timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.clients.models import Client
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_day, require_fields
from salesrelay.materials.models import SalesMaterial
from salesrelay.people.models import Employee
from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.pipeline.models import Activity
from salesrelay.refs import give_ref, placeholder_ref


@transaction.atomic
def log_activity(
    *,
    client: Client,
    employee: Employee,
    kind: str,
    acting_user,
    subject: str = "",
    planned_on: date | None = None,
    planned_at: time | None = None,
    done_on: date | None = None,
    outcome: str = "",
    materials: Sequence[SalesMaterial] = (),
) -> Activity:
    if kind not in ActivityKind.values:
        raise ActionError(ErrorCode.INVALID, _("Unknown activity kind %(kind)s.") % {"kind": kind})
    if outcome and outcome not in Outcome.values:
        raise ActionError(ErrorCode.INVALID, _("Unknown outcome %(outcome)s.") % {
            "outcome": outcome})
    if planned_on is None and done_on is None:
        raise ActionError(ErrorCode.INVALID, _("Give the date the activity is planned or done."))
    if planned_at is not None and planned_on is None:
        raise ActionError(ErrorCode.INVALID, _("A time needs the day it is planned on."),
                          field="planned_at")
    require_day(planned_on, _("planned on"))
    require_day(done_on, _("done on"))
    require_fields(Activity, subject=subject)
    if materials and kind != ActivityKind.MEETING:
        raise ActionError(ErrorCode.INVALID, _("Sales materials are shown at meetings only."))
    if outcome and done_on is None and outcome != Outcome.CANCELLED:
        raise ActionError(ErrorCode.INVALID, _("An outcome needs the date it happened."))
    activity = Activity.objects.create(
        ref=placeholder_ref(), client=client, employee=employee, kind=kind, subject=subject,
        planned_on=planned_on, planned_at=planned_at, done_on=done_on, outcome=outcome,
    )
    give_ref(activity)
    activity.materials.set(materials)
    record("activity.log", activity, actor=acting_user, client=client.ref, kind=kind,
           planned_on=planned_on, planned_at=planned_at.isoformat() if planned_at else None,
           outcome=outcome, materials=[m.ref for m in materials])
    return activity


@transaction.atomic
def complete_activity(activity: Activity, *, outcome: str, done_on: date, acting_user,
                      materials: Sequence[SalesMaterial] = ()) -> Activity:
    if outcome not in Outcome.values:
        raise ActionError(ErrorCode.INVALID, _("Unknown outcome %(outcome)s.") % {
            "outcome": outcome})
    if materials and activity.kind != ActivityKind.MEETING:
        raise ActionError(ErrorCode.INVALID, _("Sales materials are shown at meetings only."))
    activity.outcome = outcome
    activity.done_on = done_on
    activity.save(update_fields=["outcome", "done_on"])
    if materials:
        activity.materials.set(materials)
    record("activity.complete", activity, actor=acting_user, outcome=outcome, done_on=done_on)
    return activity


@transaction.atomic
def mark_activity_done(activity: Activity, *, done: bool, acting_user,
                       on: date | None = None) -> Activity:
    """The task's tick box: done today (outcome *done* unless it has one), or not done after all
    (its outcome cleared; a task that only ever had the day it was done keeps that day as its
    plan). Ticking a done task again changes nothing."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if done == activity.is_done:
        return activity
    if done:
        activity.done_on = require_day(on, _("done on")) or date.today()
        activity.outcome = activity.outcome or Outcome.DONE
    else:
        activity.planned_on = activity.planned_on or activity.done_on
        activity.done_on = None
        activity.outcome = ""
    activity.save(update_fields=["planned_on", "done_on", "outcome"])
    record("activity.done" if done else "activity.undone", activity, actor=acting_user,
           done_on=activity.done_on)
    return activity
