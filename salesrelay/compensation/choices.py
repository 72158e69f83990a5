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
