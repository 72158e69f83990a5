"""The deals list's table: each deal links to its page, its client to the card, its owner to
the owner's deals."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from salesrelay.web.lists import CountColumn, DayColumn, ListTable, MoneyColumn, employee_link


def _deal(record):
    return reverse("deals:detail", args=[record.ref])


class DealTable(ListTable):
    noun = ngettext_lazy("%(shown)s deal", "%(shown)s deals", "n")
    ref = tables.Column(_("Id"), linkify=_deal, order_by=("ref",))
    title = tables.Column(_("Title"), linkify=_deal, order_by=("title", "id"))
    client = tables.Column(_("Client"), order_by=("client__name", "id"),
                           linkify=lambda record: reverse("clients:card", args=[record.client.ref]))
    number = CountColumn(_("No."), order_by=("number", "id"))
    owner = tables.Column(_("Owner"), linkify=employee_link("deals:list"),
                          order_by=("owner__name", "id"))
    status = tables.Column(_("Status"), order_by=("status", "id"))
    created_on = DayColumn(verbose_name=_("Created on"), order_by=("created_on", "id"))
    won_on = DayColumn(verbose_name=_("Won on"), order_by=("won_on", "id"))
    amount = MoneyColumn(_("Amount"), order_by=("amount", "id"))
    gross_profit = MoneyColumn(_("Gross profit"), order_by=("gross_profit", "id"))

    class Meta(ListTable.Meta):
        sequence = ("ref", "title", "client", "number", "owner", "status", "created_on", "won_on",
                    "amount", "gross_profit")
