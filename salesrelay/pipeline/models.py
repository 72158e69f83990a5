from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.pipeline.choices import STAGE_WORDS, ActivityKind, Outcome
from salesrelay.restrict import RestrictedQuerySet


class PipelineStage(models.Model):
    """A column of the acquisition board; the stages are data, so an installation can change them.

    ``won`` and ``lost`` are deal statuses, not stages: a deal leaves the board when it is closed.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the default stages are translated)."""
        return str(STAGE_WORDS.get(self.name, self.name))


class Activity(models.Model):
    ref = models.CharField(_("id"), max_length=64, unique=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="activities",
        verbose_name=_("client"),
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("employee"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    # The wall-clock time of the installation's TIME_ZONE on ``planned_on``; none: some time
    # that day. A date and a time apart (not one aware ``due_at``) because the day is what the
    # board, the free-pool rule and the files speak of, and most tasks have no hour.
    planned_at = models.TimeField(_("at"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    materials = models.ManyToManyField(
        "materials.SalesMaterial", blank=True, related_name="activities",
        verbose_name=_("sales materials shown"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-done_on", "-planned_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(done_on__isnull=False),
                name="activity_has_a_date",
                violation_error_message=_("An activity is planned or done on some date."),
            ),
        ]
        indexes = [
            # A client's activities by day, with what the funnel reads of each (its steps
            # reached: a call or meeting done, a meeting planned or held) from the index alone.
            models.Index(fields=["client", "done_on", "kind", "outcome", "planned_on"],
                         name="activity_client_done"),
            models.Index(fields=["employee", "planned_on"]),
            # The activities list in its default order (the latest done first), read a page at
            # a time instead of sorting every activity of the history.
            models.Index(fields=["done_on", "id"], name="activity_done_order"),
            # The meetings held in a range, with who held them and for whom: the conversion page
            # and the payroll's KPI read them from the index alone instead of every activity of
            # the history.
            models.Index(fields=["kind", "outcome", "done_on", "employee", "client"],
                         name="activity_meetings_held"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client}"

    @property
    def day(self):
        return self.done_on or self.planned_on

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, now) -> bool:
        """Still to do and past its day (or, on its day, past its time); ``now`` is a local
        ``datetime``."""
        if self.done_on is not None or self.planned_on is None:
            return False
        if self.planned_on != now.date():
            return self.planned_on < now.date()
        return self.planned_at is not None and self.planned_at < now.time()
