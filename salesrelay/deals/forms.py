from django import forms
from django.utils.translation import gettext_lazy as _

from salesrelay.deals.choices import CostCategory
from salesrelay.deals.models import Product


class LineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.filter(active=True))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=3)
    unit_price = forms.DecimalField(label=_("Unit price (empty: list price)"), required=False,
                                    min_value=0, max_digits=16, decimal_places=2)


class DirectCostForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CloseForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
