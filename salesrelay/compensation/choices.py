from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CALCULATED = "calculated", _("Calculated")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


class LineSource(models.TextChoices):
    CALCULATED = "calculated", _("Calculated")
    ADJUSTMENT = "adjustment", _("Adjustment for a locked period")
    MANUAL = "manual", _("Manual adjustment")
    FORFEITED = "forfeited", _("Forfeited")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("To approve")
    APPROVED = "approved", _("Approved")


class ComponentKind(models.TextChoices):
    """The kinds of pay component (SPEC §3) as a statement names them."""

    SALARY = "salary", _("Salary")
    DEAL_PROFIT_SHARE = "deal_profit_share", _("Share of deal profit")
    COLLECTIONS_POOL = "collections_pool", _("Collections pool")
    BREAKEVEN_BONUS = "breakeven_bonus", _("Break-even bonus")
    KPI_BONUS = "kpi_bonus", _("KPI bonus")
    MANUAL = "manual", _("Manual adjustment")


class RunStatus(models.TextChoices):
    """Where a designer run the page asked for stands."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Calculating")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")
