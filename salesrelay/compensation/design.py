"""The plan designer as the command and the page use it (SPEC §3, Plan designer; §6 `design`).

>>> design = run_design(Month(2026, 6), Month(2026, 11), Decimal("2.0"))   # doctest: +SKIP
>>> design.chosen.params.share_rate, design.plan_text                        # doctest: +SKIP

Reads the range once, takes the plan in force as the template, searches it
(:mod:`salesrelay.engine.design`), writes the best candidate as a plan file and replays that file
through the engine's full simulation: the designer's figures must equal the simulation's to the
kopeck, or the design is refused.
"""

from __future__ import annotations

import pickle
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from salesrelay.analytics.rollup import revision
from salesrelay.compensation.choices import RunStatus
from salesrelay.compensation.formats import money_text
from salesrelay.compensation.models import DesignRun
from salesrelay.compensation.plans import current_version, read_plan
from salesrelay.compensation.selectors import load_history
from salesrelay.compensation.simulation import check_range
from salesrelay.compensation.snapshot import consistent_reads
from salesrelay.engine.design import (
    Bases,
    Candidate,
    DesignError,
    Grid,
    Search,
    Targets,
    check,
    evaluate,
    run_search,
)
from salesrelay.engine.periods import Month
from salesrelay.engine.plan_file import write_plans
from salesrelay.engine.simulation import Simulation, simulate
from salesrelay.errors import ActionError, ErrorCode

MAX_MULTIPLE = Decimal(10)


@dataclass(frozen=True)
class Design:
    first: Month
    last: Month
    targets: Targets
    search: Search
    template_version: int
    plan_text: str
    """The chosen (best) candidate as a plan file."""
    months: int
    simulation: Simulation
    """The full simulation of ``plan_text``, which the chosen candidate's figures equal."""

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return self.search.best

    @property
    def chosen(self) -> Candidate:
        return self.search.best[0]

    @property
    def found(self) -> bool:
        return self.chosen.meets


def parse_multiple(text: str | None) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", ".")) if text not in (None, "") \
            else Decimal("2.0")
    except InvalidOperation:
        value = Decimal(-1)
    exponent = value.as_tuple().exponent  # a letter for an infinity or a NaN
    if not isinstance(exponent, int) or not 0 < value <= MAX_MULTIPLE or exponent < -2:
        raise ActionError(ErrorCode.INVALID, _(
            "the hunter multiple %(value)s is not a number above 0 and at most %(max)s with at "
            "most two decimals") % {"value": text, "max": MAX_MULTIPLE})
    return value


def run_design(first: Month, last: Month, multiple: Decimal, *, progress=None) -> Design:
    check_range(first, last)
    version = current_version()
    if version is None:
        raise ActionError(ErrorCode.INVALID, _("no plan is in force; load one first "
                                               "(salesrelay plan load FILE)"))
    template = read_plan(version.text)
    with consistent_reads():
        history = load_history(first, last)
    say = progress or (lambda text: None)
    say(_("history %(first)s to %(last)s read: %(n)s allocations") % {
        "first": first, "last": last, "n": len(history.allocations)})
    try:
        bases = Bases.build(history, template)
    except DesignError as error:
        raise ActionError(ErrorCode.INVALID, str(error)) from None
    grid = Grid.default(bases)
    targets = Targets(multiple)
    say(_("bases computed; searching %(n)s candidate plans") % {"n": grid.size})
    search = run_search(bases, grid, targets, progress=lambda done, total: say(
        _("%(done)s of %(total)s candidates") % {"done": done, "total": total}))
    chosen = search.best[0]
    raw = tomllib.loads(version.text)
    header = _("Designed by salesrelay design from plan version %(v)s on %(first)s to "
               "%(last)s: hunters at %(m)s× market or more.") % {
        "v": version.number, "first": first, "last": last, "m": multiple}
    text = write_plans(bases.raw_plan(raw, chosen.params), header=header)
    say(_("checking the chosen plan with a full simulation"))
    replayed = simulate(history, read_plan(text))
    problems = check(bases, evaluate(bases, chosen.params), replayed)
    if problems:
        raise ActionError(ErrorCode.INVALID, _(
            "the designer's figures differ from the full simulation: %(first)s") % {
            "first": problems[0]})
    return Design(first, last, targets, search, version.number, text, len(bases.months), replayed)


