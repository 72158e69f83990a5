"""The payment filters, one definition for the payments list and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesrelay.payments.models import Payment


class PaymentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Payment id, reference or client"))
    client = django_filters.CharFilter(field_name="client__ref", label=_("Client id"))
    deal = django_filters.CharFilter(field_name="deal__ref", label=_("Deal id"))
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte",
                                              label=_("Received on or after"))
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte",
                                            label=_("Received on or before"))

    class Meta:
        model = Payment
        fields = ["q", "client", "deal", "received_from", "received_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(ref=value) | Q(reference__icontains=value)
                               | Q(client__name__icontains=value))
