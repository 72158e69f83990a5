"""Pay periods: calculate → approve → lock, adjustments for locked periods, disputes.

``calculate_period`` reads the month (and every locked month whose corrections it carries) from
one snapshot, asks the engine, then replaces the period's draft lines in one transaction under a
lock on the period row, so two runs and payments recorded meanwhile can never leave a period
counted twice. A locked period is read back from its stored lines and never written again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesrelay.audit.log import acting_user, record
from salesrelay.bulk import insert_rows
from salesrelay.clients.models import Client
from salesrelay.collector import collector_paused
from salesrelay.compensation.choices import (
    DisputeStatus,
    LineSource,
    PeriodStatus,
    StatementStatus,
)
from salesrelay.compensation.models import Dispute, PayoutLine, Period, PlanVersion, Statement
from salesrelay.compensation.plans import current_version, plans_of
from salesrelay.compensation.report import EmployeeReport, PeriodReport, ReportLine, sort_employees
from salesrelay.compensation.selectors import (
    Keys,
    load_history,
    load_history_with_keys,
)
from salesrelay.compensation.snapshot import consistent_reads
from salesrelay.deals.models import Deal
from salesrelay.engine.inputs import History
from salesrelay.engine.lines import fmt
from salesrelay.engine.money import ZERO, money
from salesrelay.engine.payroll import Calculator, CompanyFigures, Payroll
from salesrelay.engine.periods import Month
from salesrelay.engine.plans import PlanSet
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_fields
from salesrelay.notifications.actions import notify
from salesrelay.notifications.choices import NotificationKind
from salesrelay.payments.models import Payment
from salesrelay.people.access import LOCKS_PERIODS, approvers_of, viewer_for
from salesrelay.people.choices import Department, Role
from salesrelay.people.models import Employee


def currency() -> str:
    return settings.SALESRELAY["CURRENCY"]


# Reading ---------------------------------------------------------------------------------------
def period_report(month: Month, *, plans: PlanSet | None = None) -> PeriodReport:
    """The month's pay as it stands: stored lines if it is locked, else a fresh calculation
    (with ``plans``, a plan file tried without storing anything)."""
    period = Period.objects.filter(month=month.first).first()
    if period is not None and period.is_locked and plans is None:
        return stored_report(period)
    with collector_paused(), consistent_reads():
        return _calculate(month, plans, period)[0]


def _calculate(month: Month, plans: PlanSet | None, period: Period | None
               ) -> tuple[PeriodReport, Keys]:
    """The month's report, and the keys of what its lines name (to store them)."""
    version = None
    if plans is None:
        version = current_version()
        plans = plans_of(version)
    history, keys = load_history_with_keys(month, month)
    payroll = Calculator(history, plans).month(month)
    lines = [ReportLine.of(line) for line in payroll.lines]
    lines += adjustments_for(month)
    if period is not None:
        lines += [report_line(row) for row in _rows(period).filter(source=LineSource.MANUAL)]
    status = period.status if period is not None else PeriodStatus.OPEN
    return _assemble(payroll, history, lines, status, version.number if version else None), keys


def _assemble(payroll: Payroll, history: History, lines: list[ReportLine], status: str,
              version: int | None) -> PeriodReport:
    people = {e.id: e for e in history.employees}
    reports: dict[str, EmployeeReport] = {}
    for employee in payroll.employees:
        reports[employee.id] = _employee_report(employee)
    for line in lines:
        if line.employee_id not in reports:
            reports[line.employee_id] = _employee_report(people[line.employee_id])
        reports[line.employee_id].lines.append(line)
    forfeited = [ReportLine.of(line, LineSource.FORFEITED) for line in payroll.forfeited]
    return PeriodReport(payroll.month, status, currency(), payroll.company,
                        sort_employees(list(reports.values())), forfeited,
                        list(payroll.problems), version)


def _employee_report(employee) -> EmployeeReport:
    return EmployeeReport(employee.id, employee.name, employee.role, employee.department,
                          employee.market_salary)