def asked_design(first: Month, last: Month, multiple: Decimal) -> DesignRun:
    """The designer run for the range and the multiple on the data as it is, in the language of
    the request: the one already asked for (queued, running, done or refused), else a new one
    handed to the worker (``salesrelay worker``; with ``Q_CLUSTER["sync"]``, the tests, it runs
    right here). Runs of an older state of the data are deleted. The page answers at once; the
    search (seconds to tens of seconds on a large history) is the worker's."""
    at = revision()
    language = get_language() or "en"
    key = f"{first}:{last}:{multiple}:{language}:{at}"
    run, created = DesignRun.objects.get_or_create(key=key, defaults={
        "first": first.first, "last": last.first, "multiple": str(multiple),
        "language": language})
    if created:
        DesignRun.objects.exclude(key__endswith=f":{at}").delete()
        _enqueue(run)  # the worker reads its queue in this database: it sees both rows together
        run.refresh_from_db()
    return run


def _enqueue(run: DesignRun) -> None:
    from django_q.tasks import async_task

    async_task("salesrelay.compensation.design.run_job", run.pk,
               task_name=f"design {run.first:%Y-%m} {run.last:%Y-%m} x{run.multiple}",
               sync=settings.Q_CLUSTER.get("sync", False))


def run_job(pk: int) -> None:
    """The worker's part: run the design of run ``pk`` and keep its result (or why it was
    refused) on the row the page reads."""
    if not DesignRun.objects.filter(pk=pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING):
        return  # deleted meanwhile (the data changed), or taken by another worker
    run = DesignRun.objects.filter(pk=pk).first()
    if run is None:
        return  # deleted since it was taken
    try:
        with translation.override(run.language):
            found = run_design(Month.of(run.first), Month.of(run.last), Decimal(run.multiple))
    except ActionError as refused:
        DesignRun.objects.filter(pk=pk).update(status=RunStatus.FAILED, error=refused.message,
                                               finished_at=timezone.now())
        return
    DesignRun.objects.filter(pk=pk).update(status=RunStatus.DONE, result=pickle.dumps(found),
                                           finished_at=timezone.now())


def result_of(run: DesignRun) -> Design | None:
    """The design of a finished run; None while it is still queued or calculating, or refused."""
    if run.status != RunStatus.DONE or run.result is None:
        return None
    found = pickle.loads(bytes(run.result))  # noqa: S301 - written by run_job on this server
    assert isinstance(found, Design)
    return found


def pool_label(candidate: Candidate) -> str:
    return "—" if candidate.params.pool is None else candidate.params.pool.label


def ratio_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def rows(design: Design, visible: set[str] | None = None, *, money_format=money_text
         ) -> list[tuple[str, list[str]]]:
    """The candidates side by side: one row per figure, one column per candidate. With
    ``visible`` (the employees a viewer may see the pay of), a role's pay rows only when the
    viewer sees every one of its employees held to the targets; amounts by ``money_format``."""
    hunters = visible is None or set(design.search.hunters) <= visible
    managers = visible is None or set(design.search.managers) <= visible
    def cells(read) -> list[str]:
        return [read(c) for c in design.candidates]

    def money(value: Decimal | None) -> str:
        return "—" if value is None else money_format(value)

    pay = []
    if hunters:
        pay += [(_("hunters, median pay ÷ market"), cells(lambda c: ratio_text(c.hunters_median))),
                (_("hunters, lowest pay ÷ market"), cells(lambda c: ratio_text(c.hunters_lowest)))]
    if managers:
        pay.append((_("account managers, lowest pay ÷ market"),
                    cells(lambda c: ratio_text(c.managers_lowest))))
    return [
        (_("meets the targets"), cells(lambda c: _("yes") if c.meets else _("no"))),
        *pay,
        (_("variable pay V"), cells(lambda c: money(c.variable_pay))),
        (_("operating result O"), cells(lambda c: money(c.operating_result))),
        (_("break-even bonus"), cells(lambda c: money(c.bonus))),
        (_("result after the bonus"), cells(lambda c: money(c.result_after_bonus))),
        (_("break-even revenue a month"), cells(lambda c: money(c.breakeven_revenue))),
        (_("months above break-even"),
         cells(lambda c: f"{c.months_above} / {design.months}")),
        (_("hunters' share of profit"), cells(lambda c: f"{c.params.share_rate:f}")),
        (_("of deals"), cells(lambda c: f"1–{c.params.share_last}")),
        (_("account managers' pool"), cells(pool_label)),
        (_("break-even share"), cells(lambda c: "—" if c.params.bonus_share is None
                                      else f"{c.params.bonus_share:f}")),
    ]


