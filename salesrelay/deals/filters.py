"""The deal filters, one definition for the deals list and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal


class DealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Deal id, title or client"))
    status = django_filters.ChoiceFilter(choices=DealStatus.choices, label=_("Status"))
    client = django_filters.CharFilter(field_name="client__ref", label=_("Client id"))
    owner = django_filters.CharFilter(field_name="owner__ref", label=_("Owner (employee id)"))
    number = django_filters.NumberFilter(label=_("Deal number"))
    won_from = django_filters.DateFilter(field_name="won_on", lookup_expr="gte",
                                         label=_("Won on or after"))
    won_to = django_filters.DateFilter(field_name="won_on", lookup_expr="lte",
                                       label=_("Won on or before"))

    class Meta:
        model = Deal
        fields = ["q", "status", "client", "owner", "number", "won_from", "won_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(ref=value) | Q(title__icontains=value)
                               | Q(client__name__icontains=value))