def stored_report(period: Period) -> PeriodReport:
    month = Month.of(period.month)
    people = {e.ref: e for e in Employee.objects.all()}
    reports: dict[str, EmployeeReport] = {}
    forfeited = []
    for row in _rows(period):
        line = report_line(row)
        if line.source == LineSource.FORFEITED:
            forfeited.append(line)
            continue
        if line.employee_id not in reports:
            person = people[line.employee_id]
            reports[line.employee_id] = EmployeeReport(
                person.ref, person.name, person.role, person.department, person.market_salary)
        reports[line.employee_id].lines.append(line)
    company = CompanyFigures(period.collections, period.gross_profit, period.fixed_costs,
                             period.variable_pay, period.operating_result,
                             period.breakeven_revenue, period.new_clients)
    version = period.plan_version.number if period.plan_version is not None else None
    return PeriodReport(month, period.status, currency(), company,
                        sort_employees(list(reports.values())), forfeited, [], version)


def _rows(period: Period):
    return PayoutLine.objects.filter(period=period).select_related(
        "employee", "client", "deal", "payment").order_by("position", "id")


def report_line(row: PayoutLine) -> ReportLine:
    return ReportLine(
        row.employee.ref, row.component, row.kind, row.amount, row.why, dict(row.facts),
        row.source, row.plan_id, row.client.ref if row.client is not None else None,
        row.deal.ref if row.deal is not None else None, row.deal_number,
        row.payment.ref if row.payment is not None else None, row.base, row.rate,
        Month.of(row.adjusts) if row.adjusts else None, row.reason,
    )


# Adjustments -------------------------------------------------------------------------------------
def adjustments_for(month: Month) -> list[ReportLine]:
    """What changed, since they were locked, in the locked months whose next open month is
    ``month`` (at most ``ADJUSTMENT_MONTHS`` of them, the latest): one line per changed line,
    naming the locked month."""
    locked: list[Period] = []
    cursor = month.previous()
    window = settings.SALESRELAY["ADJUSTMENT_MONTHS"]
    periods = {p.month: p for p in Period.objects.filter(month__lt=month.first)
               .select_related("plan_version").order_by("-month")[:window]}
    while (p := periods.get(cursor.first)) is not None and p.is_locked:
        locked.append(p)
        cursor = cursor.previous()
    if not locked:
        return []
    history = load_history(Month.of(locked[-1].month), Month.of(locked[0].month))
    calculators: dict[int | None, Calculator] = {}
    was = _booked(locked)
    result = []
    for period in reversed(locked):
        key = period.plan_version_id
        if key not in calculators:
            calculators[key] = Calculator(history, plans_of(period.plan_version))
        original = Month.of(period.month)
        now: dict[tuple, list] = {}
        for line in calculators[key].month(original).lines:
            entry = now.setdefault(line.key, [ZERO, ReportLine.of(line)])
            entry[0] += line.amount
        before = was.get(period.pk, {})
        for line_key in [*now, *(k for k in before if k not in now)]:
            new_amount, new_line = now.get(line_key, [ZERO, None])
            old_amount, old_line = before.get(line_key, [ZERO, None])
            if new_amount == old_amount:
                continue
            model = new_line or old_line
            result.append(ReportLine(
                model.employee_id, model.component, model.kind, new_amount - old_amount,
                "adjustment",
                {"period": str(original), "was": fmt(old_amount), "now": fmt(new_amount),
                 "inner_why": model.why, "inner": model.facts},
                LineSource.ADJUSTMENT, model.plan_id, model.client_id, model.deal_id,
                model.deal_number, model.payment_id, model.base, model.rate, adjusts=original,
            ))
    return result


