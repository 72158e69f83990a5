from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FixedCost(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    category = models.CharField(_("category"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["month", "category"]
        verbose_name = _("fixed cost")
        verbose_name_plural = _("fixed costs")
        constraints = [
            models.UniqueConstraint(fields=["month", "category"], name="fixed_cost_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="fixed_cost_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category} {self.amount}"


class Target(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    metric = models.CharField(_("metric"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["month", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["month", "metric"], name="target_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="target_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.metric} = {self.value}"
