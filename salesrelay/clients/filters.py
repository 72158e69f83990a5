"""The client filters, one definition for the client list, the portfolio and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.models import Client
from salesrelay.clients.selectors import segment_choices
from salesrelay.people.choices import Department


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, id or tax id"))
    segment = django_filters.ChoiceFilter(choices=segment_choices, label=_("Segment"))
    owner = django_filters.CharFilter(field_name="owner__ref", label=_("Owner (employee id)"))
    acquired_by = django_filters.CharFilter(field_name="acquired_by__ref",
                                            label=_("Acquired by (employee id)"))
    department = django_filters.ChoiceFilter(field_name="owning_department",
                                             choices=Department.choices, label=_("Department"))

    class Meta:
        model = Client
        fields = ["q", "segment", "owner", "acquired_by", "department"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(ref=value) | Q(tax_id=value))
