"""Writes to the Targets and Fixed costs tables: one month's row set or removed, in one
transaction with its audit row.

A locked month's figures are final. Its fixed costs are *F* of its break-even figures, so they
never change once the month is locked; a target is refused when the plan version the month was
locked with read it (a ``kpi_bonus`` without a ``target`` of its own, on that metric, in effect
in the month) and accepted otherwise (nothing paid depended on it).

>>> set_fixed_cost(Month(2026, 3), "rent", Decimal("500.00"), acting_user=None)  # doctest: +SKIP
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.clients.models import Segment
from salesrelay.compensation.choices import PeriodStatus
from salesrelay.compensation.models import Period
from salesrelay.compensation.plans import plans_of
from salesrelay.engine.periods import Month
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.finance.models import FixedCost, Target
from salesrelay.input_rules import amount_problem, require_fields

METRICS = ("new_clients", "collections", "meeting_to_deal_conversion")
SEGMENT_METRIC = "new_clients_in_segment:"


def target_metrics() -> list[str]:
    """The metrics a target may name: the KPI metrics, one per segment of the Segment table."""
    codes = Segment.objects.order_by("code").values_list("code", flat=True)
    return [METRICS[0], *(SEGMENT_METRIC + code for code in codes), *METRICS[1:]]


def _locked(month: Month) -> Period | None:
    return Period.objects.select_related("plan_version").filter(
        month=month.first, status=PeriodStatus.LOCKED).first()


def _target_was_read(period: Period, metric: str) -> bool:
    month = Month.of(period.month)
    for plan in plans_of(period.plan_version).plans:
        if plan.effective_from > month.last or (plan.effective_to is not None
                                                 and plan.effective_to < month.first):
            continue
        for component in plan.components:
            params = component.params
            if (component.kind == "kpi_bonus" and params.target is None
                    and params.metric == metric):
                return True
    return False


def _check_target(month: Month, metric: str, value: Decimal | None) -> None:
    if metric not in target_metrics():
        raise ActionError(ErrorCode.INVALID, _("%(metric)s is not a metric a target can have "
                                               "(%(known)s)") % {
            "metric": metric, "known": ", ".join(target_metrics())}, field="metric")
    if value is not None:
        problem = amount_problem(value, places=4) or (_("A target cannot be negative.")
                                                      if value < 0 else None)
        if problem:
            raise ActionError(ErrorCode.INVALID, problem, field="value")
    period = _locked(month)
    if period is not None and _target_was_read(period, metric):
        raise ActionError(ErrorCode.PERIOD_LOCKED, _(
            "%(month)s is locked and its pay was calculated with this target: it cannot change")
            % {"month": month}, field="month")


@transaction.atomic
def set_target(month: Month, metric: str, value: Decimal, *, acting_user) -> Target:
    """The month's target for ``metric``, added or changed."""
    _check_target(month, metric, value)
    target = Target.objects.select_for_update().filter(month=month.first, metric=metric).first()
    before = None if target is None else target.value
    if target is None:
        target = Target.objects.create(month=month.first, metric=metric, value=value)
    else:
        target.value = value
        target.save(update_fields=["value"])
    record("target.set", target, actor=acting_user, month=str(month), metric=metric,
           value=value, before=before)
    return target


@transaction.atomic
def remove_target(target: Target, *, acting_user) -> None:
    month = Month.of(target.month)
    _check_target(month, target.metric, None)
    record("target.remove", target, actor=acting_user, month=str(month), metric=target.metric,
           value=target.value)
    target.delete()


def _check_fixed_cost(month: Month, category: str, amount: Decimal | None) -> None:
    if not category:
        raise ActionError(ErrorCode.INVALID, _("Give the category."), field="category")
    require_fields(FixedCost, category=category)  # hidden characters, the field's length
    if amount is not None:
        problem = amount_problem(amount) or (_("A fixed cost cannot be negative.")
                                             if amount < 0 else None)
        if problem:
            raise ActionError(ErrorCode.INVALID, problem, field="amount")
    if _locked(month) is not None:
        raise ActionError(ErrorCode.PERIOD_LOCKED, _(
            "%(month)s is locked: its fixed costs are part of its figures and cannot change")
            % {"month": month}, field="month")


@transaction.atomic
def set_fixed_cost(month: Month, category: str, amount: Decimal, *, acting_user) -> FixedCost:
    """The month's fixed cost of ``category``, added or changed."""
    category = category.strip()
    _check_fixed_cost(month, category, amount)
    cost = FixedCost.objects.select_for_update().filter(month=month.first,
                                                        category=category).first()
    before = None if cost is None else cost.amount
    if cost is None:
        cost = FixedCost.objects.create(month=month.first, category=category, amount=amount)
    else:
        cost.amount = amount
        cost.save(update_fields=["amount"])
    record("fixed_cost.set", cost, actor=acting_user, month=str(month), category=category,
           amount=amount, before=before)
    return cost


@transaction.atomic
def remove_fixed_cost(cost: FixedCost, *, acting_user) -> None:
    month = Month.of(cost.month)
    _check_fixed_cost(month, cost.category, None)
    record("fixed_cost.remove", cost, actor=acting_user, month=str(month),
           category=cost.category, amount=cost.amount)
    cost.delete()
