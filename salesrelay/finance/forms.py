from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.analytics.filters import MonthField
from salesrelay.fields import LineField, MoneyField, field_of


class TargetForm(forms.Form):
    month = MonthField(label=_("Month"))
    metric = forms.ChoiceField(label=_("Metric"), help_text=_(
        "What a KPI bonus without a target of its own is measured against."))
    value = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=4, min_value=0)

    def __init__(self, *args, metrics: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "metric", forms.ChoiceField).choices = [(m, m) for m in metrics]


class FixedCostForm(forms.Form):
    month = MonthField(label=_("Month"))
    category = LineField(label=_("Category"), max_length=100,
                         help_text=_("Rent, salaries of the office, … one row per category."))
    amount = MoneyField(label=_("Amount"), min_value=0)
