from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.errors import ActionError
from salesrelay.payments.actions import record_payment
from salesrelay.payments.filters import PaymentFilter
from salesrelay.payments.forms import PaymentForm
from salesrelay.payments.models import Payment
from salesrelay.payments.selectors import payment_warnings
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page


@login_required
def payment_list(request):
    payments = PaymentFilter(request.GET, queryset=Payment.objects.restrict(viewer_of(request))
                             .select_related("client", "deal").order_by("-received_on", "-id")).qs
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
    return render_page(request, "payments/list.html", {"page": page})


@login_required
def new_payment(request):
    viewer = viewer_of(request)
    clients = viewer.payment_clients().order_by("name")
    chosen = request.POST.get("client") or request.GET.get("client")
    deals = Deal.objects.filter(client__in=clients, client__ref=chosen or "",
                                status__in=[DealStatus.OPEN, DealStatus.WON, DealStatus.CANCELLED])
    form = PaymentForm(request.POST or None, clients=clients, deals=deals,
                       initial={"received_on": date.today(), "client": chosen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_payment(client=data["client"], deal=data["deal"], amount=data["amount"],
                                     received_on=data["received_on"], reference=data["reference"],
                                     acting_user=request.user)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Payment %(ref)s recorded.") % {"ref": payment.ref})
            for warning in payment_warnings(payment):
                messages.warning(request, warning)
            return redirect("payments:list")
    if request.htmx and request.method == "GET":
        return render_page(request, "payments/new.html", {"form": form},
                           partial="payments/deal_field.html")
    return render_page(request, "payments/new.html", {"form": form},
                       status=400 if form.errors else 200)
