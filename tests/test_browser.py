"""In a real browser: a hunter wins a prospect on the board, and the client appears in an
account manager's portfolio."""

import os
import shutil
from datetime import date

import pytest

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
def browser():
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    _close_live_server_connections()


def _close_live_server_connections() -> None:
    """The live server answers each request in a thread of its own, and the last of them may
    still hold a PostgreSQL session when the test database is dropped; end those sessions."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


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
    login(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/pipeline/")
    card = page.locator(f"article[data-deal='{deal.ref}']")
    assert card.locator("strong").inner_text() == "Spa Chain Volga"
    card.locator("select[name=stage]").select_option("won")
    card.locator("button").click()
    # htmx swaps the board in place: the card leaves it and the message says why.
    page.wait_for_selector(f"article[data-deal='{deal.ref}']", state="detached")
    assert "Spa Chain Volga won" in page.locator("#board .messages").inner_text()
    page.close()

    page = browser.new_page()
    login(page, live_server.url, "boris")
    page.goto(f"{live_server.url}/clients/portfolio/")
    rows = page.locator("#portfolio tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0].startswith("Spa Chain Volga")
    assert cells[1] == "Boris"
    assert cells[5] == "250,000.00"
    page.close()
