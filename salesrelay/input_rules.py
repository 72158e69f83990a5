"""What SalesRelay accepts from people and files, checked the same way by the forms, the
actions, the importer and the API, so that bad input gets one clear reason and never a 500.

- **Amounts**: at most 12 digits before the point and 2 after, which both databases store
  exactly (SQLite keeps a decimal as a double: 15 significant digits are safe).
- **Days**: 2000-01-01 to 2100-12-31; a date outside is a typing mistake, not history.
- **Text**: no NUL, no control characters, no invisible format characters (zero-width spaces,
  direction marks), so that two ids or names that look the same are the same.

>>> amount_problem(Decimal("1000000000000.00"))
'1000000000000.00 has more than 12 digits before the point'
>>> text_problem("ACME\\u200b")
'contains an invisible character U+200B'
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from salesrelay.errors import ActionError, ErrorCode

MAX_WHOLE_DIGITS = 12
MAX_AMOUNT = Decimal("999999999999.99")
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# Control (Cc), format (Cf: zero-width, bidi), surrogate, private-use and unassigned characters.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"\n", "\r", "\t"}


def amount_problem(value: Decimal, *, places: int = 2) -> str | None:
    """Why ``value`` is not an amount SalesRelay stores, or ``None``."""
    if not value.is_finite():
        return _("%(value)s is not a number") % {"value": value}
    if abs(value) > MAX_AMOUNT:
        return _("%(value)s has more than %(n)s digits before the point") % {
            "value": value, "n": MAX_WHOLE_DIGITS}
    if value != value.quantize(Decimal(1).scaleb(-places)):
        return _("%(value)s has more than %(n)s digits after the point") % {
            "value": value, "n": places}
    return None


def day_problem(day: date) -> str | None:
    if not FIRST_DAY <= day <= LAST_DAY:
        return _("%(day)s is outside %(first)s to %(last)s") % {
            "day": day.isoformat(), "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
    return None


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    if text.isascii() and text.isprintable():  # nearly every cell: checked at C speed
        return None
    for char in text:
        if multiline and char in _LINE_BREAKS:
            continue
        if char == "\x00":
            return _("contains a NUL byte")
        if unicodedata.category(char) in _HIDDEN:
            return _("contains an invisible character U+%(code)04X") % {"code": ord(char)}
    return None


def tax_id_problem(text: str) -> str | None:
    """A Russian tax id (INN) is 10 digits for a company, 12 for a sole trader."""
    if not (text.isdigit() and text.isascii() and len(text) in (10, 12)):
        return _("%(value)s is not a tax id: an INN has 10 or 12 digits") % {"value": text}
    return None


def validate_tax_id(text: str) -> None:
    if text and (problem := tax_id_problem(text)) is not None:
        raise ValidationError(problem, code="tax_id")


# For the actions: the same checks raised as an ActionError naming the field.
def require_amount(value: Decimal, field: str, *, places: int = 2) -> Decimal:
    _refuse(field, amount_problem(value, places=places))
    return value


def require_day(day: date | None, field: str) -> date | None:
    if day is not None:
        _refuse(field, day_problem(day))
    return day


def require_text(text: str, field: str, *, multiline: bool = False) -> str:
    _refuse(field, text_problem(text, multiline=multiline))
    return text


def require_fields(model, **values: str | None) -> None:
    """Check text meant for ``model``'s fields against their length and for hidden characters:
    ``require_fields(Client, name=name, source=source)``."""
    for name, value in values.items():
        if not value:
            continue
        field = model._meta.get_field(name)
        label = str(field.verbose_name)
        _refuse(label, text_problem(value, multiline=field.get_internal_type() == "TextField"),
                name=name)
        if field.max_length is not None and len(value) > field.max_length:
            _refuse(label, _("%(n)s characters, at most %(max)s") % {
                "n": len(value), "max": field.max_length}, name=name)


def _refuse(field: str, problem: str | None, *, name: str | None = None) -> None:
    if problem is not None:
        raise ActionError(ErrorCode.INVALID, f"{field}: {problem}", field=name or field)


# For the forms (salesrelay.fields).
def validate_amount(value: Decimal) -> None:
    if value is not None and (problem := amount_problem(value)) is not None:
        raise ValidationError(problem, code="amount")


def validate_day(day: date) -> None:
    if day is not None and (problem := day_problem(day)) is not None:
        raise ValidationError(problem, code="day")


def validate_line(text: str) -> None:
    if text and (problem := text_problem(text)) is not None:
        raise ValidationError(problem, code="text")


def validate_multiline(text: str) -> None:
    if text and (problem := text_problem(text, multiline=True)) is not None:
        raise ValidationError(problem, code="text")
