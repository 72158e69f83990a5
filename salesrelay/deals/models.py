from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from salesrelay.deals.choices import CostCategory, DealStatus
from salesrelay.restrict import RestrictedQuerySet


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    line = models.CharField(_("product line"), max_length=200, blank=True)
    price = models.DecimalField(_("price"), max_digits=16, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=16, decimal_places=2)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["line", "name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(unit_cost__gte=0), name="product_money_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Deal(models.Model):
    """A sale to a client. ``amount``, ``goods_cost`` and ``direct_cost`` are kept equal to the sums
    of the deal's lines and direct costs by the actions that change those."""

    ref = models.CharField(_("id"), max_length=64, unique=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="deals", verbose_name=_("client")
    )
    owner = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="deals", verbose_name=_("owner"),
        db_index=False,  # the (owner, status) index serves it
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    stage = models.ForeignKey(
        "pipeline.PipelineStage", null=True, blank=True, on_delete=models.PROTECT,
        related_name="deals", verbose_name=_("stage"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DealStatus.choices, default=DealStatus.OPEN
    )
    created_on = models.DateField(_("created on"))
    won_on = models.DateField(_("won on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    number = models.PositiveIntegerField(_("deal number"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal(0))
    goods_cost = models.DecimalField(
        _("cost of goods"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    direct_cost = models.DecimalField(
        _("direct costs"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    received = models.DecimalField(
        _("received"), max_digits=16, decimal_places=2, default=Decimal(0),
        help_text=_("What the deal's allocations add up to, all dates (0 once cancelled)."),
    )
    """Σ of the deal's allocations, whatever their effective day: kept by the writers of
    allocations (``payments.ledger.store_allocations``, the importer's write stage), so that the
    receivables find the deals still owing without summing every won deal's allocations
    (``payments.collected.differences`` checks it)."""

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "number"], condition=Q(number__isnull=False),
                name="deal_number_unique_per_client",
                violation_error_message=_("The client already has a deal with this number."),
            ),
            models.CheckConstraint(
                condition=~Q(status="won") | (Q(won_on__isnull=False) & Q(number__isnull=False)),
                name="deal_won_has_date_and_number",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(won_on__isnull=False),
                name="deal_number_only_when_won",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(won_on__isnull=False),
                name="deal_cancelled_was_won",
            ),
            models.CheckConstraint(
                condition=Q(won_on__isnull=True) | Q(won_on__gte=F("created_on")),
                name="deal_won_after_created",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(goods_cost__gte=0) & Q(direct_cost__gte=0),
                name="deal_money_not_negative",
            ),
        ]
        indexes = [
            # The won deals of a range with what the analytics sum of them (order value by deal
            # number and by the owner's department): read from the index alone, without a visit
            # to each of the range's 200 000 rows of the 1M-deal history.
            models.Index(fields=["status", "won_on", "owner", "number", "client", "amount"],
                         name="deal_won_cover"),
            models.Index(fields=["owner", "status"]),
            # The acquisition funnel: the deals one department's people opened in a range.
            models.Index(fields=["owner", "created_on"], name="deal_owner_created"),
            # New clients: the deals number 1 won in a range, and the client's deal 1 of a deal
            # (the months since the client's first win), each from the index alone.
            models.Index(fields=["number", "won_on", "client"], name="deal_first_wins"),
            models.Index(fields=["client", "number", "won_on"], name="deal_client_number"),
            # A month's payroll reads the deals won in it and those cancelled in it
            # (compensation/selectors.py): one indexed range each.
            models.Index(fields=["won_on"], name="deal_won_on"),
            models.Index(fields=["status", "closed_on"], name="deal_status_closed_on"),
            # A page of clients' won deals (the portfolio): without it SQLite walks the status
            # index, most of a million rows.
            # (and its wins' days: whether a meeting's client won within the days after it is
            # read from this index alone, for each meeting of the conversion page)
            models.Index(fields=["client", "status", "won_on"], name="deal_client_status_won"),
            # The deals list's order; the search by a title's beginning.
            models.Index(fields=["created_on", "id"], name="deal_created_order"),
            models.Index(fields=["title"], name="deal_title"),
            # The receivables: the won deals still owing now are a few per cent of the won
            # deals; the index holds what the page sums so that it never reads the deal rows.
            # The columns lead with (status, won_on) like the status index: SQLite then
            # prefers this smaller one for the query that names its condition.
            models.Index(fields=["status", "won_on", "client", "amount", "received"],
                         condition=Q(received__lt=F("amount")), name="deal_owing"),
        ]

    def __str__(self) -> str:
        return self.title or self.ref

    @property
    def cost(self) -> Decimal:
        return self.goods_cost + self.direct_cost

    @property
    def profit(self) -> Decimal:
        return self.amount - self.cost

    @property
    def is_won(self) -> bool:
        return self.status == DealStatus.WON


class DealLine(models.Model):
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("deal")
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("product"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=16, decimal_places=2)
    unit_cost = models.DecimalField(
        _("unit cost at sale"), max_digits=16, decimal_places=2,
        help_text=_("Captured from the product when the line is added; later price changes do "
                    "not touch it."),
    )

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="deal_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0) & Q(unit_cost__gte=0),
                name="deal_line_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product or self.description}"


class DirectCost(models.Model):
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="direct_costs", verbose_name=_("deal")
    )
    category = models.CharField(_("category"), max_length=32, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("direct cost")
        verbose_name_plural = _("direct costs")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="direct_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"
