from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.people.choices import Department, Role
from salesrelay.restrict import RestrictedQuerySet


class EmployeeQuerySet(RestrictedQuerySet):
    def employed_on(self, day: date) -> "EmployeeQuerySet":
        return self.filter(Q(hired_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gte=day))


class Employee(models.Model):
    ref = models.CharField(_("id"), max_length=64, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="employee", verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    pool_weight = models.DecimalField(
        _("pool weight"), max_digits=8, decimal_places=4, default=Decimal("1")
    )
    market_salary = models.DecimalField(
        _("market salary"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("hired_on")),
                name="employee_left_after_hired",
                violation_error_message=_("An employee cannot leave before being hired."),
            ),
            models.CheckConstraint(
                condition=Q(pool_weight__gte=0), name="employee_pool_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(market_salary__isnull=True) | Q(market_salary__gte=0),
                name="employee_market_salary_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_employed_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on >= day)