def _booked(locked: list[Period]) -> dict[int, dict[tuple, list]]:
    """Per locked period, what has been paid for each line so far: its own lines and the
    adjustments already booked for it in other locked periods."""
    months = {p.month: p.pk for p in locked}
    booked: dict[int, dict[tuple, list]] = defaultdict(dict)
    rows = PayoutLine.objects.filter(period__in=[p.pk for p in locked]).exclude(
        source__in=[LineSource.MANUAL, LineSource.FORFEITED]).select_related(
        "employee", "client", "deal", "payment")
    for row in rows:
        line = report_line(row)
        owner: int | None = row.period_id
        if row.source == LineSource.ADJUSTMENT:  # the locked month it corrects (a check constraint)
            owner = months.get(row.adjusts) if row.adjusts is not None else None
        if owner is None:
            continue
        if line.source == LineSource.ADJUSTMENT:
            line = ReportLine(line.employee_id, line.component, line.kind, line.amount,
                              str(line.facts.get("inner_why")), dict(line.facts.get("inner", {})),
                              plan_id=line.plan_id, client_id=line.client_id,
                              deal_id=line.deal_id, deal_number=line.deal_number,
                              payment_id=line.payment_id)
        entry = booked[owner].setdefault(line.key, [ZERO, line])
        entry[0] += line.amount
    return booked


# Writing -----------------------------------------------------------------------------------------
def calculate_period(month: Month, *, actor=None) -> PeriodReport:
    """Calculate the month and store it as the period's draft (a locked period is only read)."""
    period = Period.objects.filter(month=month.first).first()
    if period is not None and period.is_locked:
        return stored_report(period)
    with collector_paused():
        with consistent_reads():
            report, keys = _calculate(month, None, period)
        _store(month, report, actor, keys)
    return report


@transaction.atomic
def _store(month: Month, report: PeriodReport, actor, keys: Keys) -> None:
    period, _created = Period.objects.get_or_create(month=month.first)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ActionError(ErrorCode.PERIOD_LOCKED,
                          _("%(month)s was locked while it was being calculated") % {"month": month})
    lines = [line for e in report.employees for line in e.lines
             if line.source != LineSource.MANUAL] + report.forfeited
    digest = _period_digest(lines)
    if period.status == PeriodStatus.APPROVED and digest[:32] == period.digest[:32]:
        report.status = period.status
        return
    rewritten = period.status == PeriodStatus.OPEN or digest != period.digest
    if rewritten:
        _replace_lines(period, lines, keys)
    # else the stored draft already holds exactly these lines: they stay (and so do the ids
    # that disputes and links name); the figures, the statements and the audit row follow.
    withdrawn = period.status == PeriodStatus.APPROVED
    # The version the run used, even if another was loaded since.
    version = (PlanVersion.objects.filter(number=report.plan_version).first()
               if report.plan_version is not None else None)
    company = report.company
    period.status = PeriodStatus.CALCULATED
    period.plan_version = version
    period.calculated_at = timezone.now()
    period.approved_at = period.approved_by = None
    period.digest = digest
    _restate(period, report)
    (period.collections, period.gross_profit, period.fixed_costs, period.variable_pay,
     period.operating_result, period.breakeven_revenue, period.new_clients) = (
        company.collections, company.gross_profit, company.fixed_costs, company.variable_pay,
        company.operating_result, company.breakeven_revenue, company.new_clients)
    period.status = _settled_status(period)
    period.save()
    report.status = period.status
    record("period.calculate", period, actor=actor, total=str(report.total),
           lines=len(lines), approval_withdrawn=withdrawn,
           plan_version=version.number if version else None)
    if rewritten:
        # Once per draft: a recalculation that changed nothing tells nobody again.
        _notify_paid(period, NotificationKind.PERIOD_CALCULATED)


def _notify_paid(period: Period, kind: str) -> None:
    """The people whose statements the period holds, each with a link to their own."""
    month = f"{period.month:%Y-%m}"
    for employee in Employee.objects.filter(statements__period=period).order_by("pk"):
        notify([employee], kind, month=month, link=reverse(
            "compensation:statement", args=[month, employee.ref]))


