from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesrelay.compensation.actions import currency
from salesrelay.compensation.stakes import stakes_of
from salesrelay.deals import actions as deal_actions
from salesrelay.deals.messages import won_message
from salesrelay.errors import ActionError
from salesrelay.materials.models import SalesMaterial
from salesrelay.people.access import viewer_of
from salesrelay.people.choices import Role
from salesrelay.people.models import Employee
from salesrelay.pipeline import actions
from salesrelay.pipeline.models import PipelineStage
from salesrelay.pipeline.selectors import board_columns
from salesrelay.web.htmx import render_page


def _board(request, viewer, *, status=200):
    deals = viewer.deals()
    hunter = request.GET.get("hunter") or request.POST.get("hunter") or ""
    if viewer.is_hunter:
        deals = deals.filter(owner=viewer.employee)
    elif hunter:
        deals = deals.filter(owner__ref=hunter)
    columns = board_columns(deals)
    open_deals = [card.deal for column in columns if not column.closed for card in column.cards]
    stakes = stakes_of(open_deals, viewer)
    for deal in open_deals:
        deal.stake = stakes.get(deal.pk)
    context = {"columns": columns, "hunter": hunter, "currency": currency(),
               "hunters": Employee.objects.filter(role=Role.HUNTER).order_by("name"),
               "stages": PipelineStage.objects.all()}
    return render_page(request, "pipeline/board.html", context,
                       partial="pipeline/board_columns.html", status=status)


@login_required
def board(request):
    return _board(request, viewer_of(request))


@login_required
@require_POST
def move(request, ref):
    viewer = viewer_of(request)
    deal = get_object_or_404(viewer.deals("write"), ref=ref)
    target = request.POST.get("stage", "")
    try:
        if target == "won":
            deal_actions.win_deal(deal, acting_user=request.user)
            messages.success(request, won_message(deal))
        elif target == "lost":
            deal_actions.lose_deal(deal, acting_user=request.user)
        else:
            stage = get_object_or_404(PipelineStage, code=target)
            deal_actions.move_deal(deal, stage=stage, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return _board(request, viewer, status=200 if request.htmx else 400)
    if not request.htmx:
        return redirect("pipeline:board")
    return _board(request, viewer)


@login_required
@require_POST
def log_activity(request, ref):
    viewer = viewer_of(request)
    client = get_object_or_404(viewer.clients("write"), ref=ref)
    employee = viewer.employee
    if employee is None:
        messages.error(request, _("Only an employee can log an activity."))
        return redirect("clients:card", client.ref)
    materials = SalesMaterial.objects.filter(pk__in=request.POST.getlist("materials"))
    try:
        actions.log_activity(
            client=client, employee=employee, kind=request.POST.get("kind", ""),
            subject=request.POST.get("subject", ""), outcome=request.POST.get("outcome", ""),
            planned_on=parse_date(request.POST.get("planned_on") or ""),
            done_on=parse_date(request.POST.get("done_on") or "") or (
                date.today() if request.POST.get("outcome") else None),
            materials=list(materials), acting_user=request.user)
    except (ActionError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Activity logged."))
    return redirect("clients:card", client.ref)
