"""The analytics' own table: the monthly roll-up (:mod:`salesrelay.analytics.rollup`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from salesrelay.compensation.fields import MoneyField


class MonthlyFigures(models.Model):
    """The engine's figures of one month that no period stores (the current month as it
    stands, a past month never calculated), as calculated under the plan in force for the state
    of the data named by ``revision``; read back while the revision is the same."""

    month = models.DateField(_("month"), unique=True)
    revision = models.CharField(_("revision"), max_length=64)
    collections = MoneyField(_("collections"))
    gross_profit = MoneyField(_("gross profit"))
    fixed_costs = MoneyField(_("fixed costs"))
    variable_pay = MoneyField(_("variable pay"))
    operating_result = MoneyField(_("operating result"))
    breakeven_revenue = MoneyField(_("break-even revenue"), null=True, blank=True)
    new_clients = models.PositiveIntegerField(_("new clients"))
    pay = models.JSONField(_("pay"), default=dict, blank=True)
    """Employee id → the month's pay (the engine's lines), as text."""

    class Meta:
        ordering = ["month"]
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