def _replace_lines(period: Period, lines: list[ReportLine], keys: Keys) -> None:
    """The period's calculated lines replaced by ``lines``; each dispute follows its line."""
    disputed = {row.pk: report_line(row).key for row in _rows(period).filter(
        disputes__isnull=False).exclude(source=LineSource.MANUAL).distinct()}
    relink = dict(period.disputes.filter(line__in=list(disputed)).values_list("pk", "line_id"))
    PayoutLine.objects.filter(period=period).exclude(source=LineSource.MANUAL).delete()
    created = _write_lines(period, lines, start=0, keys=keys)
    new_by_key = {line.key: pk for line, pk in zip(lines, created, strict=True)}
    for dispute_pk, line_pk in relink.items():
        # The line a dispute is about, as recalculated; none when the recalculation dropped it.
        Dispute.objects.filter(pk=dispute_pk).update(line_id=new_by_key.get(disputed[line_pk]))


def _restate(period: Period, report: PeriodReport) -> None:
    """One statement per employee paid in the run. A statement whose lines are unchanged keeps
    its approval; a changed one goes back to *to approve*; a statement nobody is paid on goes."""
    employees = dict(Employee.objects.values_list("ref", "id"))
    existing = {s.employee_id: s for s in Statement.objects.filter(period=period)}
    kept = set()
    for employee in report.employees:
        if not employee.lines:
            continue
        pk = employees[employee.id]
        kept.add(pk)
        _restate_one(period, pk, employee.lines, existing.get(pk))
    Statement.objects.filter(period=period).exclude(employee_id__in=kept).delete()


def _restate_one(period: Period, employee_pk: int, lines: list[ReportLine],
                 statement: Statement | None) -> None:
    digest = _digest(lines)
    total = sum((line.amount for line in lines), ZERO)
    if statement is None:
        Statement.objects.create(period=period, employee_id=employee_pk, total=total, digest=digest)
    elif statement.digest != digest or statement.total != total:
        statement.digest, statement.total = digest, total
        statement.status = StatementStatus.PENDING
        statement.approved_at = statement.approved_by = None
        statement.save(update_fields=["digest", "total", "status", "approved_at", "approved_by"])


def _settled_status(period: Period) -> str:
    """A calculated period is approved once every statement in it is, and back to calculated
    when one returns to *to approve* (an empty period is approved by an approval run)."""
    statements = Statement.objects.filter(period=period)
    if statements.filter(status=StatementStatus.PENDING).exists():
        return PeriodStatus.CALCULATED
    if statements.exists():
        return PeriodStatus.APPROVED
    return period.status if period.status == PeriodStatus.APPROVED else PeriodStatus.CALCULATED


def _digest(lines: list[ReportLine]) -> str:
    """What identifies a run's lines, to tell whether a recalculation changed anything."""
    signature = sorted(repr((line.key, line.amount, line.source, str(line.adjusts)))
                       for line in lines)
    return hashlib.sha256("\n".join(signature).encode()).hexdigest()


def _period_digest(lines: list[ReportLine]) -> str:
    """A period's ``digest``: 32 hex digits of :func:`_digest` (whether an approval still
    stands: the same amounts for the same things) and 32 of everything a stored line holds, in
    order (whether the stored draft is this one already, so that a recalculation that changed
    nothing writes no line)."""
    content = "\n".join(repr((
        line.employee_id, line.source, line.plan_id, line.component, line.kind, line.amount,
        line.client_id, line.deal_id, line.deal_number, line.payment_id, line.base, line.rate,
        line.why, line.facts, str(line.adjusts), line.reason)) for line in lines)
    return _digest(lines)[:32] + hashlib.sha256(content.encode()).hexdigest()[:32]


