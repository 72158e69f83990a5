"""The client lists' tables: the client list, the portfolio and the team (salesrelay/web/lists.py
builds the pages). Each reference is a link: a client to its card, a person to their rows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from salesrelay.web.lists import CountColumn, DayColumn, ListTable, MoneyColumn, employee_link


def _card(record):
    return reverse("clients:card", args=[record.ref])


class ClientTable(ListTable):
    noun = ngettext_lazy("%(shown)s client", "%(shown)s clients", "n")
    ref = tables.Column(_("Id"), linkify=_card, order_by=("ref",))
    name = tables.Column(_("Client"), linkify=_card, order_by=("name", "id"))
    tax_id = tables.Column(_("Tax id"), order_by=("tax_id", "id"))
    segment = tables.Column(_("Segment"), accessor="segment_name", order_by=("segment", "id"))
    owning_department = tables.Column(_("Department"), order_by=("owning_department", "id"))
    owner = tables.Column(_("Owner"), linkify=employee_link("clients:list"),
                          order_by=("owner__name", "id"), default=_("queue / free pool"))
    acquired_by = tables.Column(_("Acquired by"),
                                linkify=employee_link("clients:list", "acquired_by"),
                                order_by=("acquired_by__name", "id"))
    created_on = DayColumn(verbose_name=_("Created on"), order_by=("created_on", "id"))
    handed_off_on = DayColumn(verbose_name=_("Handed off on"),
                                      order_by=("handed_off_on", "id"))

    class Meta(ListTable.Meta):
        sequence = ("ref", "name", "tax_id", "segment", "owning_department", "owner", "acquired_by",
                    "created_on", "handed_off_on")


class PortfolioTable(ListTable):
    """The department's clients. The order figures are read for the page's rows only (sorting
    by them would aggregate every client's deals first: seconds on a big history)."""

    noun = ngettext_lazy("%(shown)s client", "%(shown)s clients", "n")
    ref = tables.Column(_("Id"), linkify=_card, order_by=("ref",))
    name = tables.Column(_("Client"), linkify=_card, order_by=("name", "id"))
    segment = tables.Column(_("Segment"), accessor="segment_name", order_by=("segment", "id"))
    owner = tables.Column(_("Owner"), linkify=employee_link("clients:portfolio"),
                          order_by=("owner__name", "id"), default=_("queue"))
    handed_off_on = DayColumn(verbose_name=_("Handed off on"),
                                      order_by=("handed_off_on", "id"))
    last_order = DayColumn(verbose_name=_("Last order"), orderable=False)
    won_deals = CountColumn(_("Orders"), orderable=False)
    average_order = MoneyColumn(_("Average order value"), orderable=False)
    receivable = MoneyColumn(_("Receivable"), orderable=False)
    next_activity = DayColumn(verbose_name=_("Next activity"), orderable=False)

    class Meta(ListTable.Meta):
        attrs = {"class": "list", "id": "portfolio"}
        sequence = ("ref", "name", "segment", "owner", "handed_off_on", "last_order", "won_deals",
                    "average_order", "receivable", "next_activity")


class TeamTable(ListTable):
    noun = ngettext_lazy("%(shown)s person", "%(shown)s people", "n")
    ref = tables.Column(_("Id"), order_by=("ref",))
    name = tables.Column(_("Employee"), linkify=lambda record: (
        f"{reverse('clients:list')}?owner={record.ref}"), order_by=("name", "id"))
    role = tables.Column(_("Role"), order_by=("role", "name", "id"))
    department = tables.Column(_("Department"), order_by=("department", "name", "id"))
    hired_on = DayColumn(verbose_name=_("Hired on"), order_by=("hired_on", "id"))
    left_on = DayColumn(verbose_name=_("Left on"), order_by=("left_on", "id"))
    owned = CountColumn(_("Clients owned"), order_by=("owned", "id"))

    class Meta(ListTable.Meta):
        sequence = ("ref", "name", "role", "department", "hired_on", "left_on", "owned")
