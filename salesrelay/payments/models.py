from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from salesrelay.restrict import RestrictedQuerySet


class Payment(models.Model):
    """Money received from a client. A refund is negative and names its deal, or the client when
    it pays back the client's credit."""

    ref = models.CharField(_("id"), max_length=64, unique=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="payments",
        verbose_name=_("client"), db_index=False,  # the (client, received_on) index serves it
    )
    deal = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
        verbose_name=_("deal"),
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero"),
        ]
        indexes = [models.Index(fields=["client", "received_on"]),
                   # The payments list's order, and the search by bank reference.
                   models.Index(fields=["received_on", "id"], name="payment_received_order"),
                   models.Index(fields=["reference"], name="payment_reference")]

    def __str__(self) -> str:
        return f"{self.ref} {self.amount}"

    @property
    def is_refund(self) -> bool:
        return self.amount < 0


class Allocation(models.Model):
    """The part of a payment applied to one deal; money is counted in the month of
    ``effective_on``, the later of the payment's date and the deal's win.

    A cancellation writes a negative allocation of each payment's part on the cancelled deal (its
    *reversal*, ``released_from`` = the deal itself), and the money it released goes on as
    allocations whose ``released_from`` names the cancelled deal."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("payment"),
        db_index=False,  # the unique (payment, deal, released_from) index serves it
    )
    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.PROTECT, related_name="allocations",
        verbose_name=_("deal"),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    effective_on = models.DateField(_("effective on"), db_index=True)
    released_from = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="released",
        verbose_name=_("released by the cancellation of"),
        db_index=False,  # the partial index below: few allocations have one
    )

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="allocation_not_zero"),
            # Once per payment and deal, and once more for each cancellation that moved it.
            models.UniqueConstraint(
                F("payment"), F("deal"), Coalesce(F("released_from"), 0),
                name="allocation_once_per_deal_and_release",
                violation_error_message=_("This part of the payment is already allocated."),
            ),
            models.CheckConstraint(
                condition=~Q(released_from=F("deal")) | Q(amount__lt=0),
                name="allocation_reversal_negative",
                violation_error_message=_("A cancellation reverses money the deal received."),
            ),
        ]
        indexes = [
            models.Index(fields=["released_from"], condition=Q(released_from__isnull=False),
                         name="allocation_released_from"),
        ]

    def __str__(self) -> str:
        return f"{self.payment.ref} → {self.deal.ref}: {self.amount}"


class Collected(models.Model):
    """The company's collections of a month by who owned the client on each allocation's
    effective day (the employee, or none, and the department; '' where no ownership row covers
    the day) and by the client's segment: Σ of those allocations' amounts.

    A cache the analytics' collections page reads instead of finding the owner of each of a
    year's ~340 000 allocations. Kept by :mod:`salesrelay.payments.collected`: every writer of
    allocations adds what it wrote, every change of a client's ownership or segment states its
    allocations again from the day of the change, the importer rebuilds it;
    ``collected.differences`` compares it with the allocations."""

    month = models.DateField(_("month"))
    employee = models.ForeignKey(
        # A cache row: it goes with its employee (whose ownerships hold the employee first).
        "people.Employee", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("owner on the day"), db_index=False,
    )
    department = models.CharField(_("department on the day"), max_length=32, blank=True)
    segment = models.CharField(_("segment"), max_length=32)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    allocations = models.PositiveIntegerField(_("allocations"))
    """How many allocations the row sums: a row stays while it has one, at 0.00 too (the page
    lists a manager whose money of the range came to nothing, as the allocations show them)."""

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("collections by owner")
        verbose_name_plural = _("collections by owner")
        constraints = [
            models.UniqueConstraint(
                F("month"), Coalesce(F("employee"), 0), F("department"), F("segment"),
                name="collected_once_per_key"),
        ]
        indexes = [models.Index(fields=["month", "employee", "department", "segment", "amount",
                                        "allocations"], name="collected_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.employee_id} {self.department}: {self.amount}"