def _write_lines(period: Period, lines: list[ReportLine], *, start: int, keys: Keys) -> list[int]:
    """Store a run's lines (thousands at a time); their new primary keys. ``keys``: those the
    month's history read; only the rest (the adjustments' lines of locked months) are looked
    up."""
    employees = dict(Employee.objects.values_list("ref", "id"))
    clients = _known(Client, {line.client_id for line in lines}, keys.clients)
    deals = _known(Deal, {line.deal_id for line in lines}, keys.deals)
    payments = _known(Payment, {line.payment_id for line in lines}, keys.payments)
    rows = [
        (period.pk, start + index, employees[line.employee_id], line.source, line.plan_id,
         line.component, line.kind, line.amount, clients.get(line.client_id),
         deals.get(line.deal_id), line.deal_number, payments.get(line.payment_id), line.base,
         line.rate, line.why, line.facts, line.adjusts.first if line.adjusts else None,
         line.reason)
        for index, line in enumerate(lines)
    ]
    return insert_rows(PayoutLine, LINE_FIELDS, rows)


LINE_FIELDS = ["period_id", "position", "employee_id", "source", "plan_id", "component", "kind",
               "amount", "client_id", "deal_id", "deal_number", "payment_id", "base", "rate", "why",
               "facts", "adjusts", "reason"]


def _pks(model, refs: set[str | None]) -> dict[str | None, int]:
    wanted = sorted(ref for ref in refs if ref is not None)
    result: dict[str | None, int] = {}  # no ref, no key: .get(None) is None
    for at in range(0, len(wanted), 5000):
        result.update(model.objects.filter(ref__in=wanted[at:at + 5000]).values_list("ref", "id"))
    return result


def _known(model, refs: set[str | None], known: dict[str, int]) -> dict[str | None, int]:
    result: dict[str | None, int] = {ref: known[ref] for ref in refs if ref in known}
    result.update(_pks(model, {ref for ref in refs if ref not in result}))
    return result


def _calculated(month: Month) -> Period:
    period = Period.objects.select_for_update().filter(month=month.first).first()
    if period is None or period.status == PeriodStatus.OPEN:
        raise ActionError(ErrorCode.PERIOD_STATE,
                          _("%(month)s has not been calculated yet; run payroll %(month)s first")
                          % {"month": month})
    return period


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ActionError(ErrorCode.FORBIDDEN, message)


@transaction.atomic
def approve_statement(statement: Statement, *, actor=None) -> Statement:
    """Approve one employee's statement. A user approves only the statements the access rules
    give them (never their own); ``actor=None`` is the command line, run by the operator."""
    period = _calculated(Month.of(statement.period.month))
    statement = Statement.objects.select_for_update().select_related("employee").get(
        pk=statement.pk)
    if period.status == PeriodStatus.LOCKED:
        raise ActionError(ErrorCode.PERIOD_LOCKED, _("%(month)s is locked") % {"month": period})
    if acting_user(actor) is not None:
        viewer = viewer_for(actor)
        own = viewer.employee is not None and viewer.employee.pk == statement.employee_id
        _refuse_unless(not own, _("Nobody approves their own statement: %(name)s's goes to "
                                  "someone else.") % {"name": statement.employee.name})
        _refuse_unless(viewer.approves(statement.employee), _(
            "%(name)s's statement is approved by %(who)s.") % {
            "name": statement.employee.name, "who": approver_title(statement.employee)})
    if statement.status == StatementStatus.APPROVED:
        return statement
    _mark_approved(statement, period, actor)
    _settle(period, actor)
    return statement


def _mark_approved(statement: Statement, period: Period, actor) -> None:
    statement.status = StatementStatus.APPROVED
    statement.approved_at = timezone.now()
    statement.approved_by = acting_user(actor)
    statement.save(update_fields=["status", "approved_at", "approved_by"])
    record("statement.approve", period, actor=actor, employee=statement.employee.ref,
           total=str(statement.total))


def approver_title(employee: Employee) -> str:
    """Who approves an employee's statement, in words (SPEC §7)."""
    if employee.role == Role.DIRECTOR:
        return _("the accountant")
    if employee.role == Role.HEAD or employee.department == Department.MANAGEMENT:
        return _("the director")
    return _("the head of %(department)s") % {"department": employee.get_department_display()}


