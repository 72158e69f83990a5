"""Accessibility: axe-core (vendored in tests/vendor/axe-core, never served by the app) runs on
every page each role of the demo company reaches from its menu (in English: the Russian pages
are the same markup, and test_layout.py looks at them) and finds no serious or critical
violation; the skip link leads to the content and the focused
control is outlined."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.site_pages import CHROMIUM, ROLES, chromium, log_in, pages_of  # noqa: F401
from tests.test_browser import _live_server_sessions_ended  # noqa: F401

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def violations(page) -> list[str]:
    """axe's serious and critical violations of the page: rule, impact and the first nodes."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => [v.id, v.impact,
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')]);
    }""")
    return [f"{rule} ({impact}): {nodes}" for rule, impact, nodes in found if impact in SEVERE]


@pytest.fixture
def demo(reference_data):
    call_command("demo", "--if-empty", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_accessibility_issue(demo, live_server, chromium):  # noqa: F811
    base = live_server.url
    problems = []
    seen: set[str] = set()
    for role in ROLES:
        context = chromium.new_context(bypass_csp=True)  # axe is added as a script tag
        page = context.new_page()
        log_in(page, base, role)
        for path in pages_of(page, base, seen):
            response = page.goto(f"{base}{path}")
            assert response.ok, (role, path, response.status)
            problems += [f"{role} {path}: {issue}" for issue in violations(page)]
        context.close()
    assert len(seen) > 20
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_the_skip_link_comes_first_and_the_focus_is_visible(
        reference_data, live_server, chromium, company):  # noqa: F811
    from tests.conftest import PASSWORD

    company.hunter("Anna", username="anna", password=PASSWORD)
    page = chromium.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const e = document.activeElement, style = getComputedStyle(e);
        return [e.textContent.trim(), e.getAttribute('href'), style.outlineStyle,
                style.outlineWidth, e.getBoundingClientRect().top >= 0];
    }""")
    assert focused == ["Skip to content", "#main", "solid", "3px", True]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()
