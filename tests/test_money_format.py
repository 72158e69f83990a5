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