def _settle(period: Period, actor, *, approving: bool = False) -> None:
    status = _settled_status(period)
    if approving and not Statement.objects.filter(period=period).exists():
        status = PeriodStatus.APPROVED  # nobody is paid: nothing waits for an approver
    if status != period.status:
        period.status = status
        period.approved_at = timezone.now() if status == PeriodStatus.APPROVED else None
        period.approved_by = acting_user(actor) if status == PeriodStatus.APPROVED else None
        period.save(update_fields=["status", "approved_at", "approved_by"])
        if status == PeriodStatus.APPROVED:
            record("period.approve", period, actor=actor)
            _notify_paid(period, NotificationKind.PERIOD_APPROVED)


@transaction.atomic
def approve_period(month: Month, *, actor=None) -> Period:
    """Approve every statement of the month that ``actor`` may approve (the command line: all of
    them). The period is approved when no statement is left to approve."""
    period = _calculated(month)
    if period.status != PeriodStatus.CALCULATED:
        raise ActionError(ErrorCode.PERIOD_STATE, _(
            "%(month)s is %(status)s; only a calculated period can be approved") % {
            "month": month, "status": period.get_status_display()})
    pending = Statement.objects.select_for_update().filter(
        period=period, status=StatementStatus.PENDING)
    if acting_user(actor) is not None:
        # Only the statements this user approves: never their own (the access rules).
        pending = pending.filter(employee__in=Employee.objects.restrict(viewer_for(actor),
                                                                        "approve"))
    for statement in pending.select_related("employee").order_by("pk"):
        _mark_approved(statement, period, actor)
    _settle(period, actor, approving=True)
    period.refresh_from_db()
    return period


@transaction.atomic
def lock_period(month: Month, *, actor=None) -> Period:
    """Lock an approved period (every statement approved), by the accountant or the director."""
    period = _calculated(month)
    if acting_user(actor) is not None:
        _refuse_unless(viewer_for(actor).access_role in LOCKS_PERIODS,
                       _("A period is locked by the accountant or the director."))
    if period.status != PeriodStatus.APPROVED:
        waiting = Statement.objects.filter(period=period, status=StatementStatus.PENDING).count()
        raise ActionError(ErrorCode.PERIOD_STATE, _(
            "%(month)s is %(status)s; only an approved period can be locked "
            "(%(n)s statements still to approve)") % {
            "month": month, "status": period.get_status_display(), "n": waiting})
    period.status = PeriodStatus.LOCKED
    period.locked_at = timezone.now()
    period.locked_by = acting_user(actor)
    period.save(update_fields=["status", "locked_at", "locked_by"])
    record("period.lock", period, actor=actor, total=str(
        sum(PayoutLine.objects.filter(period=period).exclude(source=LineSource.FORFEITED)
            .values_list("amount", flat=True), ZERO)))
    _notify_paid(period, NotificationKind.PERIOD_LOCKED)
    return period


# Disputes ----------------------------------------------------------------------------------------
@transaction.atomic
def raise_dispute(line: PayoutLine, *, employee: Employee | None, comment: str,
                  actor=None) -> Dispute:
    if employee is None or line.employee_id != employee.pk:
        raise ActionError(ErrorCode.INVALID, _("an employee can dispute only their own lines"))
    if not comment.strip():
        raise ActionError(ErrorCode.INVALID, _("say what is wrong with the line"))
    require_fields(Dispute, comment=comment)
    dispute = Dispute.objects.create(
        line=line, period=line.period, employee=employee, comment=comment.strip(),
        line_summary=f"{line.component} {line.amount}: {report_line(line).explanation}",
        raised_by=acting_user(actor),
    )
    record("dispute.raise", dispute, actor=actor, line=line.pk, comment=dispute.comment)
    notify(approvers_of(employee), NotificationKind.DISPUTE_RAISED,
           link=reverse("compensation:disputes"), employee=employee.name,
           month=f"{line.period.month:%Y-%m}", comment=dispute.comment)
    return dispute


