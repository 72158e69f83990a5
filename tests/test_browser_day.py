"""The day of the issue, in a real browser, in English and in Russian: a hunter creates a
prospect with its first deal of three lines in one form (the third line added by the page's
script) and plans a call with it, drags the deal to Won and reads who has the client now; that
account manager sees the bell, the notification and the call passed to them on their home page,
and records a payment by typing the client's name; the director locks the month after
confirming (a period is locked by the director or the accountant, not by a head of department).
Not one console error or CSP violation on the way."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from salesrelay.clients.models import Client
from salesrelay.compensation.actions import approve_period, calculate_period
from salesrelay.compensation.models import Period
from salesrelay.compensation.plans import load_plan
from salesrelay.engine.periods import Month
from salesrelay.notifications.models import Notification
from salesrelay.payments.models import Payment
from tests.conftest import PASSWORD
from tests.test_browser import (  # noqa: F401  (browser and the fixture it needs)
    PLAN,
    _live_server_sessions_ended,
    browser,
    login,
    watch_console,
)
from tests.test_browser import pytestmark as browser_marks

pytestmark = browser_marks

SAID = {
    "en": {
        "won": "Spa Chain Volga won (deal no. 1): handed off to Boris.",
        "told": "Spa Chain Volga won its first deal and is handed to you (brought by Anna); its "
                "planned activities are yours now.",
        "created": "Prospect Spa Chain Volga created with its first deal {deal}.",
    },
    "ru": {
        "won": "Spa Chain Volga: сделка выиграна (сделка № 1), клиент передан менеджеру Boris.",
        "told": "Spa Chain Volga: первая сделка выиграна, клиент передан вам (привёл Anna); его "
                "запланированные дела теперь ваши.",
        "created": "Потенциальный клиент Spa Chain Volga создан вместе с первой сделкой {deal}.",
    },
}


def sign_in(browser, base, username, language):  # noqa: F811  (the fixture's name)
    # Wide enough for the whole board: a drag that scrolls the board under it drops nowhere.
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    console = watch_console(page)
    login(page, base, username)
    with page.expect_navigation():
        page.select_option("select[name=language]", language)
    assert page.locator("html").get_attribute("lang") == language
    return page, console


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.django_db(transaction=True)
def test_a_day_from_the_first_deal_to_the_locked_month(reference_data, live_server, browser,  # noqa: F811
                                                       company, language):
    company.hunter("Anna", username="anna", password=PASSWORD, hired_on=date(2020, 1, 1))
    boris = company.manager("Boris", username="boris", password=PASSWORD, hired_on=date(2020, 1, 1))
    company.employee("Dora Director", "director", "management", username="dora",
                     password=PASSWORD, hired_on=date(2020, 1, 1))
    bath, big_bath = company.product("HB-170", "78900.00", "45800.00"), company.product(
        "HB-180", "89900.00", "51200.00")
    today = timezone.localdate()
    base = live_server.url
    said = SAID[language]

    # The hunter: the prospect and its first deal in one form.
    page, console = sign_in(browser, base, "anna", language)
    page.goto(f"{base}/clients/new/")
    page.fill("input[name=name]", "Spa Chain Volga")
    page.fill("input[name=tax_id]", "7707083893")
    page.select_option("select[name=segment]", "dealer")
    page.fill("input[name=contact_name]", "Olga Petrova")
    page.select_option("select[name=lines-0-product]", str(bath.pk))
    page.fill("input[name=lines-0-quantity]", "2")
    page.select_option("select[name=lines-1-product]", str(big_bath.pk))
    page.fill("input[name=lines-1-quantity]", "1")
    page.click("button[data-add-form]")  # in place, by the script: nothing is posted
    assert page.input_value("input[name=lines-TOTAL_FORMS]") == "3"
    page.select_option("select[name=lines-2-product]", str(bath.pk))
    page.fill("input[name=lines-2-quantity]", "1")
    page.fill("input[name=lines-2-unit_price]", "70000.00")
    with page.expect_navigation():
        page.click("#new-prospect > p > button[type=submit]")
    prospect = Client.objects.get(name="Spa Chain Volga")
    deal = prospect.deals.get()
    assert (page.url, deal.amount, deal.lines.count()) == (
        f"{base}/clients/{prospect.ref}/", D("317700.00"), 3)
    assert page.locator(".messages li").inner_text() == said["created"].format(deal=deal.ref)
    # A call planned with it today at a time: it is the account manager's after the handoff.
    page.select_option("form[action$='/activities/'] select[name=kind]", "call")
    page.fill("form[action$='/activities/'] input[name=subject]", "delivery call")
    page.fill("form[action$='/activities/'] input[name=planned_on]", today.isoformat())
    page.fill("form[action$='/activities/'] input[name=planned_at]", "23:59")
    with page.expect_navigation():
        page.click("form[action$='/activities/'] button")
    page.goto(f"{base}/")
    task = page.locator("#tasks-today li.task")
    assert (task.count(), task.locator(".when").inner_text(), "delivery call" in task.inner_text()) \
        == (1, "23:59", True)

    # Won on the board, by dragging the card.
    page.goto(f"{base}/pipeline/")
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal.ref}/move/")):
        page.drag_and_drop(f"article[data-deal='{deal.ref}'] small.muted",
                           "section[data-stage=won] .cards")
    page.wait_for_selector(f"section[data-stage=won] article[data-deal='{deal.ref}']")
    assert page.locator("#board .messages").inner_text() == said["won"]
    assert console == []
    page.close()

    # The account manager: the bell, the notification, the call, the payment.
    page, console = sign_in(browser, base, "boris", language)
    assert page.locator("#bell .count").inner_text() == "1"
    assert "delivery call" in page.locator("#tasks-today").inner_text()
    assert page.locator("#tasks-today a").first.get_attribute("href") == f"/clients/{prospect.ref}/"
    page.click("#bell")
    page.wait_for_url(f"{base}/notifications/")
    item = page.locator("#notifications li.unread")
    assert item.locator("button.link").inner_text() == said["told"]
    with page.expect_navigation():
        item.locator("button.link").click()
    assert page.url == f"{base}/clients/{prospect.ref}/"
    assert page.locator("#bell .count").inner_text() == "0"
    page.goto(f"{base}/payments/new/")
    # The client found by typing part of its name: the list then holds the clients that match.
    page.locator("input[name=client_search]").press_sequentially("SpaCh")
    page.wait_for_selector(f"#client-choices option[value='{prospect.ref}']", state="attached")
    options = page.locator("#client-choices option")
    assert [o.get_attribute("value") for o in options.all()] == ["", prospect.ref]
    with page.expect_response(lambda r: "/payments/new/?client=" in r.url):
        page.select_option("#client-choices", prospect.ref)
    assert page.input_value("select[name=client]") == prospect.ref
    page.fill("input[name=amount]", "100000.00")
    page.fill("input[name=received_on]", today.isoformat())
    with page.expect_navigation():
        page.locator("form:has(input[name=amount]) button").last.click()
    payment = Payment.objects.get()
    assert (payment.client_id, payment.amount, payment.received_on) == (
        prospect.pk, D("100000.00"), today)
    assert console == []
    page.close()
    assert Notification.objects.filter(recipient=boris, read_at__isnull=False).count() == 1

    # The director: last month, calculated and approved, locked after confirming.
    load_plan(PLAN, actor=None)
    month = Month.of(today.replace(day=1) - timedelta(days=1))
    calculate_period(month)
    approve_period(month)
    page, console = sign_in(browser, base, "dora", language)
    page.goto(f"{base}/pay/periods/{month}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    lock = "form[action$='/lock/'] button"
    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click(lock)
    assert Period.objects.get(month=month.first).status == "approved"
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        page.click(lock)
    assert Period.objects.get(month=month.first).status == "locked"
    question = gettext_in(language, "Lock this period? A locked period never changes again; "
                                    "later corrections become adjustments of the next month.")
    assert questions == [question, question]
    assert Notification.objects.filter(kind="period_locked").count() == 3
    assert console == []
    page.close()


def gettext_in(language, text):
    with translation.override(language):
        return gettext(text)
