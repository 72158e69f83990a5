"""Days and times on the pages, per language (salesrelay/formats): ISO in English, the Russian
way in Russian, whichever way a template writes them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template('{{ day }} | {{ day|date:"SHORT_DATE_FORMAT" }} | {{ at }} | '
                    '{{ at|date:"SHORT_DATETIME_FORMAT" }}')
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "2026-03-02 | 2026-03-02 | 2026-03-02 14:05 | 2026-03-02 14:05"),
    ("ru", "02.03.2026 | 02.03.2026 | 02.03.2026 14:05 | 02.03.2026 14:05"),
])
def test_a_day_and_a_moment_are_written_the_way_of_the_page_s_language(language, expected):
    context = Context({"day": date(2026, 3, 2), "at": datetime(2026, 3, 2, 14, 5, tzinfo=MOSCOW)})
    with translation.override(language):
        assert TEMPLATE.render(context) == expected
