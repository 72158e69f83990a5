from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CLIENT_HANDED_OFF = "client_handed_off", _("Client handed to you")
    CLIENT_ASSIGNED = "client_assigned", _("Client assigned to you")
    CLIENTS_REASSIGNED = "clients_reassigned", _("Clients of a leaver handed to you")
    DISPUTE_RAISED = "dispute_raised", _("Dispute raised")
    DISPUTE_RESOLVED = "dispute_resolved", _("Dispute answered")
    PERIOD_CALCULATED = "period_calculated", _("Pay calculated")
    PERIOD_APPROVED = "period_approved", _("Pay approved")
    PERIOD_LOCKED = "period_locked", _("Pay locked")
    PROSPECT_EXPIRING = "prospect_expiring", _("Prospect about to return to the free pool")
