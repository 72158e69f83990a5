from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.clients.selectors import segment_choices
from salesrelay.deals.forms import LineForm
from salesrelay.fields import LineField, field_of
from salesrelay.input_rules import validate_tax_id
from salesrelay.people.models import Employee


class ProspectForm(forms.Form):
    name = LineField(label=_("Company name"), max_length=300)
    tax_id = LineField(label=_("Tax id (INN)"), max_length=32, required=False,
                       validators=[validate_tax_id])
    segment = forms.ChoiceField(label=_("Segment"), choices=segment_choices)
    source = LineField(label=_("Source"), max_length=200, required=False)
    contact_name = LineField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = LineField(label=_("Phone"), max_length=64, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    # Only for a head or the director: the hunter the prospect (and its first deal) is for;
    # without one the prospect goes to the free pool. A hunter creates their own.
    hunter = forms.ModelChoiceField(label=_("Hunter"), queryset=Employee.objects.none(),
                                    required=False, empty_label=_("nobody: the free pool"),
                                    to_field_name="ref")

    def __init__(self, *args, hunters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hunters is None:
            del self.fields["hunter"]
        else:
            field_of(self, "hunter", forms.ModelChoiceField).queryset = hunters


class FirstDealForm(forms.Form):
    """The new prospect's first deal, opened with the lines below it (none: no deal yet)."""

    title = LineField(label=_("Deal title"), max_length=200, required=False)


# Lines of the first deal: blank rows are ignored; "Add a line" posts the page back with one
# more (static/js/app.js adds it in place instead).
FirstDealLines = forms.formset_factory(LineForm, extra=2, max_num=50, validate_max=True)


class SegmentForm(forms.Form):
    """A new segment (with its code) or new names for one (``code`` of an existing one)."""

    code = LineField(label=_("Code"), max_length=32,
                     help_text=_("Lower-case Latin letters, digits, _ and -: used in files and "
                                 "plans (new_clients_in_segment:CODE), never changed."))
    name_en = LineField(label=_("Name in English"), max_length=100)
    name_ru = LineField(label=_("Name in Russian"), max_length=100, required=False)


class ContactForm(forms.Form):
    name = LineField(label=_("Name"), max_length=200)
    position = LineField(label=_("Position"), max_length=200, required=False)
    phone = LineField(label=_("Phone"), max_length=64, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
