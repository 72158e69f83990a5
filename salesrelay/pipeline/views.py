from dataclasses import replace
from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
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
from salesrelay.pipeline.models import Activity, PipelineStage
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
    stakes = stakes_of([card.deal for column in columns if not column.closed
                        for card in column.cards], viewer)
    for column in columns:
        column.cards[:] = [replace(card, stake=stakes.get(card.deal.pk)) for card in column.cards]
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
            planned_at=_time(request.POST.get("planned_at") or ""),
            done_on=parse_date(request.POST.get("done_on") or "") or (
                date.today() if request.POST.get("outcome") else None),
            materials=list(materials), acting_user=request.user)
    except (ActionError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Activity logged."))
    return redirect("clients:card", client.ref)


def _time(text: str) -> time | None:
    """``HH:MM`` from a time input; a wrong one is the ValueError the form reports."""
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ValueError(_("%(value)s is not a time: write it as HH:MM.") % {"value": text}) from None


@login_required
@require_POST
def mark_done(request, ref):
    """The task's tick box, on the home page and the client card: htmx swaps the task in place;
    without script the form posts and comes back to the page it was on."""
    viewer = viewer_of(request)
    activity = get_object_or_404(
        Activity.objects.restrict(viewer, "complete").select_related("client"), ref=ref)
    try:
        activity = actions.mark_activity_done(activity, done=request.POST.get("done") == "1",
                                              acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    if request.htmx:
        return render(request, "pipeline/task.html", {"task": activity})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "home"
    return redirect(back)
