from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    RETAIL_CHAIN = "retail_chain", _("Retail chain")
    ONLINE_STORE = "online_store", _("Online store")
    DEALER = "dealer", _("Dealer")
    OTHER = "other", _("Other")


class OwnershipReason(models.TextChoices):
    CREATED = "created", _("Created")
    CLAIMED = "claimed", _("Claimed from the free pool")
    ASSIGNED = "assigned", _("Assigned")
    HANDOFF = "handoff", _("Handed off after the first deal")
    REASSIGNED = "reassigned", _("Reassigned")
    RELEASED = "released", _("Returned to the free pool")
    IMPORTED = "imported", _("Imported")
