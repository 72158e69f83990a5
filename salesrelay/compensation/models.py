"""Plans as loaded, pay periods and their payout lines, disputes.

A period's lines are written by one action (``calculate_period``) that replaces the draft; an
approved period keeps its lines; a locked one never changes again. Whatever later touches a
locked period becomes an adjustment line of the next open period, naming the original month.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.compensation.choices import (
    ComponentKind,
    DisputeStatus,
    LineSource,
    PeriodStatus,
    RunStatus,
    StatementStatus,
)
from salesrelay.compensation.fields import MoneyField
from salesrelay.restrict import RestrictedQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PlanVersion(models.Model):
    """One plan file as loaded; the latest version is the plan in force."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("plan file"))
    plan_ids = models.CharField(_("plans"), max_length=500)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("loaded by"),
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"v{self.number}: {self.plan_ids}"


class Period(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="periods",
        verbose_name=_("plan version"),
    )
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("approved by"),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("locked by"),
    )
    collections = MoneyField(_("collections R"), default=0)
    gross_profit = MoneyField(_("collected gross profit G"), default=0)
    fixed_costs = MoneyField(_("fixed costs F"), default=0)
    variable_pay = MoneyField(_("variable pay V"), default=0)
    operating_result = MoneyField(_("operating result O"), default=0)
    breakeven_revenue = MoneyField(_("break-even revenue"), null=True, blank=True)
    new_clients = models.PositiveIntegerField(_("new clients"), default=0)
    digest = models.CharField(
        _("digest of the lines"), max_length=64, blank=True, editable=False,
        help_text=_("Tells a recalculation that changed nothing from one that did."),
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("pay period")
        verbose_name_plural = _("pay periods")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="period_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.LOCKED


class PayoutLine(models.Model):
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="lines", verbose_name=_("period")
    )
    position = models.PositiveIntegerField(_("position"))
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="payout_lines",
        verbose_name=_("employee"),
    )
    source = models.CharField(_("source"), max_length=16, choices=LineSource.choices)
    plan_id = models.CharField(_("plan"), max_length=100, blank=True)
    component = models.CharField(_("component"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32)
    amount = MoneyField(_("amount"))
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("client"),
    )
    deal = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("deal"),
    )
    deal_number = models.PositiveIntegerField(_("deal number"), null=True, blank=True)
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("payment"),
    )
    base = models.DecimalField(_("base"), max_digits=24, decimal_places=6, null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10, null=True, blank=True)
    why = models.CharField(_("formula"), max_length=32)
    facts = models.JSONField(_("figures"), default=dict)
    adjusts = models.DateField(
        _("adjusts period"), null=True, blank=True,
        help_text=_("For an adjustment: the first day of the locked month it corrects."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "employee", "position"]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=LineSource.ADJUSTMENT) | Q(adjusts__isnull=False),
                name="payout_adjustment_names_its_period",
            ),
            models.CheckConstraint(
                condition=~Q(source=LineSource.MANUAL) | ~Q(reason=""),
                name="payout_manual_has_reason",
                violation_error_message=_("A manual adjustment must carry a reason."),
            ),
        ]
        indexes = [models.Index(fields=["period", "source"])]

    def __str__(self) -> str:
        return f"{self.period} {self.employee} {self.component} {self.amount}"

    @property
    def kind_label(self) -> "StrOrPromise":
        """The component's kind in words ("Share of deal profit"); its id stays beside it."""
        return ComponentKind(self.kind).label if self.kind in ComponentKind.values else self.kind


class Statement(models.Model):
    """One employee's pay in one calculated period, approved by someone else (SPEC §7). A
    recalculation that changes the employee's lines returns it to *to approve*."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="statements", verbose_name=_("period")
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="statements",
        verbose_name=_("employee"),
    )
    total = MoneyField(_("total"))
    digest = models.CharField(_("digest of the lines"), max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices,
        default=StatementStatus.PENDING,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("approved by"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "employee"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["period", "employee"], name="statement_once_a_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.employee}"


class Dispute(models.Model):
    # DO_NOTHING: a recalculation replaces a draft's lines in one statement and relinks each
    # dispute to the new line with the same source itself (actions._store), in one transaction.
    line = models.ForeignKey(
        PayoutLine, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="disputes",
        verbose_name=_("line"),
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("period")
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="disputes",
        verbose_name=_("employee"),
    )
    line_summary = models.TextField(_("line disputed"))
    comment = models.TextField(_("comment"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    adjustment = models.ForeignKey(  # a manual line, never replaced by a recalculation
        PayoutLine, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        verbose_name=_("manual adjustment"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.period} {self.employee}: {self.comment[:40]}"


class DesignRun(models.Model):
    """One run of the plan designer that the page asked for, calculated by the worker
    (:mod:`salesrelay.compensation.design`): the page answers at once and shows the result when
    it is there. ``key`` names the range, the multiple, the language of the texts and the state
    of the data; a run of an older state of the data is never shown, and is deleted when a run
    of a newer one is asked for."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    first = models.DateField(_("first month"))
    last = models.DateField(_("last month"))
    multiple = models.CharField(_("hunters' multiple of market salary"), max_length=16)
    """As it was asked (``2.0``): the plan file's header says it so."""
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    result = models.BinaryField(_("result"), null=True, editable=False)
    """The :class:`~salesrelay.compensation.design.Design`, pickled: written and read by this
    server only."""
    error = models.TextField(_("why it was refused"), blank=True)
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("designer run")
        verbose_name_plural = _("designer runs")

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}–{self.last:%Y-%m} ×{self.multiple}: {self.status}"
