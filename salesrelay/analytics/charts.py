"""What each chart draws, as plain data for ``json_script``: the page's own table holds the exact
figures, so here amounts become floats (pixels need no kopecks) and labels are translated.

A chart is ``{"kind", "labels", "series", "format", ...}``; ``static/analytics/charts.js`` turns
it into a Chart.js configuration and formats numbers with ``Intl.NumberFormat`` in the page's
language. ``kind``: ``bar``, ``hbar``, ``line``, ``interval`` (95 % intervals as floating bars
with the rate as a point) or ``gauge``; ``format``: ``count``, ``money``, ``percent``, ``ratio``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from salesrelay.analytics import selectors as s
from salesrelay.clients.choices import Segment
from salesrelay.people.choices import Department

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _n(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else float(value)


def _series(label: StrOrPromise, data: list, *, type: str = "bar", color: int = 0, **more) -> dict:
    return {"label": str(label), "data": data, "type": type, "color": color, **more}


def _chart(kind: str, labels: list, series: list, fmt: str, **more) -> dict[str, Any]:
    return {"kind": kind, "labels": [str(label) for label in labels], "series": series,
            "format": fmt, **more}


def new_clients(result: s.NewClients) -> dict:
    labels = [str(m.month) for m in result.months]
    series = [_series(Segment(code).label, [dict(m.by_segment)[code] for m in result.months],
                      color=index, stack="clients")
              for index, code in enumerate(Segment.values)]
    if any(m.target is not None for m in result.months):
        series.append(_series(_("Target"), [_n(m.target) for m in result.months], type="line",
                              color=4, dashed=True))
    if any(m.company != m.count for m in result.months):
        series.append(_series(_("Whole company"), [m.company for m in result.months],
                              type="line", color=6))
    return _chart("bar", labels, series, "count", stacked=True)


def funnel(result: s.Funnel) -> dict:
    return _chart("hbar", [step.name for step in result.steps],
                  [_series(_("Deals that reached the step"), [step.reached for step in result.steps])],
                  "count")


def conversion(result: s.Conversion) -> dict:
    labels, intervals, points, colors = [], [], [], []
    for lift in (result.any_material, *result.materials):
        title = lift.title or _("Any material")
        for side, rate in ((_("with"), lift.with_), (_("without"), lift.without)):
            if rate.trials == 0:
                continue
            labels.append(f"{title} — {side} ({rate.trials})")
            intervals.append([_n(rate.low), _n(rate.high)])
            points.append(_n(rate.value))
            colors.append(0 if rate is lift.with_ else 6)
    return _chart("interval", labels, [
        _series(_("Interval (95 %)"), intervals, colors=colors),
        _series(_("Conversion"), points, type="line", color=4, points_only=True),
    ], "percent")


def order_value_by_number(result: s.OrderValue) -> dict:
    points = result.by_number
    return _chart("bar", [str(p.key) for p in points], [
        _series(Department.ACQUISITION.label, [_n(p.acquisition) for p in points], color=0),
        _series(Department.ACCOUNT_MANAGEMENT.label, [_n(p.accounts) for p in points], color=1),
    ], "money", x_title=_("Deal number"))


def order_value_by_month(result: s.OrderValue) -> dict:
    points = result.by_month
    return _chart("line", [str(p.key) for p in points], [
        _series(Department.ACQUISITION.label, [_n(p.acquisition) for p in points], type="line",
                color=0),
        _series(Department.ACCOUNT_MANAGEMENT.label, [_n(p.accounts) for p in points],
                type="line", color=1),
        _series(_("All deals"), [_n(p.overall) for p in points], type="line", color=6,
                dashed=True),
    ], "money", x_title=_("Months since deal 1"))


def collections(result: s.Collections) -> dict:
    months = result.months
    return _chart("bar", [str(m.month) for m in months], [
        _series(Department.ACQUISITION.label, [_n(m.acquisition) for m in months], color=0,
                stack="money"),
        _series(Department.ACCOUNT_MANAGEMENT.label, [_n(m.accounts) for m in months], color=1,
                stack="money"),
    ], "money", stacked=True)


def receivables(result: s.Collections) -> dict:
    rows = result.departments or (result.total,)
    return _chart("bar", [b.label for b in result.buckets], [
        _series(row.label or _("All"), [_n(a) for a in row.amounts], color=index, stack="owed")
        for index, row in enumerate(rows)
    ], "money", stacked=True)


def breakeven(result: s.Breakeven) -> dict:
    months = result.months
    return _chart("bar", [str(m.month) for m in months], [
        _series(_("Collections R"), [_n(m.collections) for m in months], color=0),
        _series(_("Break-even revenue"), [_n(m.breakeven_revenue) for m in months], type="line",
                color=4, dashed=True),
        _series(_("Operating result O"), [_n(m.operating_result) for m in months], type="line",
                color=1),
    ], "money")


def pay(result: s.PayVsMarket) -> dict:
    series = [_series(e.person.name, [_n(r) for r in e.ratios], type="line", color=index % 8)
              for index, e in enumerate(result.employees)]
    if any(e.person.role == "hunter" for e in result.employees):
        series.append(_series(_("Hunters' median"), [_n(r) for r in result.hunters_median],
                              type="line", color=8, width=4))
    series.append(_series(_("Twice the market"), [_n(result.target)] * len(result.months),
                          type="line", color=6, dashed=True))
    return _chart("line", [str(m) for m in result.months], series, "ratio")


def cohorts(result: s.Cohorts) -> dict:
    return _chart("line", [str(i) for i in range(result.longest)], [
        _series(str(c.month), [_n(v) for v in c.net], type="line", color=index % 8)
        for index, c in enumerate(result.cohorts)
    ], "money", zero_line=True, x_title=_("Months since deal 1"))


def gauge(month: s.BreakevenMonth) -> dict:
    """Collections so far against the month's break-even revenue."""
    target = month.breakeven_revenue
    values: list[float | int | None]
    if target is None:
        values = [0, 1]
    else:
        still = target - month.collections
        values = [_n(min(month.collections, target)), _n(still) if still >= 0 else 0]
    return _chart("gauge", [_("Collections R"), _("Still to break even")],
                  [_series(_("Break-even"), values, colors=[1 if month.above else 2, 7])],
                  "money")
