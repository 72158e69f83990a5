"""In a real browser: the director changes the managers' pool rate in the plan form, sees a
refused value next to its field, previews March against the plan in force and confirms it from
March on (no console error, no CSP violation on the way)."""

import shutil
from datetime import date
from decimal import Decimal as D

import pytest

from salesrelay.compensation.models import PlanVersion
from salesrelay.compensation.plans import plans_of
from salesrelay.compensation.tests.factories import imported
from salesrelay.people.actions import hire_employee
from salesrelay.people.models import Employee
from tests import test_browser
from tests.conftest import PASSWORD
from tests.test_browser import CHROMIUM, login, watch_console

# The browser test's fixtures: Debian's chromium through Playwright, the live server's sessions.
browser = test_browser.browser
_live_server_sessions_ended = test_browser._live_server_sessions_ended

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def signed_in_director(live_server, browser, tmp_path):
    """The small imported company with Dora, its director, signed in on a new page: the page,
    the console messages it will collect, the server's address."""
    imported(tmp_path / "in")
    hire_employee(name="Dora Director", email="dora@example.com", department="management",
                  role="director", hired_on=date(2026, 1, 1), acting_user=None, username="dora",
                  password=PASSWORD)
    page = browser.new_page()
    console = watch_console(page)
    login(page, live_server.url, "dora")
    return page, console, live_server.url


@pytest.mark.django_db(transaction=True)
def test_the_director_previews_and_confirms_a_plan_in_the_form(reference_data, live_server,
                                                               browser, tmp_path):
    page, console, base = signed_in_director(live_server, browser, tmp_path)
    page.goto(f"{base}/pay/plan/")
    page.click("text=Edit the plan in a form")
    page.wait_for_url(f"{base}/pay/plan/form/")
    rate = page.locator("input[name='plan1-collections_pool-0-rate']")
    assert rate.input_value() == "0.05"

    rate.fill("5")
    page.fill("input[name=month]", "2026-03")
    with page.expect_navigation():
        page.click("#preview-button")
    field = page.locator("[data-plan='1'] [data-kind=collections_pool] .component").first
    assert "5 is out of range 0…1" in field.inner_text()
    assert page.locator("#store-button").count() == 0

    page.locator("input[name='plan1-collections_pool-0-rate']").fill("0.10")
    with page.expect_navigation():
        page.click("#preview-button")
    rows = page.locator("#preview tbody tr")
    assert rows.nth(1).locator("td").all_inner_texts() == [
        "Boris Manager", "52,476.81", "54,920.63", "2,443.82"]
    assert rows.nth(3).inner_text().split("\t") == [
        "Total pay", "174,856.45", "179,806.45", "4,950.00"]
    assert PlanVersion.objects.count() == 1

    page.fill("input[name=effective]", "2026-03")
    with page.expect_navigation():
        page.click("#store-button")
    page.wait_for_url(f"{base}/pay/plan/")
    assert "Stored as plan version 2, in effect from 2026-03." in page.inner_text(".messages")
    plans = {p.id: p for p in plans_of(PlanVersion.objects.get(number=2)).plans}
    assert (plans["managers"].components[1].params.rate,
            plans["managers-from-2026-03"].components[1].params.rate) == (D("0.05"), D("0.10"))
    # The refused preview answered 400, which the browser notes; nothing else went wrong.
    assert console == ["error: Failed to load resource: the server responded with a status of "
                       "400 (Bad Request)"]
    page.close()


@pytest.mark.django_db(transaction=True)
def test_the_directors_data_pages_pass_the_content_security_policy(reference_data, live_server,
                                                                    browser,
                                                                    tmp_path):
    page, console, base = signed_in_director(live_server, browser, tmp_path)
    for path in ["/finance/targets/", "/finance/fixed-costs/", "/account/employees/",
                 "/account/employees/hire/", "/account/employees/M1/leave/",
                 "/materials/upload/", "/pay/plan/form/"]:
        response = page.goto(f"{base}{path}")
        assert response.ok, (path, response.status)
    # The leaving form asks first (data-confirm): dismissed, nothing is recorded.
    page.goto(f"{base}/account/employees/M1/leave/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#leave-form button[type=submit]")
    assert page.url == f"{base}/account/employees/M1/leave/"
    assert Employee.objects.get(ref="M1").left_on is None
    assert console == []
    page.close()


@pytest.mark.django_db(transaction=True)
def test_the_designer_page_waits_for_the_worker_and_shows_the_result_by_itself(
        reference_data, live_server, browser, tmp_path):
    from salesrelay.compensation.design import run_job
    from salesrelay.compensation.models import DesignRun

    page, console, base = signed_in_director(live_server, browser, tmp_path)
    page.goto(f"{base}/pay/design/?first=2026-02&last=2026-03&multiple=1.0")
    assert page.inner_text("#design-area h2") == "Waiting for the worker…"
    (run,) = DesignRun.objects.all()
    run_job(run.pk)  # the worker's part, while the page waits
    page.wait_for_selector("text=10920 candidate plans evaluated", timeout=10_000)
    assert page.url == f"{base}/pay/design/?first=2026-02&last=2026-03&multiple=1.0"
    assert page.locator("text=Waiting for the worker").count() == 0
    assert page.locator("#design-area table th[scope=row]").first.inner_text() == \
        "meets the targets"
    assert console == []
    page.close()
