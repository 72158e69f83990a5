"""The director's Targets and Fixed costs pages: the rows by month, a form that adds or changes
one month's row, a button that removes one. Heads and the accountant read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesrelay.finance import actions
from salesrelay.finance.forms import FixedCostForm, TargetForm
from salesrelay.finance.models import FixedCost, Target
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page


def _refused(form, error) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def targets(request):
    viewer = viewer_of(request)
    form = TargetForm(request.POST or None, metrics=actions.target_metrics())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_target(data["month"], data["metric"], data["value"],
                               acting_user=request.user)
        except actions.ActionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Target %(metric)s of %(month)s set to %(value)s.") % {
                "metric": data["metric"], "month": data["month"], "value": data["value"]})
            return redirect("finance:targets")
    return render_page(request, "finance/targets.html", {
        "form": form, "rows": Target.objects.order_by("-month", "metric")[:600],
        "can_edit": viewer.may("finance:targets", "write"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def remove_target(request, pk: int):
    target = get_object_or_404(Target, pk=pk)
    try:
        actions.remove_target(target, acting_user=request.user)
    except actions.ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Target %(metric)s of %(month)s removed.") % {
            "metric": target.metric, "month": f"{target.month:%Y-%m}"})
    return redirect("finance:targets")


@login_required
def fixed_costs(request):
    viewer = viewer_of(request)
    form = FixedCostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_fixed_cost(data["month"], data["category"], data["amount"],
                                   acting_user=request.user)
        except actions.ActionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Fixed cost %(category)s of %(month)s set.") % {
                "category": data["category"], "month": data["month"]})
            return redirect("finance:fixed_costs")
    return render_page(request, "finance/fixed_costs.html", {
        "form": form, "rows": FixedCost.objects.order_by("-month", "category")[:600],
        "can_edit": viewer.may("finance:fixed_costs", "write"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def remove_fixed_cost(request, pk: int):
    cost = get_object_or_404(FixedCost, pk=pk)
    try:
        actions.remove_fixed_cost(cost, acting_user=request.user)
    except actions.ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Fixed cost %(category)s of %(month)s removed.") % {
            "category": cost.category, "month": f"{cost.month:%Y-%m}"})
    return redirect("finance:fixed_costs")
