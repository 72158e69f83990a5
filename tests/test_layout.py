"""Layout: every page each role of the demo company reaches from its menu, at a phone's width
(390 px) and a desktop's (1440 px), in English and Russian, fits the window's width — a wide
table scrolls inside the page, the page itself never scrolls sideways. A screenshot of each is
written to ``$SALESRELAY_SCREENSHOTS`` (else ``test-screenshots/``, which git ignores) to look at."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.site_pages import CHROMIUM, ROLES, chromium, log_in, pages_of  # noqa: F401
from tests.test_browser import _live_server_sessions_ended  # noqa: F401

WIDTHS = (390, 1440)
HEIGHT = 900

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def screenshots() -> Path:
    folder = Path(os.environ.get("SALESRELAY_SCREENSHOTS")
                  or Path(__file__).parent.parent / "test-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_name(role: str, language: str, width: int, path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    return f"{role}-{slug}-{language}-{width}.png"


@pytest.fixture
def demo(reference_data):
    call_command("demo", "--if-empty", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_at_390_or_1440_px(demo, live_server, chromium):  # noqa: F811
    base = live_server.url
    folder = screenshots()
    wide = []
    shots = 0
    seen: set[str] = set()
    for role in ROLES:
        context = chromium.new_context(viewport={"width": WIDTHS[-1], "height": HEIGHT})
        page = context.new_page()
        log_in(page, base, role)
        paths = pages_of(page, base, seen)
        for language in ("en", "ru"):
            page.goto(f"{base}/")
            with page.expect_navigation():
                page.select_option("select[name=language]", language)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                for path in paths:
                    response = page.goto(f"{base}{path}")
                    assert response.ok, (role, path, response.status)
                    # Measured before the screenshot: a full-page one resizes the window.
                    scroll, inner = page.evaluate(
                        "[document.documentElement.scrollWidth, window.innerWidth]")
                    if scroll > inner:
                        wide.append(f"{role} {language} {width}px {path}: {scroll} > {inner}")
                    page.screenshot(path=folder / file_name(role, language, width, path),
                                    full_page=True)
                    shots += 1
        context.close()
    assert shots > 0
    assert wide == [], "\n".join(wide)
