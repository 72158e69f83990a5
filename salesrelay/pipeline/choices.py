from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    NOTE = "note", _("Note")


class Outcome(models.TextChoices):
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    DONE = "done", _("Done")


DEFAULT_STAGES = [
    ("new", "New"),
    ("contacted", "Contacted"),
    ("meeting_scheduled", "Meeting scheduled"),
    ("meeting_held", "Meeting held"),
    ("proposal", "Proposal"),
]
