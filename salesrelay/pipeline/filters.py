"""The activity filters, one definition for the activities list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from salesrelay.pipeline.choices import ActivityKind, Outcome
from salesrelay.pipeline.models import Activity


class ActivityFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        method="by_state", label=_("Planned or done"),
        choices=[("planned", _("Planned")), ("done", _("Done"))])
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Outcome"))
    client = django_filters.CharFilter(field_name="client__ref", label=_("Client id"))
    employee = django_filters.CharFilter(field_name="employee__ref",
                                         label=_("Employee (employee id)"))
    done_from = django_filters.DateFilter(field_name="done_on", lookup_expr="gte",
                                          label=_("Done on or after"))
    done_to = django_filters.DateFilter(field_name="done_on", lookup_expr="lte",
                                        label=_("Done on or before"))

    class Meta:
        model = Activity
        fields = ["state", "kind", "outcome", "client", "employee", "done_from", "done_to"]

    def by_state(self, queryset, name, value):
        return queryset.filter(done_on__isnull=(value == "planned"))
