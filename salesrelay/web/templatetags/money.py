"""``{{ amount|money }}``: an amount with two decimals and grouped thousands in the page's
language — ``115,000.00`` in English, ``115 000,00`` in Russian — whether it arrives as a
``Decimal`` or as the text the engine writes (``"19348276.20"``).

``floatformat:2|intcomma`` cannot do it: ``floatformat`` already writes the Russian comma, and
``intcomma`` then groups the digits again (``220,628,70``).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value):
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return number_format(amount.quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True,
                         force_grouping=True)
