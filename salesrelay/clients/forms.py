from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.choices import Segment
from salesrelay.fields import LineField
from salesrelay.input_rules import validate_tax_id


class ProspectForm(forms.Form):
    name = LineField(label=_("Company name"), max_length=300)
    tax_id = LineField(label=_("Tax id (INN)"), max_length=32, required=False,
                       validators=[validate_tax_id])
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices)
    source = LineField(label=_("Source"), max_length=200, required=False)
    contact_name = LineField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = LineField(label=_("Phone"), max_length=64, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)


class ContactForm(forms.Form):
    name = LineField(label=_("Name"), max_length=200)
    position = LineField(label=_("Position"), max_length=200, required=False)
    phone = LineField(label=_("Phone"), max_length=64, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
