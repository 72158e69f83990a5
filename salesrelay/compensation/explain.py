"""Payout lines in words, in the reader's language.

The engine names each line's formula (``why``) and gives its figures (``facts``); this module
holds the sentence for each formula, translatable, so that a statement explains itself in English
or Russian, its figures written as the page writes numbers, and each share showing its
division:

    0.90 × profit 120,000.00 × counted 100,000.00 ÷ amount 200,000.00 of deal D3 (no. 3):
    payment P1 of 100,000.00 on 2026-03-05
    0,90 × прибыль 120 000,00 × учтено 100 000,00 ÷ сумма 200 000,00 сделки D3 (№ 3): …
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from salesrelay.engine.money import parse_decimal
from salesrelay.people.choices import Department
from salesrelay.web.templatetags.money import format_number

SENTENCES = {
    "salary_full": gettext_lazy("Salary %(amount)s for the whole month"),
    "salary_part": gettext_lazy(
        "Salary %(amount)s × %(days)s ÷ %(month_days)s days employed"),
    "share_paid": gettext_lazy(
        "%(rate)s × profit %(profit)s × counted %(counted)s ÷ amount %(amount)s of deal "
        "%(deal)s (no. %(number)s): payment %(payment)s of %(paid)s on %(on)s"),
    "share_refunded": gettext_lazy(
        "Clawback: refund %(payment)s of %(paid)s on %(on)s takes back %(rate)s × profit "
        "%(profit)s × %(counted)s ÷ amount %(amount)s of deal %(deal)s (no. %(number)s)"),
    "share_reversed": gettext_lazy(
        "Clawback: deal %(deal)s (no. %(number)s) cancelled on %(on)s; payment %(payment)s "
        "reversed by %(paid)s to the client's credit takes back %(rate)s × profit %(profit)s × "
        "%(counted)s ÷ amount %(amount)s"),
    "share_released": gettext_lazy(
        "%(rate)s × profit %(profit)s × counted %(counted)s ÷ amount %(amount)s of deal "
        "%(deal)s (no. %(number)s): %(paid)s of payment %(payment)s released by the "
        "cancellation of deal %(source)s, on %(on)s"),
    "share_won": gettext_lazy(
        "%(rate)s × profit %(profit)s of deal %(deal)s (no. %(number)s), won on %(on)s"),
    "share_cancelled": gettext_lazy(
        "Reversal: deal %(deal)s (no. %(number)s) cancelled on %(on)s takes back %(rate)s × "
        "profit %(profit)s"),
    "pool_weight": gettext_lazy(
        "Pool %(pool)s × %(share)s ÷ %(weights)s (pool weight %(weight)s × %(days)s days); "
        "pool = %(rate)s × collections %(collections)s of %(department)s"),
    "pool_equal": gettext_lazy(
        "Pool %(pool)s × %(days)s ÷ %(weights)s days; pool = %(rate)s × collections "
        "%(collections)s of %(department)s"),
    "breakeven": gettext_lazy(
        "Bonus pool %(pool)s × %(share)s ÷ %(weights)s; bonus pool = %(share_rate)s × operating "
        "result %(result)s (G %(gross_profit)s − F %(fixed_costs)s − V %(variable_pay)s)"),
    "kpi_per_unit": gettext_lazy(
        "%(metric)s (%(scope)s): %(value)s against the target %(target)s; %(rate)s for each "
        "unit above"),
    "kpi_fixed": gettext_lazy(
        "%(metric)s (%(scope)s): %(value)s reached the target %(target)s; fixed %(rate)s"),
    "adjustment": gettext_lazy(
        "Adjustment for the locked period %(period)s: was %(was)s, now %(now)s"),
    "manual": gettext_lazy("Manual adjustment: %(reason)s"),
}

RATE_WORDS = {"marginal": gettext_lazy("marginal tiers"), "whole": gettext_lazy("whole tiers")}


def explain(why: str, facts: Mapping[str, object]) -> str:
    """The sentence of a line; an adjustment also says what the corrected line is."""
    inner = facts.get("inner")
    if why == "adjustment" and isinstance(inner, dict):
        return f"{_sentence(why, facts)} — {_sentence(str(facts.get('inner_why')), inner)}"
    return _sentence(why, facts)


def _sentence(why: str, facts: Mapping[str, object]) -> str:
    sentence = SENTENCES.get(why)
    if sentence is None:
        return why
    values = {key: _number(value) if key in FIGURES else value for key, value in facts.items()}
    if "department" in values:
        values["department"] = _label(str(values["department"]))
    rate = values.get("rate")
    if isinstance(rate, str) and rate in RATE_WORDS:
        values["rate"] = str(RATE_WORDS[rate])
    try:
        text = str(sentence) % values
    except (KeyError, ValueError):
        return f"{why}: {values}"
    return text


FIGURES = frozenset({
    "amount", "profit", "counted", "paid", "rate", "pool", "collections", "share", "weights",
    "weight", "share_rate", "result", "gross_profit", "fixed_costs", "variable_pay", "value",
    "target", "was", "now"})
"""The facts that are figures: written as the page writes numbers (ids, dates and deal numbers
stay as they are)."""


def _number(value: object) -> object:
    """A figure the engine wrote (``"120\u202f000.00"``, ``"0.90"``) in the page's language, its
    decimals kept; anything else (a tier mode, "—") as it is."""
    if not isinstance(value, str):
        return value
    return _figure(value, get_language())


@lru_cache(maxsize=65536)
def _figure(value: str, language: str | None) -> str:
    """``_number`` of a text, kept per language: a month's lines repeat their rates, shares and
    pools thousands of times."""
    try:
        number = parse_decimal(value)
    except (ValueError, ArithmeticError):
        return value
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        return value
    return format_number(number, max(0, -exponent))


def forfeit_reason(reason: str) -> str:
    if reason.startswith("left on "):
        return _("left on %(date)s") % {"date": reason.removeprefix("left on ")}
    if reason.startswith("not employed until "):
        return _("not employed until %(date)s") % {"date": reason.removeprefix("not employed until ")}
    return reason


def _label(department: str) -> str:
    try:
        return str(Department(department).label)
    except ValueError:
        return department
