"""A plan in words, for the plan page: what each component pays, to whom, from when.

Each component is named by its kind in words, its id kept beside it as a detail; amounts and
rates are written as the page's language writes them ("Share of deal profit: 90 % of the profit
of each client's deals 1 to 5 …", id ``first-five``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesrelay.clients.models import Segment
from salesrelay.compensation.choices import ComponentKind
from salesrelay.engine.plans import Component, Plan, PlanSet
from salesrelay.people.choices import Department, Role
from salesrelay.web.templatetags.money import format_number, money

METRICS = {
    "new_clients": gettext_lazy("new clients"),
    "collections": gettext_lazy("collections"),
    "meeting_to_deal_conversion": gettext_lazy("meeting → deal conversion"),
}
SCOPES = {
    "own": gettext_lazy("the employee's own"),
    "department": gettext_lazy("the department's"),
    "company": gettext_lazy("the company's"),
}


def describe(plans: PlanSet) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each plan its title, and for each component its words and its id."""
    return [(_title(plan), [(describe_component(c), c.name) for c in plan.components])
            for plan in plans.plans]


def _title(plan: Plan) -> str:
    who = ", ".join(str(Role(r).label) for r in plan.roles) if plan.roles else ""
    if plan.employees:
        who = ", ".join(filter(None, [who, _("employees %(ids)s") % {"ids": ", ".join(plan.employees)}]))
    if plan.effective_to:
        when = _("from %(start)s to %(end)s") % {"start": plan.effective_from, "end": plan.effective_to}
    else:
        when = _("from %(start)s") % {"start": plan.effective_from}
    return _("%(plan)s — for %(who)s, %(when)s") % {"plan": plan.id, "who": who, "when": when}


def _percent(rate: Decimal) -> str:
    value = (rate * 100).normalize()
    return f"{format_number(value, max(0, -int(value.as_tuple().exponent)))} %"


def _kind(component: Component) -> str:
    kinds = dict(ComponentKind.choices)
    return str(kinds.get(component.kind, component.kind))


def _figure(value: Decimal, metric: str) -> str:
    """A KPI's target: money for collections, a count or a rate as written otherwise."""
    if metric == "collections":
        return money(value)
    value = value.normalize()
    return format_number(value, max(0, -int(value.as_tuple().exponent)))


def _metric(params) -> str:
    if params.segment is not None:
        segment = Segment.objects.filter(code=params.segment).first()
        return _("new clients in the segment %(segment)s") % {
            "segment": segment.name if segment is not None else params.segment}
    return str(METRICS.get(params.metric, params.metric))


def describe_component(component: Component) -> str:
    p = component.params
    name = _kind(component)
    if component.kind == "salary":
        return _("%(name)s: a salary of %(amount)s a month, prorated by the days employed") % {
            "name": name, "amount": money(p.amount)}
    if component.kind == "deal_profit_share":
        whom = {"acquirer": _("the hunter who brought the client"),
                "account_manager": _("the client's account manager on the day"),
                "deal_owner": _("the deal's owner")}[p.credit_to]
        when = _("as the deal is paid (a refund claws back)") if p.timing == "on_payment" else _(
            "when the deal is won (reversed if it is cancelled)")
        text = _("%(name)s: %(rate)s of the profit of each client's deals %(first)s to %(last)s, "
                 "to %(whom)s, %(when)s") % {"name": name, "rate": _percent(p.rate),
                                            "first": p.first, "last": p.last, "whom": whom,
                                            "when": when}
        if p.pay_after_leaving:
            text += _("; also after the employee has left")
        return text
    if component.kind == "collections_pool":
        department = Department(p.department).label
        if p.rate is not None:
            how = _percent(p.rate)
        else:
            tiers = "; ".join(
                f"[{money(t.low)}, {money(t.high) if t.high is not None else '∞'}) {_percent(t.rate)}"
                for t in p.tiers)
            how = (_("marginal tiers %(tiers)s") if p.mode == "marginal" else
                   _("whole tiers %(tiers)s")) % {"tiers": tiers}
        split = _("by pool weight × days") if p.split == "weight" else _("by days employed")
        return _("%(name)s: a pool of %(how)s of the month's collections of %(department)s, "
                 "shared %(split)s") % {"name": name, "how": how, "department": department,
                                        "split": split}
    if component.kind == "breakeven_bonus":
        split = _("by pool weight × days") if p.split == "weight" else _("by days employed")
        return _("%(name)s: %(share)s of the month's operating result above break-even, shared "
                 "%(split)s") % {"name": name, "share": _percent(p.share), "split": split}
    target = _figure(p.target, p.metric) if p.target is not None else _("the Targets table")
    pays = (_("%(amount)s for each unit above the target") % {"amount": money(p.per_unit)}
            if p.per_unit is not None else
            _("%(amount)s when the target is met") % {"amount": money(p.fixed)})
    return _("%(name)s: %(metric)s (%(scope)s) against %(target)s: %(pays)s") % {
        "name": name, "metric": _metric(p), "scope": SCOPES.get(p.scope, p.scope),
        "target": target, "pays": pays}
