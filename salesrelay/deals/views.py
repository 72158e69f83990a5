from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesrelay.compensation.stakes import stakes_of
from salesrelay.deals import actions
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.filters import DealFilter
from salesrelay.deals.forms import CloseForm, DirectCostForm, LineForm
from salesrelay.deals.messages import won_message
from salesrelay.deals.models import DealLine
from salesrelay.deals.tables import DealTable
from salesrelay.errors import ActionError
from salesrelay.payments.selectors import deal_credit, paid_by_deal
from salesrelay.people.access import viewer_of
from salesrelay.people.choices import Role
from salesrelay.people.models import Employee
from salesrelay.web.htmx import render_page
from salesrelay.web.lists import employee_choices, list_page


@login_required
def deal_list(request):
    """Every deal the viewer may read, filtered as the API filters them, with their totals."""
    # The clients and owners of the page's rows fetched after them, not joined (as the
    # payments list: joined, SQLite sorts every deal for a page of fifty).
    deals = viewer_of(request).deals().prefetch_related("client", "owner").annotate(
        gross_profit=F("amount") - F("goods_cost") - F("direct_cost"))
    filterset = DealFilter(request.GET, queryset=deals)
    employee_choices(filterset, Employee.objects.filter(
        role__in=[Role.HUNTER, Role.ACCOUNT_MANAGER]).order_by("name"), "owner")
    return list_page(request, table=DealTable, filterset=filterset, filename="deals",
                     totals={"count": Count("id"), "sum_amount": Sum("amount"),
                             "sum_gross_profit": Sum(F("amount") - F("goods_cost") - F("direct_cost"))},
                     template="deals/list.html", default_sort="-created_on")


@login_required
def new_deal(request):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients("write"),
                               ref=request.GET.get("client") or request.POST.get("client"))
    if request.method == "POST":
        owner = viewer.owner_of_new_deal(client)
        if owner is None:
            messages.error(request, _("The client has no owner to own the deal; assign it first."))
            return redirect("clients:card", client.ref)
        try:
            deal = actions.open_deal(client=client, owner=owner, acting_user=request.user,
                                     title=request.POST.get("title", "").strip())
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("clients:card", client.ref)
        return redirect("deals:detail", deal.ref)
    return render_page(request, "deals/new.html", {"client": client})


def _deal(request, ref, action="write"):
    deals = viewer_of(request).deals(action)
    return get_object_or_404(deals.select_related("client", "owner", "stage"), ref=ref)


@login_required
def detail(request, ref):
    deal = _deal(request, ref, "read")
    context = {
        "deal": deal,
        "lines": deal.lines.select_related("product"),
        "costs": deal.direct_costs.all(),
        "allocations": deal.allocations.select_related("payment").order_by("effective_on", "id"),
        "paid": paid_by_deal([deal.pk]).get(deal.pk),
        "credit": deal_credit(deal),
        "line_form": LineForm(),
        "cost_form": DirectCostForm(),
        "managers": Employee.objects.filter(role=Role.ACCOUNT_MANAGER, left_on__isnull=True),
        "can_write": (can_write := viewer_of(request).deals("write").filter(pk=deal.pk).exists()),
        "is_open": deal.status == DealStatus.OPEN and can_write,
        "stake": stakes_of([deal], viewer_of(request)).get(deal.pk),
    }
    return render_page(request, "deals/detail.html", context)


def _errors(form) -> str:
    return "; ".join(f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}"
                     for k, v in form.errors.items())


def _run(request, deal, action, success):
    """Run ``action``; say ``success`` (or what ``success()`` says, once it has run)."""
    try:
        action()
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success() if callable(success) else success)
    return redirect("deals:detail", deal.ref)


@login_required
@require_POST
def add_line(request, ref):
    deal = _deal(request, ref)
    form = LineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the line: %(errors)s") % {"errors": _errors(form)})
        return redirect("deals:detail", deal.ref)
    line = actions.LineInput(product=form.cleaned_data["product"],
                             quantity=form.cleaned_data["quantity"],
                             unit_price=form.cleaned_data["unit_price"])
    return _run(request, deal, lambda: actions.add_deal_line(deal, line, acting_user=request.user),
                _("Line added."))


@login_required
@require_POST
def remove_line(request, ref, line_id):
    deal = _deal(request, ref)
    line = get_object_or_404(DealLine, pk=line_id, deal=deal)
    return _run(request, deal, lambda: actions.remove_deal_line(line, acting_user=request.user),
                _("Line removed."))


@login_required
@require_POST
def add_cost(request, ref):
    deal = _deal(request, ref)
    form = DirectCostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the cost: %(errors)s") % {"errors": _errors(form)})
        return redirect("deals:detail", deal.ref)
    return _run(request, deal, lambda: actions.add_direct_cost(
        deal, acting_user=request.user, **form.cleaned_data), _("Direct cost added."))


@login_required
@require_POST
def close(request, ref, outcome):
    deal = _deal(request, ref)
    form = CloseForm(request.POST)
    form.is_valid()
    on = form.cleaned_data.get("on")
    reason = form.cleaned_data.get("reason", "")
    if outcome == "won":
        chosen = request.POST.get("account_manager")
        manager = (Employee.objects.filter(pk=chosen, role=Role.ACCOUNT_MANAGER).first()
                   if chosen else None)
        return _run(request, deal, lambda: actions.win_deal(
            deal, acting_user=request.user, won_on=on, account_manager=manager),
            lambda: won_message(deal))
    if outcome == "lost":
        return _run(request, deal, lambda: actions.lose_deal(
            deal, acting_user=request.user, closed_on=on, reason=reason), _("Deal lost."))
    if outcome == "cancelled":
        return _run(request, deal, lambda: actions.cancel_deal(
            deal, acting_user=request.user, closed_on=on, reason=reason), _("Deal cancelled."))
    raise PermissionDenied
