from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.fields import LineField, MoneyField, TextField

MONTH_HELP = _("YYYY-MM")


class PlanForm(forms.Form):
    text = forms.CharField(label=_("Plan file (TOML)"), widget=forms.Textarea(attrs={"rows": 24}))
    upload = forms.FileField(label=_("or upload a file"), required=False)


class DisputeForm(forms.Form):
    comment = TextField(label=_("What is wrong with this line?"), max_length=2000)


class ResolveForm(forms.Form):
    resolution = TextField(label=_("Resolution"), max_length=2000)
    adjustment = MoneyField(label=_("Manual adjustment"), required=False)
    reason = LineField(label=_("Reason for the adjustment"), max_length=500, required=False)


class SimulationForm(forms.Form):
    plan = forms.CharField(label=_("Plan file (TOML)"), widget=forms.Textarea(attrs={"rows": 14}))
    compare = forms.CharField(label=_("Compare with (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 14}))
    first = forms.CharField(label=_("From"), max_length=7, help_text=MONTH_HELP)
    last = forms.CharField(label=_("To"), max_length=7, help_text=MONTH_HELP)


class DesignForm(forms.Form):
    first = forms.CharField(label=_("From"), max_length=7, help_text=MONTH_HELP)
    last = forms.CharField(label=_("To"), max_length=7, help_text=MONTH_HELP)
    multiple = forms.CharField(label=_("Hunters at least × market"), max_length=5, initial="2.0")
