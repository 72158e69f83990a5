"""The amount field of the pay records: periods, payout lines and statements.

Every amount there has the same shape, 18 digits with 2 after the point, so it is declared once:

>>> total = MoneyField("total")
>>> total.max_digits, total.decimal_places
(18, 2)

It deconstructs as the plain ``DecimalField`` it is, so the migrations neither name it nor change
when it does.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_DIGITS = 18
DECIMAL_PLACES = 2


class MoneyField(models.DecimalField):
    def __init__(
        self,
        verbose_name: "StrOrPromise | None" = None,
        *,
        max_digits: int = MAX_DIGITS,
        decimal_places: int = DECIMAL_PLACES,
        **options: Any,
    ) -> None:
        # Django rebuilds a field from its deconstruction, digits included (Field.clone).
        super().__init__(verbose_name, max_digits=max_digits, decimal_places=decimal_places, **options)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