@transaction.atomic
def resolve_dispute(dispute: Dispute, *, resolution: str, actor=None,
                    adjustment: Decimal | str | None = None, reason: str = "") -> Dispute:
    dispute = Dispute.objects.select_for_update().select_related("employee").get(pk=dispute.pk)
    if acting_user(actor) is not None:
        viewer = viewer_for(actor)
        own = viewer.employee is not None and viewer.employee.pk == dispute.employee_id
        _refuse_unless(not own, _("Nobody resolves a dispute on their own pay."))
        _refuse_unless(viewer.approves(dispute.employee), _(
            "%(name)s's disputes are resolved by %(who)s.") % {
            "name": dispute.employee.name, "who": approver_title(dispute.employee)})
    if dispute.status != DisputeStatus.OPEN:
        raise ActionError(ErrorCode.INVALID, _("the dispute is already resolved"))
    if not resolution.strip():
        raise ActionError(ErrorCode.INVALID, _("a resolution needs a comment"))
    require_fields(Dispute, resolution=resolution)
    require_fields(PayoutLine, reason=reason)
    line = None
    if adjustment not in (None, ""):
        amount = money(adjustment)
        if amount == 0 or amount != amount.quantize(Decimal("0.01")):
            raise ActionError(ErrorCode.INVALID, _("an adjustment is a non-zero amount in kopecks"))
        if not reason.strip():
            raise ActionError(ErrorCode.INVALID, _("a manual adjustment must carry a reason"))
        limit = money(settings.SALESRELAY["MAX_ADJUSTMENT"])
        if abs(amount) > limit:
            raise ActionError(ErrorCode.ADJUSTMENT_LIMIT, _(
                "an adjustment of %(amount)s is above the limit of %(limit)s "
                "(SALESRELAY_MAX_ADJUSTMENT)") % {"amount": fmt(amount), "limit": fmt(limit)})
        line = add_manual_line(dispute.period, dispute.employee, amount, reason.strip(), actor=actor)
    dispute.status = DisputeStatus.RESOLVED
    dispute.resolution = resolution.strip()
    dispute.resolved_at = timezone.now()
    dispute.resolved_by = acting_user(actor)
    dispute.adjustment = line
    dispute.save()
    record("dispute.resolve", dispute, actor=actor, resolution=dispute.resolution,
           adjustment=str(line.amount) if line else None)
    month = f"{dispute.period.month:%Y-%m}"
    notify([dispute.employee], NotificationKind.DISPUTE_RESOLVED, month=month,
           resolution=dispute.resolution,
           link=reverse("compensation:statement", args=[month, dispute.employee.ref]))
    return dispute


def add_manual_line(period: Period, employee: Employee, amount: Decimal, reason: str, *,
                    actor=None) -> PayoutLine:
    """A manual line in the period, or in the next period still open when it is approved or
    locked (naming the period it corrects)."""
    target_month = Month.of(period.month)
    target = period
    while target.status in (PeriodStatus.APPROVED, PeriodStatus.LOCKED):
        target_month = target_month.next()
        target, _created = Period.objects.get_or_create(month=target_month.first)
    target = Period.objects.select_for_update().get(pk=target.pk)
    adjusts = period.month if target.pk != period.pk else None
    position = (PayoutLine.objects.filter(period=target).order_by("-position")
                .values_list("position", flat=True).first() or 0) + 1
    line = PayoutLine.objects.create(
        period=target, position=position, employee=employee, source=LineSource.MANUAL,
        component="manual", kind="manual", amount=amount, why="manual",
        facts={"reason": reason}, adjusts=adjusts, reason=reason,
        created_by=acting_user(actor),
    )
    record("payout.manual", line, actor=actor, amount=str(amount), reason=reason,
           period=str(target), adjusts=str(adjusts) if adjusts else None)
    if target.status == PeriodStatus.CALCULATED:
        # The employee's statement changed: it goes back to be approved again.
        rows = _rows(target).filter(employee=employee).exclude(source=LineSource.FORFEITED)
        _restate_one(target, employee.pk, [report_line(row) for row in rows],
                     Statement.objects.filter(period=target, employee=employee).first())
    return line


