"""The search box of every page (``/`` focuses it): clients by name, id or tax id, their contacts,
deals by id, number or title, payments by id or bank reference — only what the viewer may read,
each through ``Model.objects.restrict`` (a hunter never finds another hunter's prospect).

Typing asks ``/search/?q=…`` through htmx for a dropdown of the first few of each kind; Enter
(or a browser without script) opens the same results as a page.

How each kind is matched, so that a search stays fast on a million deals and payments:

- clients and contacts: any part of the name (``icontains``; tens of thousands of rows), or the
  exact id, tax id, e-mail or phone;
- deals: the exact id, a title starting with the text (as written: an index range, not a
  scan of every title), or a client's name and its deal number (``ACME 3``);
- payments: the exact id or bank reference (indexed), as written on the bank statement.

>>> find(viewer, "ACME").clients  # doctest: +SKIP
[<Client: ACME Ltd>]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Q

from salesrelay.clients.models import Contact
from salesrelay.deals.models import Deal
from salesrelay.payments.models import Payment
from salesrelay.people.access import Viewer, viewer_of
from salesrelay.web.htmx import render_page

LIMIT = 8
"""Of each kind, in the dropdown; the page shows up to ``PAGE_LIMIT``."""
PAGE_LIMIT = 50
MIN_LENGTH = 2


@dataclass
class Found:
    text: str
    clients: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    payments: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.clients or self.contacts or self.deals or self.payments)


def find(viewer: Viewer, text: str, *, limit: int = LIMIT) -> Found:
    """What ``viewer`` may read that matches ``text``: nine queries at most, each on an index
    or on the clients' names."""
    text = " ".join(text.split())
    found = Found(text)
    if len(text) < MIN_LENGTH:
        return found
    clients = viewer.clients()
    found.clients = list(clients.filter(
        Q(name__icontains=text) | Q(ref=text) | Q(tax_id=text)).order_by("name", "id")[:limit])
    found.contacts = list(Contact.objects.filter(client__in=clients).filter(
        Q(name__icontains=text) | Q(email__iexact=text) | Q(phone=text))
        .select_related("client").order_by("name", "id")[:limit])
    found.deals = _deals(viewer, text, limit)
    found.payments = _payments(viewer, text, limit)
    return found


def _deals(viewer: Viewer, text: str, limit: int) -> list:
    """Each way of matching a deal is its own indexed read (an ``OR`` of them would walk every
    deal), the found ids then read once, through ``restrict``."""
    deals = Deal.objects.order_by()
    ids = set(deals.filter(ref=text).values_list("id", flat=True))
    ids |= set(deals.filter(title__gte=text, title__lt=text + "\U0010ffff")
               .values_list("id", flat=True)[:limit * 4])
    name, _, number = text.rpartition(" ")
    if name and number.isdigit():
        clients = viewer.clients().filter(name__icontains=name).values("id")[:limit * 4]
        ids |= set(deals.filter(client_id__in=clients, number=int(number))
                   .values_list("id", flat=True))
    return list(viewer.deals().filter(id__in=ids).select_related("client")
                .order_by("-created_on", "-id")[:limit])


def _payments(viewer: Viewer, text: str, limit: int) -> list:
    """By id or by bank reference, each its own index; then restricted (the viewer's order of
    a million payments would otherwise be walked looking for them)."""
    payments = Payment.objects.order_by()
    ids = set(payments.filter(ref=text).values_list("id", flat=True))
    ids |= set(payments.filter(reference=text).values_list("id", flat=True)[:limit * 4])
    return list(Payment.objects.restrict(viewer).filter(id__in=ids).select_related("client", "deal")
                .order_by("-received_on", "-id")[:limit])


@login_required
def search(request):
    viewer = viewer_of(request)
    dropdown = bool(getattr(request, "htmx", False))
    found = find(viewer, request.GET.get("q", ""), limit=LIMIT if dropdown else PAGE_LIMIT)
    return render_page(request, "web/search.html", {"found": found},
                       partial="web/search_results.html")
