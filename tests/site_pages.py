"""The pages a person reaches from the menu, for the browser checks of every page
(``test_a11y.py``, ``test_layout.py``).

Each role of the demo company logs in; the pages are its home, every link of its menu, and one
page of each kind those pages link to (a client card, a deal, a statement, a period, an analytics
page...): a link's kind is its path with every segment that holds a digit made ``*``, so the 300
client cards count once, and a kind an earlier role reached is not visited again. Downloads,
the admin, the API and logging out are left out.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from salesrelay.web.demo import LOGINS, PASSWORD

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ROLES = ["director", *(login for login, _ref, _what in LOGINS if login != "director")]
"""The director first: the director reaches the most pages."""
SKIPPED = re.compile(r"^/(admin|api|i18n|logout|static|media)/|\.(csv|xlsx|json|toml|zip)$"
                     r"|/(export|download|xlsx|csv)/")


@pytest.fixture(scope="module")
def chromium(_live_server_sessions_ended):
    """One browser for the module's pages."""
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def kind_of(path: str) -> str:
    return "/".join("*" if re.search(r"\d", part) else part for part in path.split("/"))


def _links(page, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    result = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != base or SKIPPED.search(url.path) or url.query:
            continue
        result.append(url.path)
    return result


def pages_of(page, base: str, seen: set[str]) -> list[str]:
    """The paths of the logged-in role's pages not ``seen`` for an earlier role (their kinds are
    added to ``seen``): its home always, its menu, and one page of each kind the menu's pages link
    to. Each kind is checked once, for the first role that reaches it: the pages are the same
    templates for every role, with less in them."""
    page.goto(f"{base}/")
    menu = [path for path in dict.fromkeys(_links(page, base, "header a[href]"))
            if kind_of(path) not in seen]
    found: dict[str, str] = {"/": "/"}
    for path in menu:
        found.setdefault(kind_of(path), path)
    for path in menu:
        response = page.goto(f"{base}{path}")
        if response is None or not response.ok or "html" not in response.headers.get(
                "content-type", ""):
            continue
        for link in _links(page, base, "main a[href]"):
            if kind_of(link) not in seen:
                found.setdefault(kind_of(link), link)
    seen.update(found)
    return list(found.values())
