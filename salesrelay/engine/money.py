"""Money: one way to build an amount and one way to round it.

>>> money("1 234,50")
Decimal('1234.50')
>>> round_money(Decimal("2.345"))
Decimal('2.35')

Amounts are ``Decimal`` everywhere; a float never becomes money (``money(0.1)`` is refused).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    pass


def money(value: str | int | Decimal) -> Decimal:
    """An amount from text (decimal point or comma, spaces between thousands), int or Decimal."""
    if isinstance(value, bool | float):
        raise MoneyError(f"{value!r} is a float; money is built from text or Decimal")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = parse_decimal(value)
    if not number.is_finite():
        raise MoneyError(f"{value!r} is not an amount")
    return number


def parse_decimal(text: str) -> Decimal:
    """A number written the Russian way (``1 234,5``) or the English way (``1,234.5``)."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not cleaned:
        raise MoneyError("empty number")
    if "," in cleaned and "." in cleaned:
        # The separator that comes last is the decimal one; the other groups thousands.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        raise MoneyError(f"{text!r} is not a number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise MoneyError(f"{text!r} is not a number")
    return number


def times(value: Decimal, base: Decimal | None) -> Decimal | None:
    """How many times ``base`` ``value`` is, to 0.01 (pay against a market salary); ``None``
    without a base.

    >>> times(Decimal("180000.00"), Decimal("90000.00"))
    Decimal('2.00')
    """
    return None if not base else (value / base).quantize(CENT)


def round_money(value: Decimal) -> Decimal:
    """Round to the kopeck, halves away from zero (SPEC §3)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
