"""The plan form's page (``/pay/plan/form/``): the director edits the plan in force field by field,
previews last month's pay under it against the plan in force, and confirms it, from a month on,
as a new plan version (``load_plan``, like a TOML upload).

The flow is three posts of one form: *Preview* checks the fields through the plan parser and, if
they hold, shows the comparison with a confirmation carrying a digest of the plan previewed;
*Confirm and store* stores exactly that plan (a form changed since its preview is previewed
again, not stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from salesrelay.compensation import simulation
from salesrelay.compensation.actions import currency
from salesrelay.compensation.choices import PeriodStatus
from salesrelay.compensation.models import Period
from salesrelay.compensation.plan_form import PlanEditor, digest
from salesrelay.compensation.plans import current_version, load_plan, plans_of
from salesrelay.engine.money import ZERO
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.engine.plan_change import from_month
from salesrelay.engine.plan_file import write_plans
from salesrelay.engine.plans import PlanError, PlanSet, build_plans, parse_plans
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.web.htmx import render_page


class MonthsForm(forms.Form):
    month = forms.CharField(label=_lazy("Preview on"), max_length=7, help_text=_lazy("YYYY-MM"))
    # Shown with the preview, and needed only to store.
    effective = forms.CharField(label=_lazy("In effect from the month"), max_length=7,
                                required=False,
                                help_text=_lazy("YYYY-MM: the months before keep the plan in "
                                                "force."))


@dataclass(frozen=True)
class Preview:
    """One month's pay under the plan in force (a) and the edited plan (b)."""

    month: Month
    employees: list[tuple[str, Decimal, Decimal, Decimal]]  # name, a, b, b − a
    company: list[tuple[str, Decimal, Decimal, Decimal]]


def preview(edited: PlanSet, in_force: PlanSet, month: Month) -> Preview:
    """The simulator's comparison (``simulation.pay_difference``) on one month."""
    scenarios = simulation.run_simulation([("a", in_force), ("b", edited)], month, month)
    data = simulation.as_json(scenarios, month, month, currency())
    rows = simulation.pay_difference(data["plans"])
    a, b = (s.result.months[0].company for s in scenarios)
    total_a = sum((row[1] for row in rows), ZERO)
    total_b = sum((row[2] for row in rows), ZERO)
    company = [
        (_("Total pay"), total_a, total_b, total_b - total_a),
        (_("Variable pay V"), a.variable_pay, b.variable_pay, b.variable_pay - a.variable_pay),
        (_("Operating result O"), a.operating_result, b.operating_result,
         b.operating_result - a.operating_result),
    ]
    return Preview(month, rows, company)


def first_open_month(today: date) -> Month:
    """This month, or the month after the last locked one if that is later."""
    month = Month.of(today)
    locked = Period.objects.filter(status=PeriodStatus.LOCKED).order_by("-month").first()
    if locked is not None and Month.of(locked.month) >= month:
        return Month.of(locked.month).next()
    return month


def _month(text: str, field: str) -> Month:
    try:
        return Month.parse(text.strip())
    except PeriodError as error:
        raise ActionError(ErrorCode.INVALID, str(error), field=field) from None


def store_from(edited_raw: dict, text: str, month: Month, *, actor) -> tuple[int, bool]:
    """Store the edited plan as the version in force from ``month`` on; ``(number, created)``.
    A month not after the last locked one is refused: its pay is final."""
    locked = Period.objects.filter(status=PeriodStatus.LOCKED, month__gte=month.first).order_by(
        "-month").first()
    if locked is not None:
        raise ActionError(ErrorCode.INVALID, _(
            "%(month)s is locked: the plan can take effect from %(next)s at the earliest") % {
            "month": Month.of(locked.month), "next": Month.of(locked.month).next()},
            field="effective")
    version = current_version()
    in_force = parse_plans(version.text) if version else PlanSet(())
    old_raw = _tables(version.text) if version else {}
    try:
        merged = from_month(old_raw, edited_raw, month.first)
        merged_plans = build_plans(merged)
    except PlanError as error:
        raise ActionError(ErrorCode.INVALID, "; ".join(error.problems), field="effective") from None
    if version is not None and merged_plans.plans == in_force.plans:
        return version.number, False
    stored, created = load_plan(write_plans(merged), actor=actor)
    return stored.number, created


def _tables(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


@login_required
def plan_form_page(request):
    version = current_version()
    in_force = plans_of(version)
    last = Month.of(date.today()).previous()
    start = str(first_open_month(date.today()))
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if not data.get("effective"):  # asked with the preview: offered once a preview is shown
            data["effective"] = start
    months = MonthsForm(data, initial={"month": str(last), "effective": start})
    if request.method != "POST":
        editor = PlanEditor(raw=_tables(version.text) if version else {})
        return _render(request, editor, months)
    editor = PlanEditor(request.POST)
    if not editor.check() or not months.is_valid():
        return _render(request, editor, months, status=400)
    assert editor.raw is not None and editor.planset is not None  # what a passed check() sets
    text = editor.text
    try:
        shown = preview(editor.planset, in_force, _month(months.cleaned_data["month"], "month"))
    except ActionError as refused:
        months.add_error("month", refused.message)
        return _render(request, editor, months, status=400)
    if "store" in request.POST:
        if request.POST.get("previewed") != digest(text):
            editor.errors.append(_("The plan changed since its preview: check the new preview "
                                   "and confirm again."))
        else:
            try:
                effective = _month(months.cleaned_data["effective"], "effective")
                number, created = store_from(editor.raw, text, effective, actor=request.user)
            except ActionError as refused:
                months.add_error("effective", refused.message)
                return _render(request, editor, months, shown=shown, previewed=digest(text),
                               status=400)
            messages.success(request, _(
                "Stored as plan version %(n)s, in effect from %(month)s.") % {
                "n": number, "month": effective} if created else
                _("Unchanged: the plan in force is the same."))
            return redirect("compensation:plan")
    if not editor.errors:
        # The checked plan shown afresh: the same values, and again an empty component of each
        # kind and an empty plan to fill in.
        editor = PlanEditor(raw=editor.raw)
    return _render(request, editor, months, shown=shown, previewed=digest(text),
                   status=400 if editor.errors else 200)


def _render(request, editor: PlanEditor, months: MonthsForm, *, shown: Preview | None = None,
            previewed: str = "", status: int = 200):
    return render_page(request, "compensation/plan_form.html", {
        "editor": editor, "months": months, "preview": shown, "previewed": previewed,
        "version": current_version(),
    }, status=status)
