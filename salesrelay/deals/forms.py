from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.deals.choices import CostCategory
from salesrelay.deals.models import Product
from salesrelay.fields import DayField, LineField, MoneyField


class LineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.filter(active=True))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=12, decimal_places=3)
    unit_price = MoneyField(label=_("Unit price (empty: list price)"), required=False,
                            min_value=0)


class DirectCostForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    amount = MoneyField(label=_("Amount"), min_value=0)
    note = LineField(label=_("Note"), required=False, max_length=300)


class CloseForm(forms.Form):
    on = DayField(label=_("Date"), required=False)
    reason = LineField(label=_("Reason"), required=False, max_length=300)
