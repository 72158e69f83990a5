"""The analytics pages. Each is the same few steps: read the filters, ask its selector, render
the chart data, the table and the text — or, with ``?format=csv``, the same numbers as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from salesrelay.analytics import charts, exports, selectors
from salesrelay.analytics.filters import FilterForm, Filters
from salesrelay.clients.choices import Segment
from salesrelay.engine.metrics import MIN_SAMPLE
from salesrelay.people.access import viewer_of
from salesrelay.web.htmx import render_page


@dataclass(frozen=True)
class Page:
    name: str
    title: Any
    lead: Any
    template: str
    compute: Any  # (viewer, filters, today) → the selector's result
    charts: Any   # result → {chart id: chart}
    csv: Any      # result → CSV text


PAGES = {page.name: page for page in [
    Page("new_clients", _("New clients"),
         _("Clients whose first deal was won, month by month, against the target; by segment, "
           "by hunter, and the retail chains won."),
         "analytics/new_clients.html",
         lambda viewer, f, today: selectors.new_clients(viewer, f),
         lambda r: {"new_clients": charts.new_clients(r)}, exports.new_clients),
    Page("funnel", _("Acquisition funnel"),
         _("The acquisition deals opened in the range and how far each got, stage by stage, with "
           "the median days spent in each stage."),
         "analytics/funnel.html",
         lambda viewer, f, today: selectors.funnel(viewer, f, today=today),
         lambda r: {"funnel": charts.funnel(r)}, exports.funnel),
    Page("conversion", _("Meeting → deal conversion"),
         _("Meetings held whose client won a deal within the days chosen, with and without each "
           "sales material, with intervals (95 %) so that a real lift stands out from noise."),
         "analytics/conversion.html",
         lambda viewer, f, today: selectors.conversion(viewer, f),
         lambda r: {"conversion": charts.conversion(r)}, exports.conversion),
    Page("order_value", _("Order value after the handoff"),
         _("Average order value by the client's deal number and by months since its first deal, "
           "sold by acquisition and by account management."),
         "analytics/order_value.html",
         lambda viewer, f, today: selectors.order_value(viewer, f),
         lambda r: {"by_number": charts.order_value_by_number(r),
                    "by_month": charts.order_value_by_month(r)}, exports.order_value),
    Page("collections", _("Collections and receivables"),
         _("Money collected month by month by department and manager, and what clients still "
           "owe by days since the win."),
         "analytics/collections.html",
         lambda viewer, f, today: selectors.collections(viewer, f, today=today),
         lambda r: {"collections": charts.collections(r), "receivables": charts.receivables(r)},
         exports.collections),
    Page("breakeven", _("Break-even"),
         _("Collections, gross profit, fixed costs, variable pay and the operating result month by "
           "month, against the revenue that breaks even."),
         "analytics/breakeven.html",
         lambda viewer, f, today: selectors.breakeven(f, today=today),
         lambda r: {"breakeven": charts.breakeven(r)}, exports.breakeven),
    Page("pay", _("Pay against the market"),
         _("Each employee's pay in each month divided by their market salary; the hunters' median "
           "against the twice-the-market the plan aims at."),
         "analytics/pay.html",
         lambda viewer, f, today: selectors.pay_vs_market(viewer, f, today=today),
         lambda r: {"pay": charts.pay(r)}, exports.pay),
    Page("cohorts", _("Acquisition cohorts"),
         _("Clients grouped by the month of their first deal: the gross profit they have brought "
           "against what their acquisition cost, and the month each cohort paid back."),
         "analytics/cohorts.html",
         lambda viewer, f, today: selectors.cohorts(viewer, f, today=today),
         lambda r: {"cohorts": charts.cohorts(r)}, exports.cohorts),
]}


def _render(request, name: str):
    page = PAGES[name]
    viewer = viewer_of(request)
    today = date.today()
    form = FilterForm(request.GET, page=name, viewer=viewer, today=today)
    context: dict[str, Any] = {"page": page, "form": form, "pages": PAGES,
                               "segments": Segment.choices, "min_sample": MIN_SAMPLE}
    if not form.is_valid():
        return render_page(request, page.template, context, status=400)
    filters: Filters = form.filters()
    result = page.compute(viewer, filters, today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(page.csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{name.replace("_", "-")}-{filters.first}-{filters.last}.csv"')
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    context.update(result=result, filters=filters, charts=page.charts(result),
                   csv_url=f"?{query.urlencode()}", today=today,
                   query=_without(request.GET, "bucket", "employee", "department"))
    return render_page(request, page.template, context)


def _without(params, *names: str) -> str:
    """The query string without ``names``: links that set one of them keep the other filters."""
    kept = params.copy()
    for name in (*names, "format"):
        kept.pop(name, None)
    return kept.urlencode()


def dashboard_context(viewer, *, today: date) -> dict[str, Any]:
    """The dashboard's figures and its gauge, for this section's overview and the home page."""
    dashboard = selectors.dashboard(viewer, today=today)
    gauge = charts.gauge(dashboard.breakeven) if dashboard.breakeven is not None else None
    return {"dashboard": dashboard, "gauge": gauge, "pages": PAGES, "min_sample": MIN_SAMPLE}


@login_required
def index(request):
    return render_page(request, "analytics/index.html",
                       dashboard_context(viewer_of(request), today=date.today()))


def _view(name: str):
    @login_required
    def view(request):
        return _render(request, name)
    view.__name__ = name
    return view


new_clients = _view("new_clients")
funnel = _view("funnel")
conversion = _view("conversion")
order_value = _view("order_value")
collections = _view("collections")
breakeven = _view("breakeven")
pay = _view("pay")
cohorts = _view("cohorts")
