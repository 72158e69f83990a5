"""Form fields every form shares, so that an amount, a day or a name is checked one way
(``salesrelay.input_rules``) on every page."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.validators import DecimalValidator, ProhibitNullCharactersValidator

from salesrelay.input_rules import (
    validate_amount,
    validate_day,
    validate_line,
    validate_multiline,
)

F = TypeVar("F", bound=forms.Field)


class MoneyField(forms.DecimalField):
    """An amount: 12 digits before the point, 2 after (one reason when it is not, from
    ``validate_amount``, instead of Django's digit counts)."""

    default_validators = [validate_amount]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["step"] = "0.01"
        return attrs


class DayField(forms.DateField):
    """A day between 2000-01-01 and 2100-12-31."""

    default_validators = [validate_day]


def _without_django_nul_check(field: forms.CharField) -> None:
    """``validate_line`` names a NUL byte itself; one reason is enough."""
    field.validators = [v for v in field.validators
                        if not isinstance(v, ProhibitNullCharactersValidator)]


class LineField(forms.CharField):
    """One line of text without control or invisible characters."""

    default_validators = [validate_line]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _without_django_nul_check(self)


class TextField(forms.CharField):
    """Text that may have line breaks, without other control or invisible characters."""

    default_validators = [validate_multiline]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)
        _without_django_nul_check(self)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The field ``name`` of ``form``, checked to be a ``kind``: for what a form sets per request,
    the choices of a ``ChoiceField`` or the queryset of a ``ModelChoiceField``.

    >>> field_of(form, "to", forms.ChoiceField).choices = [("", "—"), ("E1", "Ivanova")]
    """
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"the field {name!r} of {type(form).__name__} is not a {kind.__name__}")
    return field
