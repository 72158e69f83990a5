from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.models import Client
from salesrelay.deals.models import Deal
from salesrelay.fields import DayField, LineField, MoneyField, field_of


class PaymentForm(forms.Form):
    # The viewer's clients and deals are set per form (__init__).
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none(),
                                    to_field_name="ref")
    deal = forms.ModelChoiceField(
        label=_("Which deal it pays"), queryset=Deal.objects.none(), required=False,
        to_field_name="ref", empty_label=_("the oldest unpaid deals first"),
        help_text=_("Leave it as it is to pay the client's oldest unpaid deals first; what is left "
                    "waits as the client's credit for the next deal won."))
    amount = MoneyField(label=_("Amount (negative for a refund)"))
    received_on = DayField(label=_("Received on"))
    reference = LineField(label=_("Reference"), max_length=200, required=False)

    def __init__(self, *args, clients, deals, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "client", forms.ModelChoiceField).queryset = clients
        field_of(self, "deal", forms.ModelChoiceField).queryset = deals

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        deal, client = data.get("deal"), data.get("client")
        if deal is not None and client is not None and deal.client_id != client.pk:
            self.add_error("deal", _("This deal is not a deal of the chosen client."))
        if data.get("amount") == 0:
            self.add_error("amount", _("A payment of zero applies to nothing."))
        return data
