from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
"""The stages a new installation starts with, stored by these English names."""

STAGE_WORDS = {
    "New": pgettext_lazy("pipeline stage", "New"),
    "Contacted": pgettext_lazy("pipeline stage", "Contacted"),
    "Meeting scheduled": pgettext_lazy("pipeline stage", "Meeting scheduled"),
    "Meeting held": pgettext_lazy("pipeline stage", "Meeting held"),
    "Proposal": pgettext_lazy("pipeline stage", "Proposal"),
}
"""The default stages' names in the reader's language. Stages are data: a name an installation
typed shows as typed."""
