from django.db import models
from django.utils.translation import gettext_lazy as _


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled")


class CostCategory(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    INSTALLATION = "installation", _("Installation")
    OTHER = "other", _("Other")


HUNTER_DEAL_NUMBERS = range(1, 6)
"""Deals 1–5 of a client pay its hunter under the standard plan: the client card marks them."""
