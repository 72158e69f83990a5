from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.choices import OwnershipReason
from salesrelay.people.choices import Department
from salesrelay.restrict import RestrictedQuerySet


class Segment(models.Model):
    """A kind of client (SPEC §1 ``segment``), the director's list rather than a fixed one: a
    company with salons or regional dealers adds them. ``code`` is what the files, the API and
    the plans (``new_clients_in_segment:<code>``) use and never changes; the names are what
    people read, in English and Russian. ``Client.segment`` holds the code, checked against this
    table by the actions and the importer (a code column keeps plans and files unchanged)."""

    code = models.SlugField(_("code"), max_length=32, unique=True,
                            help_text=_("Lower-case letters, digits, _ and -; used in files and "
                                        "plans, never changed."))
    name_en = models.CharField(_("name in English"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the page (Russian if given, else English)."""
        language = get_language() or ""
        return self.name_ru if language.startswith("ru") and self.name_ru else self.name_en


class Client(models.Model):
    """A company: a prospect until its first won deal, then a client of account management."""

    ref = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    normalized_name = models.CharField(max_length=300, db_index=True, editable=False)
    tax_id = models.CharField(_("tax id (INN)"), max_length=32, null=True, blank=True)
    # A Segment's code (see Segment): validated against the table, not a foreign key.
    segment = models.CharField(_("segment"), max_length=32)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_on = models.DateField(_("created on"))
    acquired_by = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.PROTECT,
        related_name="acquired_clients", verbose_name=_("acquired by"),
    )
    owner = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.PROTECT,
        related_name="owned_clients", verbose_name=_("owner"),
    )
    owning_department = models.CharField(
        _("owning department"), max_length=32, choices=Department.choices,
        default=Department.ACQUISITION,
    )
    handed_off_on = models.DateField(_("handed off on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_id"], condition=Q(tax_id__isnull=False),
                name="client_tax_id_unique",
                violation_error_message=_("Another client already has this tax id."),
            ),
            models.CheckConstraint(
                condition=~Q(tax_id=""), name="client_tax_id_not_blank",
                violation_error_message=_("A missing tax id is stored as empty, not blank."),
            ),
        ]
        indexes = [models.Index(fields=["owning_department", "owner"]),
                   # The client lists' order (and the search's).
                   models.Index(fields=["name", "id"], name="client_name_order")]

    def __str__(self) -> str:
        return self.name

    def segment_label(self) -> str:
        """The segment's name in the page's language (one query; lists annotate it instead)."""
        found = Segment.objects.filter(code=self.segment).first()
        return found.name if found is not None else self.segment

    @property
    def is_prospect(self) -> bool:
        return self.handed_off_on is None and self.owning_department == Department.ACQUISITION


class Contact(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Ownership(models.Model):
    """Who owned a client from ``started_on`` up to, not including, ``ended_on``.

    ``employee`` is empty while the client waits in a department's queue or in the free pool.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("client")
    )
    employee = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.PROTECT,
        related_name="ownerships", verbose_name=_("employee"),
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=32, choices=OwnershipReason.choices)

    class Meta:
        ordering = ["client", "started_on", "id"]
        verbose_name = _("ownership")
        verbose_name_plural = _("ownership history")
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(ended_on__isnull=True),
                name="ownership_one_current_row",
                violation_error_message=_("A client has one current owner."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="ownership_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "started_on"]),
            # Who owned a client on a day (the receivables' owner on their day, the collections
            # of clients outside a slice, the latest started first) read from the index alone,
            # in its order: no sort per row.
            models.Index(fields=["client", "started_on", "id", "ended_on", "employee",
                                 "department"], name="ownership_on_day"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.started_on}–{self.ended_on or '…'}"
