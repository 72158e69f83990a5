"""Pay pages: periods, statements, disputes, the plan and the simulator. Views stay thin: they
ask the viewer what may be seen and call the actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesrelay.compensation import design, simulation
from salesrelay.compensation.actions import (
    approve_period,
    approve_statement,
    approver_title,
    calculate_period,
    currency,
    lock_period,
    period_report,
    raise_dispute,
    report_line,
    resolve_dispute,
    stored_report,
)
from salesrelay.compensation.choices import (
    DisputeStatus,
    LineSource,
    PeriodStatus,
    RunStatus,
    StatementStatus,
)
from salesrelay.compensation.describe import describe
from salesrelay.compensation.formats import write_xlsx
from salesrelay.compensation.forms import (
    DesignForm,
    DisputeForm,
    PlanForm,
    ResolveForm,
    SimulationForm,
)
from salesrelay.compensation.models import Dispute, PayoutLine, Period, PlanVersion, Statement
from salesrelay.compensation.plans import current_version, load_plan, plans_of, read_plan
from salesrelay.compensation.report import EmployeeTotals, PeriodReport, sort_employees
from salesrelay.deals.models import Deal
from salesrelay.engine.money import ZERO, times
from salesrelay.engine.payroll import CompanyFigures
from salesrelay.engine.periods import Month, PeriodError
from salesrelay.errors import ActionError
from salesrelay.payments.models import Allocation
from salesrelay.people.access import LOCKS_PERIODS, viewer_of
from salesrelay.people.models import Employee
from salesrelay.web.htmx import render_page
from salesrelay.web.templatetags.money import money

FIRST_FIVE_PER_PAGE = 50
"""A hunter's clients' deals 1 to 5 on a statement, a page at a time (a hunter brings thousands)."""
FORFEITED_PER_PAGE = 50
"""The forfeited lines on the period page, a page at a time (thousands a month on a big
history; each employee's statement has theirs)."""


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except PeriodError:
        raise Http404 from None


def _last_month() -> Month:
    return Month.of(date.today()).previous()


@login_required
def pay_home(request):
    viewer = viewer_of(request)
    if viewer.employee is None:
        if viewer.may("compensation:periods"):
            return redirect("compensation:periods")
        raise PermissionDenied
    latest = Period.objects.exclude(status=PeriodStatus.OPEN).order_by("-month").first()
    month = Month.of(latest.month) if latest else _last_month()
    return redirect("compensation:statement", month=str(month), employee=viewer.employee.ref)


@login_required
def period_list(request):
    viewer = viewer_of(request)
    periods = list(Period.objects.order_by("-month").select_related("plan_version"))
    known = {p.month for p in periods}
    suggestion = _last_month()
    return render_page(request, "compensation/periods.html", {
        "periods": periods, "suggestion": None if suggestion.first in known else suggestion,
        "open_disputes": Dispute.objects.restrict(viewer, "resolve").filter(
            status=DisputeStatus.OPEN).count(),
    })


@login_required
def period_detail(request, month: str):
    viewer = viewer_of(request)
    period = get_object_or_404(Period.objects.select_related("plan_version"),
                               month=_month(month).first)
    report, forfeited = _visible_summary(viewer, period, request.GET.get("page"))
    statements = {s.employee.ref: s for s in Statement.objects.filter(period=period)
                  .select_related("employee", "approved_by")}
    mine_to_approve = set(Statement.objects.filter(
        period=period, status=StatementStatus.PENDING,
        employee__in=Employee.objects.restrict(viewer, "approve")).values_list(
        "employee__ref", flat=True))
    rows = [(e, statements.get(e.id), e.id in mine_to_approve) for e in report.employees]
    pending = sum(1 for s in statements.values() if s.status == StatementStatus.PENDING)
    return render_page(request, "compensation/period.html", {
        "period": period, "report": report, "viewer": viewer, "rows": rows,
        "forfeited": forfeited,
        "pending": pending,
        "can_approve": period.status == PeriodStatus.CALCULATED and bool(mine_to_approve),
        "can_lock": period.status == PeriodStatus.APPROVED
        and viewer.access_role in LOCKS_PERIODS,
    })


@login_required
@require_POST
def period_action(request, month: str, action: str):
    period = _month(month)
    try:
        if action == "calculate":
            calculate_period(period, actor=request.user)
            messages.success(request, _("%(month)s calculated.") % {"month": period})
        elif action == "approve":
            stored = approve_period(period, actor=request.user)
            if stored.status == PeriodStatus.APPROVED:
                messages.success(request, _("%(month)s approved.") % {"month": period})
            else:
                messages.success(request, _(
                    "Your statements of %(month)s are approved; the others wait for their "
                    "approvers.") % {"month": period})
        elif action == "lock":
            lock_period(period, actor=request.user)
            messages.success(request, _("%(month)s locked.") % {"month": period})
        else:
            raise Http404
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("compensation:period", month=str(period))


def _visible_summary(viewer, period: Period, page: str | None) -> tuple[PeriodReport, Page]:
    """The period's figures, each visible employee's pay by component (summed in the database,
    in the order of the lines), and the forfeited lines a page at a time: the period page's
    report. Three queries."""
    visible = Employee.objects.restrict(viewer)
    lines = PayoutLine.objects.filter(period=period, employee__in=visible)
    people: dict[str, EmployeeTotals] = {}
    for ref, name, role, department, market, component, total, _first in (
            lines.exclude(source=LineSource.FORFEITED)
            .values("employee__ref", "employee__name", "employee__role", "employee__department",
                    "employee__market_salary", "component")
            .annotate(total=Sum("amount"), first=Min("position")).order_by("first")
            .values_list("employee__ref", "employee__name", "employee__role",
                         "employee__department", "employee__market_salary", "component",
                         "total", "first")):
        person = people.setdefault(ref, EmployeeTotals(ref, name, role, department, market, []))
        person.components.append((component, total))
    forfeited = Paginator(lines.filter(source=LineSource.FORFEITED).select_related(
        "employee", "client", "deal", "payment").order_by("position", "id"), FORFEITED_PER_PAGE,
    ).get_page(page)
    company = CompanyFigures(period.collections, period.gross_profit, period.fixed_costs,
                             period.variable_pay, period.operating_result,
                             period.breakeven_revenue, period.new_clients)
    version = period.plan_version.number if period.plan_version is not None else None
    report = PeriodReport(Month.of(period.month), period.status, currency(), company,
                          sort_employees(list(people.values())),
                          [report_line(row) for row in forfeited.object_list], [], version)
    return report, forfeited


def _visible_report(viewer, period: Period):
    """The period's stored report with only the employees whose pay the viewer may read."""
    report = stored_report(period)
    visible = set(Employee.objects.restrict(viewer).values_list("ref", flat=True))
    report.employees = [e for e in report.employees if e.id in visible]
    report.forfeited = [f for f in report.forfeited if f.employee_id in visible]
    return report


@login_required
def statements_xlsx(request, month: str):
    period = get_object_or_404(Period, month=_month(month).first)
    report = _visible_report(viewer_of(request), period)
    out = BytesIO()
    write_xlsx([report], out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="statements-{month}.xlsx"'
    return response


def _first_five_totals(person, month: Month) -> dict:
    """The hunter's clients' deals 1 to 5: how many, their amount and profit, and what they had
    received by the end of ``month`` (two aggregates: summing over the allocations' join would
    count a deal once per payment)."""
    deals = Deal.objects.filter(client__acquired_by=person, number__lte=5)
    totals = deals.aggregate(n=Count("id"), total=Sum("amount"),
                             gain=Sum(F("amount") - F("goods_cost") - F("direct_cost")))
    paid = Allocation.objects.filter(deal__in=deals, effective_on__lte=month.last).aggregate(
        total=Sum("amount"))["total"]
    return {"count": totals["n"], "amount": totals["total"] or ZERO,
            "profit": totals["gain"] or ZERO, "paid": paid or ZERO}


@login_required
def statement(request, month: str, employee: str):
    viewer = viewer_of(request)
    person = get_object_or_404(Employee.objects.restrict(viewer), ref=employee)
    period_month = _month(month)
    period = Period.objects.filter(month=period_month.first).first()
    lines = []
    if period is not None and period.status != PeriodStatus.OPEN:
        lines = list(PayoutLine.objects.filter(period=period, employee=person)
                     .select_related("client", "deal", "payment", "employee")
                     .prefetch_related("disputes").order_by("position", "id"))
    paid = [line for line in lines if line.source != LineSource.FORFEITED]
    total = sum((line.amount for line in paid), ZERO)
    by_component: dict[str, Decimal] = {}
    for line in paid:
        by_component[line.component] = by_component.get(line.component, ZERO) + line.amount
    explained = [(line, report_line(line).explanation) for line in lines]
    first_five = first_five_totals = None
    if person.role == "hunter":
        first_five_totals = _first_five_totals(person, period_month)
        first_five = Paginator(
            Deal.objects.filter(client__acquired_by=person, number__lte=5)
            .select_related("client").annotate(paid=Sum(
                "allocations__amount", filter=Q(allocations__effective_on__lte=period_month.last)))
            .order_by("client__name", "number", "id"), FIRST_FIVE_PER_PAGE,
        ).get_page(request.GET.get("page"))
    ratio = times(total, person.market_salary)
    months = Period.objects.exclude(status=PeriodStatus.OPEN).order_by("-month").values_list(
        "month", flat=True)[:24]
    return render_page(request, "compensation/statement.html", {
        "person": person, "month": period_month, "period": period, "lines": explained,
        "total": total, "by_component": by_component.items(), "ratio": ratio,
        "first_five": first_five, "first_five_totals": first_five_totals,
        "months": [Month.of(m) for m in months],
        "can_dispute": viewer.employee is not None and viewer.employee.pk == person.pk,
        "dispute_form": DisputeForm(),
        "approval": Statement.objects.filter(period=period, employee=person).select_related(
            "approved_by").first() if period is not None else None,
        "can_approve": period is not None and period.status == PeriodStatus.CALCULATED
        and viewer.approves(person),
        "approver": approver_title(person),
    })


@login_required
@require_POST
def approve_statement_view(request, month: str, employee: str):
    viewer = viewer_of(request)
    person = get_object_or_404(Employee.objects.restrict(viewer, "approve"), ref=employee)
    statement = get_object_or_404(Statement.objects.select_related("period", "employee"),
                                  period__month=_month(month).first, employee=person)
    try:
        approve_statement(statement, actor=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The statement of %(name)s for %(month)s is approved.") % {
            "name": person.name, "month": month})
    return redirect("compensation:statement", month=month, employee=person.ref)


@login_required
@require_POST
def dispute_line(request, pk: int):
    viewer = viewer_of(request)
    line = get_object_or_404(PayoutLine.objects.restrict(viewer, "dispute")
                             .select_related("period", "employee"), pk=pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            raise_dispute(line, employee=viewer.employee, comment=form.cleaned_data["comment"],
                          actor=request.user)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your dispute is with your head of department."))
    else:
        messages.error(request, _("Say what is wrong with the line."))
    return redirect("compensation:statement", month=str(Month.of(line.period.month)),
                    employee=line.employee.ref)


@login_required
def dispute_list(request):
    viewer = viewer_of(request)
    disputes = Dispute.objects.restrict(viewer).select_related("employee", "period", "adjustment",
                                                              "line")
    mine = set(Dispute.objects.restrict(viewer, "resolve").filter(
        status=DisputeStatus.OPEN).values_list("pk", flat=True))
    # The disputed line in the reader's words, while it exists; the text stored when the
    # dispute was raised otherwise.
    return render_page(request, "compensation/disputes.html", {
        "open": [(d, d.pk in mine, approver_title(d.employee),
                  report_line(d.line).explanation if d.line is not None else None)
                 for d in disputes if d.status == DisputeStatus.OPEN],
        "resolved": [d for d in disputes if d.status == DisputeStatus.RESOLVED][:50],
        "form": ResolveForm(),
    })


@login_required
@require_POST
def resolve(request, pk: int):
    viewer = viewer_of(request)
    dispute = get_object_or_404(Dispute.objects.restrict(viewer, "resolve")
                                .select_related("employee"), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resolve_dispute(dispute, resolution=data["resolution"], actor=request.user,
                            adjustment=data["adjustment"], reason=data["reason"] or "")
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Dispute resolved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("compensation:disputes")


@login_required
def plan_page(request):
    viewer = viewer_of(request)
    version = current_version()
    form = PlanForm(initial={"text": version.text if version else ""})
    preview = error = None
    if request.method == "POST":
        form = PlanForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("upload")
            text = upload.read().decode("utf-8-sig") if upload else form.cleaned_data["text"]
            try:
                if "preview" in request.POST:
                    month = _last_month()
                    preview = (month, period_report(month, plans=read_plan(text)),
                               period_report(month, plans=plans_of(version)))
                    form = PlanForm(initial={"text": text})
                else:
                    stored, created = load_plan(text, actor=request.user)
                    messages.success(request, _("Stored as plan version %(n)s.") % {"n": stored.number}
                                     if created else _("Unchanged: the plan in force is the same."))
                    return redirect("compensation:plan")
            except ActionError as refused:
                error = refused.message
                form = PlanForm(initial={"text": text})
    words = describe(plans_of(version)) if version else []
    comparison = None
    if preview is not None:
        month, tried, now = preview
        current = {e.id: e.total for e in now.employees}
        comparison = {"month": month, "tried": tried, "now": now,
                      "rows": [(e, current.get(e.id)) for e in tried.employees]}
    return render_page(request, "compensation/plan.html", {
        "version": version, "words": words, "form": form, "error": error,
        "comparison": comparison, "versions": PlanVersion.objects.all()[:20],
        "can_edit": viewer.may("compensation:plan", "write"),
    }, status=400 if error else 200)


@login_required
def simulate_page(request):
    viewer = viewer_of(request)
    version = current_version()
    last = _last_month()
    first = Month(last.year - 1, last.month).next()
    # Posted, not sent in the address: plan files are long and the address lands in logs.
    form = SimulationForm(request.POST or None, initial={
        "plan": version.text if version else "", "first": str(first), "last": str(last)})
    scenarios = error = difference = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plans = [(_("Plan A"), read_plan(data["plan"]))]
            if data["compare"].strip():
                plans.append((_("Plan B"), read_plan(data["compare"])))
            start, end = simulation.parse_month(data["first"]), simulation.parse_month(data["last"])
            result = simulation.run_simulation(plans, start, end)
            visible = set(Employee.objects.restrict(viewer).values_list("ref", flat=True))
            scenarios = simulation.only_employees(
                simulation.as_json(result, start, end, currency()), visible)["plans"]
            difference = simulation.pay_difference(scenarios) if len(scenarios) == 2 else None
        except ActionError as refused:
            error = refused.message
    return render_page(request, "compensation/simulate.html", {
        "form": form, "scenarios": scenarios, "error": error, "difference": difference,
    }, status=400 if error or form.errors else 200)


@login_required
def design_page(request):
    """The plan designer: the range and the multiple in the address (GET), the best candidates
    side by side, the chosen plan as a file; the director stores it as a new version (POST)."""
    viewer = viewer_of(request)
    last = _last_month()
    first = Month(last.year - 1, last.month).next()
    data = request.POST if request.method == "POST" else request.GET
    asked = "first" in data
    form = DesignForm(data if asked else None, initial={
        "first": str(first), "last": str(last), "multiple": "2.0"})
    result = error = run = None
    if asked and form.is_valid():
        try:
            start = simulation.parse_month(form.cleaned_data["first"])
            end = simulation.parse_month(form.cleaned_data["last"])
            multiple = design.parse_multiple(form.cleaned_data["multiple"])
            simulation.check_range(start, end)
            run = design.asked_design(start, end, multiple)
        except ActionError as refused:
            error = refused.message
    run_error = run.error if run is not None and run.status == RunStatus.FAILED else None
    result = design.result_of(run) if run is not None else None
    pending = run is not None and result is None and not run_error
    if pending and request.method == "POST":
        messages.error(request, _("The design is still being calculated; nothing was stored."))
        return redirect(request.path + "?" + request.POST.urlencode())
    if result is not None and request.method == "POST":
        if not result.found:
            messages.error(request, _("No candidate meets the targets; nothing was stored."))
            return redirect(request.path + "?" + request.POST.urlencode())
        stored, created = load_plan(result.plan_text, actor=request.user)
        messages.success(request, _("Stored as plan version %(n)s.") % {"n": stored.number}
                         if created else _("Unchanged: the plan in force is the same."))
        return redirect("compensation:plan")
    if result is not None and request.GET.get("format") == "toml":
        response = HttpResponse(result.plan_text, content_type="application/toml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="plan-{result.first}-{result.last}.toml"')
        return response
    table = employees = None
    if result is not None:
        visible = set(Employee.objects.restrict(viewer).values_list("ref", flat=True))
        table = design.rows(result, visible, money_format=money)
        employees = [e for e in result.simulation.employees if e.employee.id in visible]
    return render_page(request, "compensation/design.html", {
        "form": form, "result": result, "error": error, "table": table, "employees": employees,
        "query": request.GET.urlencode(), "can_store": viewer.may("compensation:design", "write"),
        "run": run, "pending": pending, "run_error": run_error,
    }, status=400 if error or run_error or form.errors else 200)
