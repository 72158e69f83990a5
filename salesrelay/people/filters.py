"""The team list's filters: a role, and whether the person still works here."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesrelay.people.choices import Role
from salesrelay.people.models import Employee


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or id"))
    role = django_filters.ChoiceFilter(
        choices=[(Role.HUNTER.value, Role.HUNTER.label),
                 (Role.ACCOUNT_MANAGER.value, Role.ACCOUNT_MANAGER.label)], label=_("Role"))
    working = django_filters.ChoiceFilter(
        method="by_employment", label=_("Employment"),
        choices=[("yes", _("Works here")), ("no", _("Has left"))])

    class Meta:
        model = Employee
        fields = ["q", "role", "working"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(ref=value)) if value else queryset

    def by_employment(self, queryset, name, value):
        today = timezone.localdate()
        gone = Q(left_on__isnull=False, left_on__lt=today)
        return queryset.filter(gone) if value == "no" else queryset.exclude(gone)
