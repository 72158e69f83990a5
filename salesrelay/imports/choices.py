from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """Where an uploaded import stands: checked first (a dry run), applied on request."""

    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: ready to import")
    REFUSED = "refused", _("Bad rows: nothing imported")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class JobStage(models.TextChoices):
    """What the worker is doing now, for the progress bar."""

    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading the files")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing")
    FINISHED = "finished", _("Finished")