def render_table(design: Design) -> str:
    search = design.search
    out = [_("Plan designer %(first)s to %(last)s, on plan version %(v)s: %(n)s candidate plans "
             "evaluated, %(met)s meet the targets (hunters' median and lowest at %(m)s× market, "
             "account managers at their market salary; %(h)s hunters, %(a)s account managers)")
           % {"first": design.first, "last": design.last, "v": design.template_version,
              "n": search.evaluated, "met": search.met, "m": design.targets.hunter_multiple,
              "h": len(search.hunters), "a": len(search.managers)}]
    if not design.found:
        out.append(_("No candidate meets the targets; the closest ones:"))
    table = rows(design)
    names = [_("#%(n)s") % {"n": i} for i in range(1, len(design.candidates) + 1)]
    label = max(len(name) for name, _cells in table)
    width = max(14, *(len(cell) for _name, row in table for cell in row))
    out.append(" " * label + "  " + "  ".join(f"{n:>{width}}" for n in names))
    for name, row in table:
        out.append(f"{name:<{label}}  " + "  ".join(f"{cell:>{width}}" for cell in row))
    out.append(_("The figures of #1 equal a full simulation of its plan file to the kopeck."))
    return "\n".join(out) + "\n"


def as_json(design: Design, visible: set[str]) -> dict:
    """The design as the API answers it: the candidates (a role's pay figures only for a viewer
    who sees all its people), the chosen plan file, and the pay under it of the ``visible``."""
    hunters = set(design.search.hunters) <= visible
    managers = set(design.search.managers) <= visible

    def ratio(value: Decimal | None, shown: bool) -> str | None:
        return None if value is None or not shown else str(value)

    return {
        "from": str(design.first), "to": str(design.last),
        "plan_version": design.template_version,
        "hunter_multiple": str(design.targets.hunter_multiple),
        "evaluated": design.search.evaluated, "meet_targets": design.search.met,
        "found": design.found,
        "candidates": [{
            "meets": c.meets,
            "hunters_median": ratio(c.hunters_median, hunters),
            "hunters_lowest": ratio(c.hunters_lowest, hunters),
            "managers_lowest": ratio(c.managers_lowest, managers),
            "variable_pay": money_text(c.variable_pay),
            "operating_result": money_text(c.operating_result),
            "breakeven_bonus": money_text(c.bonus),
            "result_after_bonus": money_text(c.result_after_bonus),
            "breakeven_revenue_a_month": money_text(c.breakeven_revenue),
            "months_above_breakeven": c.months_above,
            "share_rate": str(c.params.share_rate), "share_deals": [1, c.params.share_last],
            "pool": None if c.params.pool is None else c.params.pool.label,
            "breakeven_share": None if c.params.bonus_share is None
            else str(c.params.bonus_share),
        } for c in design.candidates],
        "plan": design.plan_text if design.found else None,
        "employees": [
            {"id": e.employee.id, "name": e.employee.name, "role": e.employee.role,
             "pay": money_text(e.pay), "average_month": money_text(e.average_month),
             "pay_vs_market": None if e.against_market is None else str(e.against_market)}
            for e in design.simulation.employees if e.employee.id in visible],
    }
