"""The payments list's table: each payment links to its client's card and to its deal."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from salesrelay.web.lists import DayColumn, ListTable, MoneyColumn


class PaymentTable(ListTable):
    noun = ngettext_lazy("%(shown)s payment", "%(shown)s payments", "n")
    received_on = DayColumn(verbose_name=_("Received on"), order_by=("received_on", "id"))
    ref = tables.Column(_("Payment"), order_by=("ref",),
                        linkify=lambda record: f"{reverse('payments:list')}?q={record.ref}")
    reference = tables.Column(_("Reference"), order_by=("reference", "id"))
    client = tables.Column(_("Client"), order_by=("client__name", "id"),
                           linkify=lambda record: reverse("clients:card", args=[record.client.ref]))
    deal = tables.Column(_("Deal"), accessor="deal__ref", order_by=("deal__ref", "id"),
                         default=_("first in, first out"),
                         linkify=lambda record: reverse("deals:detail", args=[record.deal.ref])
                         if record.deal_id else None)
    amount = MoneyColumn(_("Amount"), order_by=("amount", "id"))

    class Meta(ListTable.Meta):
        sequence = ("received_on", "ref", "reference", "client", "deal", "amount")
