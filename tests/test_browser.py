"""In a real browser: a hunter wins a prospect on the board, and the client appears in an
account manager's portfolio; every page, and what its selects do, passes the
Content-Security-Policy without a single violation in the console; the web import refuses a
bad file and applies a good one, run by a real worker."""

import os
import re
import shutil
import signal
import subprocess
import sys
from datetime import date
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command

from salesrelay.compensation.plans import load_plan
from salesrelay.deals.actions import win_deal
from salesrelay.payments.actions import record_payment
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def browser(_live_server_sessions_ended):
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def _live_server_sessions_ended(django_db_setup):
    """The live server answers each request in a thread of its own, and the last of them may
    still hold a PostgreSQL session when the test database is dropped: end every session of
    the test database once the tests are over, just before it is dropped. (Not after each
    test: next to Playwright's greenlets the test's own connection is not always the
    ``django.db.connection`` a fixture sees, and it must live on.)"""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], host=settings["HOST"] or None,
                         port=settings["PORT"] or None, user=settings["USER"] or None,
                         password=settings["PASSWORD"] or None, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def watch_console(page) -> list[str]:
    """Every error and warning the page writes to the console (a CSP violation is an error:
    "Refused to execute inline event handler because it violates ...") and every uncaught
    script error."""
    seen: list[str] = []

    def console(message) -> None:
        # The browser asks for /favicon.ico on its own; the app has none.
        if message.type in ("error", "warning") and not message.location.get(
                "url", "").endswith("/favicon.ico"):
            seen.append(f"{message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    return seen


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_hunter_wins_on_the_board_and_the_client_reaches_the_portfolio(
        reference_data, live_server, browser, company):
    anna = company.hunter("Anna", username="anna", password=PASSWORD,
                          hired_on=date(2020, 1, 1))
    company.manager("Boris", username="boris", password=PASSWORD, hired_on=date(2020, 1, 1))
    prospect = company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    deal = company.deal(prospect, anna, amount="250000.00", cost="140000.00",
                        created_on=date(2020, 2, 1))

    page = browser.new_page()
    console = watch_console(page)
    login(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/pipeline/")
    card = page.locator(f"article[data-deal='{deal.ref}']")
    assert card.locator("strong").inner_text() == "Spa Chain Volga"
    card.locator("select[name=stage]").select_option("won")
    card.locator("button").click()
    # htmx swaps the board in place: the card lands in Won and the message says who has the
    # client now.
    page.wait_for_selector(f"section[data-stage=won] article[data-deal='{deal.ref}']")
    assert page.locator("#board .messages").inner_text() == (
        "Spa Chain Volga won (deal no. 1): handed off to Boris.")
    assert console == []
    page.close()

    page = browser.new_page()
    login(page, live_server.url, "boris")
    page.goto(f"{live_server.url}/clients/portfolio/")
    rows = page.locator("#portfolio tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == prospect.ref
    assert cells[1] == "Spa Chain Volga"
    assert cells[3] == "Boris"
    assert cells[7] == "250,000.00"
    # The totals come in after the page, through htmx.
    page.wait_for_selector("#totals span")
    assert page.locator("#totals").inner_text() == "1 client"
    page.close()


@pytest.mark.django_db(transaction=True)
def test_slash_goes_to_the_search_box_and_typing_finds_the_client(
        reference_data, live_server, browser, company):
    anna = company.hunter("Anna", username="anna", password=PASSWORD, hired_on=date(2020, 1, 1))
    pavel = company.hunter("Pavel", username="pavel", password=PASSWORD,
                           hired_on=date(2020, 1, 1))
    company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    company.prospect("Spa Pavel Own", pavel, created_on=date(2020, 2, 1))
    page = browser.new_page()
    console = watch_console(page)
    login(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/clients/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("Spa")
    page.wait_for_selector("#search-results a")
    assert page.locator("#search-results a").all_inner_texts() == ["Spa Chain Volga"]
    page.keyboard.press("Escape")
    assert page.locator("#search-results a").count() == 0
    assert console == []
    page.close()


PLAN = """
[[plans]]
id = "everyone"
roles = ["hunter", "account_manager", "head", "director", "accountant"]
effective_from = 2020-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
"""


@pytest.mark.django_db(transaction=True)
def test_every_page_and_its_selects_pass_the_content_security_policy(
        reference_data, live_server, browser, company):
    anna = company.hunter("Anna", username="anna", password=PASSWORD, hired_on=date(2020, 1, 1))
    company.manager("Boris", username="boris", password=PASSWORD, hired_on=date(2020, 1, 1))
    company.employee("Dora Director", "director", "management", username="dora",
                     password=PASSWORD, hired_on=date(2020, 1, 1))
    prospect = company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    deal = company.deal(prospect, anna, created_on=date(2020, 2, 1))
    win_deal(deal, acting_user=None, won_on=date(2020, 2, 3))
    record_payment(deal=deal, amount=deal.amount, received_on=date(2020, 2, 10), acting_user=None)
    load_plan(PLAN)
    for month in ("2020-02", "2020-03"):
        call_command("payroll", month, stdout=StringIO())

    page = browser.new_page()
    console = watch_console(page)
    base = live_server.url
    login(page, base, "dora")
    for path in ["/", "/pipeline/", "/clients/", "/clients/new/", f"/clients/{prospect.ref}/",
                 "/clients/portfolio/", "/clients/team/", f"/deals/new/?client={prospect.ref}",
                 f"/deals/{deal.ref}/",
                 "/payments/", "/payments/new/", "/materials/", "/pay/", "/pay/periods/",
                 "/deals/", "/pipeline/activities/", "/search/?q=Spa", "/payments/?totals=1",
                 "/pay/periods/2020-03/", "/pay/disputes/", "/pay/plan/", "/pay/simulate/",
                 "/admin/", "/admin/clients/client/"]:
        response = page.goto(f"{base}{path}")
        assert response.ok, (path, response.status)
        assert "content-security-policy" in response.headers, path

    # data-submit-on-change: the board's hunter filter reloads the board for that hunter.
    page.goto(f"{base}/pipeline/")
    with page.expect_navigation():
        page.select_option("select[name=hunter]", anna.ref)
    assert page.url == f"{base}/pipeline/?hunter={anna.ref}"
    # data-navigate-on-change: the statement's month select opens that month.
    page.goto(f"{base}/pay/statements/2020-03/{anna.ref}/")
    with page.expect_navigation():
        page.select_option("select[aria-label=Month]", label="2020-02")
    assert page.url == f"{base}/pay/statements/2020-02/{anna.ref}/"
    # And the language select, on every page.
    with page.expect_navigation():
        page.select_option("select[name=language]", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert console == []

    # The watch does see a violation when there is one: a style attribute set by a script.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    assert len(console) == 1 and "Content Security Policy" in console[0], console
    page.close()


ANALYTICS = ["new-clients", "funnel", "conversion", "order-value", "collections", "break-even",
             "pay", "cohorts"]
HUNTER_READS = ["new-clients", "funnel", "conversion", "break-even", "pay", "cohorts"]


def charts_drawn(page) -> list[bool]:
    """For each canvas of the page: whether Chart.js drew a chart on it."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-chart]'))
        .map((c) => c.dataset.drawn === 'true' && window.Chart.getChart(c) !== undefined
                    && c.width > 0 && c.height > 0)""")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_and_every_analytics_page_draw_their_charts(
        reference_data, live_server, browser, tmp_path):
    from salesrelay.analytics.tests.history import import_history
    from salesrelay.people.actions import hire_employee, link_login
    from salesrelay.people.models import Employee

    import_history(tmp_path / "history")
    link_login(Employee.objects.get(ref="H1"), username="anna", password=PASSWORD,
               acting_user=None)
    hire_employee(name="Dora Director", email="dora@example.com", department="management",
                  role="director", hired_on=date(2026, 1, 1), acting_user=None, username="dora",
                  password=PASSWORD)
    base = live_server.url
    for who, paths in [("dora", ["/", "/analytics/", *[f"/analytics/{p}/" for p in ANALYTICS]]),
                       ("anna", [f"/analytics/{p}/" for p in HUNTER_READS])]:
        page = browser.new_page()
        console = watch_console(page)
        login(page, base, who)
        for path in paths:
            response = page.goto(f"{base}{path}?first=2026-01&last=2026-04")
            assert response.ok, (who, path, response.status)
            page.wait_for_selector("canvas[data-drawn]")
            drawn = charts_drawn(page)
            assert drawn and all(drawn), (who, path, drawn)
        # In Russian too: the charts format their numbers with the page's language.
        with page.expect_navigation():
            page.select_option("select[name=language]", "ru")
        assert page.locator("html").get_attribute("lang") == "ru"
        page.wait_for_selector("canvas[data-drawn]")
        assert all(charts_drawn(page))
        assert console == [], (who, console)
        page.close()


@pytest.mark.django_db(transaction=True)
def test_an_action_that_cannot_be_undone_asks_first(reference_data, live_server, browser, company):
    anna = company.hunter("Anna", username="anna", password=PASSWORD, hired_on=date(2020, 1, 1))
    company.manager("Boris", username="boris", password=PASSWORD, hired_on=date(2020, 1, 1))
    prospect = company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    deal = company.deal(prospect, anna, created_on=date(2020, 2, 1))
    win_deal(deal, acting_user=None, won_on=date(2020, 3, 1))
    page = browser.new_page()
    login(page, live_server.url, "boris")
    page.goto(f"{live_server.url}/deals/{deal.ref}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("text=Cancel deal")
    deal.refresh_from_db()
    assert (questions, deal.status) == (
        ["Cancel the deal? What it holds is released to the credit of the client."], "won")
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        page.click("text=Cancel deal")
    deal.refresh_from_db()
    assert (len(questions), deal.status) == (2, "cancelled")
    page.close()


BAD_EMPLOYEES = b"""id,name,email,department,role,hired_on
H1,Anna Hunter,anna@example.com,acquisition,hunter,2026-01-01
M1,Boris Manager,boris@example.com,account_management,wizard,2026-01-01
"""
EMPLOYEES = BAD_EMPLOYEES.replace(b"wizard", b"account_manager")
PRODUCTS = b"""sku,name,price,unit_cost
HB-170,Hydromassage bath 170,78900.00,45800.00
HB-180,Hydromassage bath 180,89900.00,51200.00
"""


def database_url(settings_dict) -> str:
    """The test database as ``SALESRELAY_DATABASE_URL`` names it, for another process."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


@pytest.fixture
def worker(live_server, settings, tmp_path):
    """``salesrelay worker`` on the test database, as a process of its own, stopped after the
    test (SIGTERM to the cluster's main process, which stops its own processes)."""
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path / "media"
    env = {**os.environ, "SALESRELAY_DATABASE_URL": database_url(connection.settings_dict),
           "SALESRELAY_SECRET_KEY": settings.SECRET_KEY,  # the queue's packages are signed
           "SALESRELAY_MEDIA_ROOT": str(settings.MEDIA_ROOT), "SALESRELAY_LOG_LEVEL": "WARNING"}
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "salesrelay.cli", "worker"], env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    yield log
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def upload_files(page, base, files):
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=files]", [
        {"name": name, "mimeType": "text/csv", "buffer": data} for name, data in files.items()])
    with page.expect_navigation():
        page.click("#upload button")
    assert re.fullmatch(rf"{base}/imports/\d+/", page.url), page.url


@pytest.mark.django_db(transaction=True)
def test_the_web_import_refuses_a_bad_row_then_applies_good_files_with_its_progress(
        reference_data, live_server, browser, company, worker):
    """The jobs run on a real worker: ``salesrelay worker`` (django-q2's cluster, its ORM broker
    on the test database) started for this test in a process of its own, and stopped after it.
    The page follows each job by polling its progress with htmx."""
    from salesrelay.deals.models import Product
    from salesrelay.people.models import Employee

    company.employee("Ada Accountant", "accountant", "management", username="ada",
                     password=PASSWORD, hired_on=date(2020, 1, 1))
    base = live_server.url
    page = browser.new_page()
    console = watch_console(page)
    login(page, base, "ada")
    with page.expect_navigation():
        page.click("header nav a:has-text('Import')")

    upload_files(page, base, {"employees.csv": BAD_EMPLOYEES, "products.csv": PRODUCTS})
    job = page.locator("#import-job")
    page.wait_for_selector("#import-job[data-status=refused]", timeout=60_000)
    rows = page.locator("#import-problems tbody tr")
    assert rows.count() == 1, worker.read_text()
    assert rows.first.locator("td").all_inner_texts()[:3] == ["employees.csv", "3", "role"]
    assert "wizard" in rows.first.locator("td").all_inner_texts()[3]
    assert "1 bad row: nothing was imported." in job.inner_text()
    assert page.locator("text=Import these files").count() == 0
    assert (Employee.objects.filter(ref__in=["H1", "M1"]).count(), Product.objects.count()) == (0, 0)

    upload_files(page, base, {"employees.csv": EMPLOYEES, "products.csv": PRODUCTS})
    page.wait_for_selector("#import-job[data-status=checked]", timeout=60_000)
    assert page.locator("#import-summary tbody tr").all_inner_texts() == [
        "employees\t2\t0\t0", "products\t2\t0\t0"]
    assert Product.objects.count() == 0  # checked, not yet imported
    with page.expect_navigation():
        page.click("text=Import these files")
    # Queued or already under way: the bar is there, and htmx polls it to the end.
    assert job.get_attribute("data-status") in ("applying", "done")
    assert page.locator("#import-progress").is_visible()
    page.wait_for_selector("#import-job[data-status=done]", timeout=60_000)
    assert page.locator("#import-progress").get_attribute("value") == "100"
    assert "4 of 4 rows done" in job.inner_text()
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["HB-170", "HB-180"]
    assert Employee.objects.filter(ref__in=["H1", "M1"]).count() == 2
    assert console == []
    page.close()


@pytest.mark.django_db(transaction=True)
def test_a_card_dragged_to_another_column_moves_the_deal(reference_data, live_server, browser,
                                                         company):
    anna = company.hunter("Anna", username="anna", password=PASSWORD, hired_on=date(2020, 1, 1))
    prospect = company.prospect("Spa Chain Volga", anna, created_on=date(2020, 2, 1))
    deal = company.deal(prospect, anna, amount="250000.00", created_on=date(2020, 2, 1))
    page = browser.new_page()
    console = watch_console(page)
    login(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/pipeline/")
    assert page.locator("section[data-stage=new] h2").inner_text() == "New\n1 · 250,000.00 RUB"
    # By the card's text (a link, the select and the button do not start a drag).
    # The card moves in the page at once; the deal moves when the board comes back from the
    # server, which is what the test waits for.
    with page.expect_response(lambda response: response.url.endswith(f"/deals/{deal.ref}/move/")):
        page.drag_and_drop(f"article[data-deal='{deal.ref}'] small.muted",
                           "section[data-stage=proposal] .cards")
    page.wait_for_selector(f"section[data-stage=proposal] article[data-deal='{deal.ref}']")
    deal.refresh_from_db()
    assert (deal.stage.code, console) == ("proposal", [])
    page.close()
