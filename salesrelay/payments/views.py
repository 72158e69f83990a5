from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.errors import ActionError
from salesrelay.payments.actions import record_payment
from salesrelay.payments.filters import PaymentFilter
from salesrelay.payments.forms import PaymentForm
from salesrelay.payments.models import Payment
from salesrelay.payments.selectors import payment_warnings
from salesrelay.payments.tables import PaymentTable
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page
from salesrelay.web.lists import list_page


@login_required
def payment_list(request):
    # The clients and deals of the page's rows fetched after them, not joined: joined, SQLite
    # walks every client's payments and sorts all 1.2M of them for a page of fifty.
    payments = Payment.objects.restrict(viewer_of(request)).prefetch_related("client", "deal")
    return list_page(request, table=PaymentTable, filename="payments",
                     filterset=PaymentFilter(request.GET, queryset=payments),
                     totals={"count": Count("id"), "sum_amount": Sum("amount")},
                     template="payments/list.html", default_sort="-received_on")


CLIENT_CHOICES = 50
"""Clients offered at once in the payment form's list: the first by name, or those the search
finds; the form itself accepts any client the viewer may book a payment for."""


class _Unconfirmed(Exception):
    def __init__(self, warnings: list[str]):
        super().__init__(warnings)
        self.warnings = warnings


def _client_choices(clients, text: str, chosen: str | None):
    """The clients the form lists: those matching ``text`` (name, id or tax id), and the chosen one."""
    text = text.strip()
    found = clients.filter(Q(name__icontains=text) | Q(ref=text) | Q(tax_id=text)) if text else clients
    shown = list(found.order_by("name", "id")[:CLIENT_CHOICES])
    if chosen and all(c.ref != chosen for c in shown):
        shown = list(clients.filter(ref=chosen)) + shown
    return shown


@login_required
def client_choices(request):
    """The options of the payment form's client list for what was typed (htmx)."""
    clients = viewer_of(request).payment_clients()
    choices = _client_choices(clients, request.GET.get("client_search", ""), None)
    return render(request, "payments/client_options.html", {"choices": choices})


def _record(data, *, confirmed: bool, acting_user):
    """Records the payment; if it warns (a date in the future, a locked month) and the person has
    not confirmed, nothing stays written and the warnings come back to be confirmed."""
    with transaction.atomic():
        payment = record_payment(client=data["client"], deal=data["deal"], amount=data["amount"],
                                 received_on=data["received_on"], reference=data["reference"],
                                 acting_user=acting_user)
        warnings = payment_warnings(payment)
        if warnings and not confirmed:
            raise _Unconfirmed(warnings)
    return payment, warnings


@login_required
def new_payment(request):
    viewer = viewer_of(request)
    clients = viewer.payment_clients()
    chosen = request.POST.get("client") or request.GET.get("client")
    deals = Deal.objects.filter(client__in=clients, client__ref=chosen or "",
                                status__in=[DealStatus.OPEN, DealStatus.WON, DealStatus.CANCELLED])
    form = PaymentForm(request.POST or None, clients=clients, deals=deals,
                       initial={"received_on": date.today(), "client": chosen})
    search = request.POST.get("client_search") or request.GET.get("client_search", "")
    context = {"form": form, "client_search": search,
               "choices": _client_choices(clients, search, chosen), "warnings": []}
    if request.method == "POST" and form.is_valid():
        try:
            payment, warnings = _record(form.cleaned_data, confirmed=bool(request.POST.get("confirm")),
                                        acting_user=request.user)
        except _Unconfirmed as unconfirmed:
            context["warnings"] = unconfirmed.warnings
            return render_page(request, "payments/new.html", context)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Payment %(ref)s recorded.") % {"ref": payment.ref})
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("payments:list")
    if request.htmx and request.method == "GET":
        return render_page(request, "payments/new.html", context, partial="payments/deal_field.html")
    return render_page(request, "payments/new.html", context, status=400 if form.errors else 200)
