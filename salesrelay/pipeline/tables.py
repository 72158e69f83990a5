"""The activities list's table: each activity links to its client's card, its employee to their
activities."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from salesrelay.web.lists import DayColumn, ListTable, employee_link


class ActivityTable(ListTable):
    noun = ngettext_lazy("%(shown)s activity", "%(shown)s activities", "n")
    done_on = DayColumn(verbose_name=_("Done on"), order_by=("done_on", "id"))
    planned_on = DayColumn(verbose_name=_("Planned on"), order_by=("planned_on", "id"))
    kind = tables.Column(_("Kind"), order_by=("kind", "id"))
    subject = tables.Column(_("Subject"), order_by=("subject", "id"))
    client = tables.Column(_("Client"), order_by=("client__name", "id"),
                           linkify=lambda record: reverse("clients:card", args=[record.client.ref]))
    employee = tables.Column(_("Employee"), linkify=employee_link("pipeline:activities", "employee"),
                             order_by=("employee__name", "id"))
    outcome = tables.Column(_("Outcome"), order_by=("outcome", "id"))

    class Meta(ListTable.Meta):
        sequence = ("done_on", "planned_on", "kind", "subject", "client", "employee", "outcome")
