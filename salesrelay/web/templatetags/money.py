"""``{{ amount|money }}``: an amount with two decimals and grouped thousands in the page's
language — ``115,000.00`` in English, ``115 000,00`` in Russian — whether it arrives as a
``Decimal`` or as the text the engine writes (``"19348276.20"``).

``floatformat:2|intcomma`` cannot do it: ``floatformat`` already writes the Russian comma, and
``intcomma`` then groups the digits again (``220,628,70``).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def format_number(value: Decimal | int, places: int) -> str:
    """The one way a page writes a number: rounded half away from zero to ``places`` (Django's
    ``number_format`` would cut the digits off), grouped, in the page's language."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def money(value):
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return format_number(amount, 2)
