"""Amounts on the pages in each language: ``220,628.70`` and ``220 628,70``, never ``220,628,70``."""

from decimal import Decimal

import pytest
from django.utils import translation

from salesrelay.web.templatetags.money import money


@pytest.mark.parametrize(("language", "value", "shown"), [
    ("en", Decimal("220628.7"), "220,628.70"),
    ("ru", Decimal("220628.7"), "220\xa0628,70"),
    ("en", "19348276.20", "19,348,276.20"),
    ("ru", "19348276.20", "19\xa0348\xa0276,20"),
    ("ru", Decimal("-65000"), "-65\xa0000,00"),
    ("en", None, ""),
    ("en", "—", "—"),
])
def test_money_is_written_the_way_each_language_writes_it(language, value, shown):
    with translation.override(language):
        assert money(value) == shown


def test_the_simulator_shows_its_figures_in_russian(client, org):
    from tests.conftest import PASSWORD
    from tests.test_routes import PLAN

    client.login(username="dora", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    text = client.post("/pay/simulate/", {"plan": PLAN, "compare": "", "first": "2026-02",
                                         "last": "2026-02"}).content.decode()
    assert '<td class="num">40\xa0000,00</td>' in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_figures_are_written_exactly_as_djangos_number_format_writes_them(language):
    import random

    from django.utils.formats import number_format

    from salesrelay.web.templatetags.money import format_number

    draw = random.Random(7)
    values = [Decimal("-0.001"), Decimal("-0.004"), Decimal("0"), Decimal("-0"), Decimal("999.995"),
              Decimal("-999999.5"), 1234567, -1, 0, Decimal("1e12"), Decimal("0.90")]
    values += [Decimal(draw.randint(-10**13, 10**13)).scaleb(-draw.randint(0, 6))
               for _ in range(2000)]
    with translation.override(language):
        for value in values:
            for places in range(5):
                rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
                expected = number_format(rounded, decimal_pos=places, use_l10n=True,
                                         force_grouping=True)
                assert format_number(value, places) == expected, (value, places)
