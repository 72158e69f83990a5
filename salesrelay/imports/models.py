"""An import uploaded on the web page, and what the background job has reached.

The worker (``salesrelay worker``) writes the job's state here as the import goes; the page polls
it. The rows themselves are imported by ``salesrelay.imports.importer.run_import``, as the
command does.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.imports.choices import JobStage, JobStatus
from salesrelay.restrict import RestrictedQuerySet

RUNNING = (JobStatus.CHECKING, JobStatus.APPLYING)


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The uploaded file names, as the page lists them; ``workbook`` names the one .xlsx file.
    files = models.JSONField(_("files"), default=list)
    workbook = models.CharField(_("workbook"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices,
                              default=JobStatus.CHECKING)
    stage = models.CharField(_("stage"), max_length=16, choices=JobStage.choices,
                             default=JobStage.WAITING)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the files"), default=0)
    # Per file: [{"file": "employees", "new": 3, "changed": 0, "unchanged": 0}, ...], from the
    # last check or import.
    counts = models.JSONField(_("counts"), default=list)
    # The first problems (file, line, column, reason) and how many there were in all.
    problems = models.JSONField(_("bad rows"), default=list)
    problem_count = models.PositiveIntegerField(_("number of bad rows"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")),
                                   name="import_job_rows_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def applicable(self) -> bool:
        """Checked without a bad row: it may be imported now."""
        return self.status == JobStatus.CHECKED

    @property
    def writing(self) -> bool:
        return self.status in (JobStatus.APPLYING, JobStatus.DONE)

    @property
    def problems_not_listed(self) -> int:
        return self.problem_count - len(self.problems)

    @property
    def percent(self) -> int:
        """How far the bar is filled: reading and checking take the first half of an import,
        writing the rest, row by row as the importer reports them."""
        applying = self.status == JobStatus.APPLYING
        match self.stage:
            case JobStage.WAITING:
                return 0
            case JobStage.READING:
                return 5
            case JobStage.CHECKING:
                return 25 if applying else 40
            case JobStage.WRITING:
                share = self.rows_done / self.rows_total if self.rows_total else 0
                return 50 + int(50 * share)
        return 100
