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


class CohortMonth(models.Model):
    """One month of the acquisition cohorts' roll-up, complete for the state of the data named by
    ``revision``: its :class:`ClientMonth` rows (one per client with collected gross profit or a
    profit share in the month, and one per client whose deal 1 was won in it) are all stored, in
    the same transaction as this row. Kept for
    every month, the months a period stores included (a period keeps no collected profit per
    client); read back while the revision is the same."""

    month = models.DateField(_("month"), unique=True)
    revision = models.CharField(_("revision"), max_length=64)
    fresh = models.BooleanField(_("calculated by the engine"))
    """No period stores the month: its shares and bonuses are the engine's lines, kept here; a
    stored month's shares are its period's lines, kept here too, and its bonuses are read from
    the period (an adjustment counts for the month it adjusts)."""
    bonuses = models.JSONField(_("new-clients bonuses"), default=dict, blank=True)
    """Employee id → the month's ``kpi_bonus`` lines on a new-clients metric, as text (a fresh
    month only)."""

    class Meta:
        ordering = ["month"]
        verbose_name = _("cohort month")
        verbose_name_plural = _("cohort months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ClientMonth(models.Model):
    """A client's collected gross profit in one month (the engine's ``counted_parts`` and
    ``collected_profit`` of its allocations) and its acquirer's ``deal_profit_share`` lines on it
    (the engine's in a fresh month, the period's in a stored one), with the month of its deal 1
    (its cohort). Every client has a row, zeros perhaps, in the month of its deal 1: the
    cohorts' clients are counted from these rows.

    The profit is kept exactly to 14 places, in two whole numbers that any database sums
    exactly: ``profit_cents`` (the value in cents, rounded down) and ``profit_rest`` (what is
    left, in units of 10⁻¹⁴, from 0 to 10¹²)."""

    month = models.DateField(_("month"))
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("client"))
    cohort = models.DateField(_("cohort"))
    """The first day of the month the client's deal 1 was won."""
    acquirer = models.ForeignKey("people.Employee", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+", db_index=False,
                                 verbose_name=_("acquired by"))
    """The client's acquirer (whose bonuses for new clients are the cohort's cost)."""
    revision = models.CharField(_("revision"), max_length=64)
    shares_cents = models.BigIntegerField(_("acquirer's profit shares, cents"), default=0)
    """The month's ``deal_profit_share`` lines on the client paid to its acquirer (calculated
    and adjustment lines of a stored month's period), in cents: SQLite sums a decimal column
    as a floating-point number."""
    profit_cents = models.BigIntegerField(_("collected profit, cents"))
    profit_rest = models.BigIntegerField(_("collected profit, rest"))

    class Meta:
        ordering = ["month", "client"]
        verbose_name = _("client month")
        verbose_name_plural = _("client months")
        constraints = [models.UniqueConstraint(fields=["month", "client"],
                                               name="client_month_unique")]
        # Everything the page reads, in the order it groups the rows: it sums them from the
        # index alone, without sorting them.
        indexes = [models.Index(fields=["revision", "cohort", "month", "acquirer", "client",
                                        "profit_cents", "profit_rest", "shares_cents"],
                                name="client_month_cohort")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.client_id}"
