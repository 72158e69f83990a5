"""Numbers in the analytics tables, in the reader's language: ``1,234,567.50`` in English,
``1 234 567,50`` in Russian (Django's own formats, grouping always on); ``—`` for a figure that
is undefined.

>>> money(Decimal("1234567.5"))      # doctest: +SKIP
'1,234,567.50'
>>> percent(Decimal("0.1250"))       # doctest: +SKIP
'12.5%'
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from salesrelay.web.templatetags.money import format_number

register = template.Library()
NONE = "—"


_number = format_number  # the pages' one number format (salesrelay.web.templatetags.money)


@register.filter
def money(value: Decimal | None) -> str:
    return NONE if value is None else _number(value, 2)


@register.filter
def count(value: int | Decimal | None) -> str:
    return NONE if value is None else _number(value, 0)


@register.filter
def percent(value: Decimal | None) -> str:
    """A share (``0.1250``) as a percentage with one decimal."""
    if value is None:
        return NONE
    return _("%(number)s%%") % {"number": _number(value * 100, 1)}


@register.filter
def points(value: Decimal | None) -> str:
    """A difference of two shares in percentage points, with its sign: ``+22.4``."""
    if value is None:
        return NONE
    text = _number(abs(value) * 100, 1)
    return f"−{text}" if value < 0 else f"+{text}"


@register.filter
def ratio(value: Decimal | None) -> str:
    """A multiple, such as pay against the market salary: ``2.15×``."""
    return NONE if value is None else f"{_number(value, 2)}×"


@register.filter
def days(value: Decimal | None) -> str:
    return NONE if value is None else _number(value, 1)


@register.filter
def at(values, index: int):
    """``values[index]``: a per-month or per-bucket figure in a table cell."""
    return values[index]
