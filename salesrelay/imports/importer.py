"""``salesrelay import``: a folder or workbook of SPEC §5 files into the database, all or nothing.

An import goes through five stages, one module each, with typed values between them:

1. ``reader``: the files to rows (encodings, delimiters, the shape of each file);
2. ``parse``: rows to frozen records, every bad cell reported (``deals.csv:17: won_on: ...``);
3. ``plan``: the records against each other and against what is stored: what is new, what
   changes (and which columns), what is unchanged, what is refused;
4. ``replay``: the history replayed the way it would have been entered by hand, with the rules
   the app's actions use (deal numbers, handoffs, first-in-first-out allocations, the release of
   what a cancelled deal holds);
5. ``write``: the plan and its replay stored in one transaction.

Any problem before the write stops the import with nothing written. Importing the same files
twice changes nothing; a later export of the same source synchronises (see ``plan``).

>>> report = run_import(Path("exports/2026-02"), dry_run=True)  # doctest: +SKIP
>>> print(report.summary())  # doctest: +SKIP
deals.csv: 1 new, 4 changed (closed_on 2, status 4, won_on 2), 0 unchanged
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from salesrelay.collector import collector_paused
from salesrelay.imports.formats import FORMATS
from salesrelay.imports.parse import parse_all
from salesrelay.imports.plan import Plan, make_plan, replay_input
from salesrelay.imports.reader import Problem, Table, read_source
from salesrelay.imports.replay import Replayed, replay
from salesrelay.imports.report import ImportReport
from salesrelay.imports.write import write_plan

__all__ = ["ImportReport", "Importer", "Progress", "run_import"]

Progress = Callable[[str], None]


class Importer:
    def __init__(self, path: Path, *, progress: Progress | None = None,
                 create_segments: bool = False) -> None:
        self.path = path
        self.create_segments = create_segments
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()
        self.tables: dict[str, Table] = {}
        self.plan: Plan | None = None
        self.replayed: Replayed | None = None

    def run(self, *, dry_run: bool = False) -> ImportReport:
        with collector_paused():
            return self._run(dry_run=dry_run)

    def _run(self, *, dry_run: bool) -> ImportReport:
        report = self.report
        self.tables, problems = read_source(self.path)
        report.problems.extend(problems)
        for table in self.tables.values():
            self.progress(f"read {table.label}: {len(table.rows)} rows")
        if report.problems:
            return report
        found: list[Problem] = []
        parsed = parse_all(self.tables, found)
        self.tables = {}  # the rows are records now
        report.problems = found
        self.plan = make_plan(parsed, report, create_segments=self.create_segments)
        report.problems = _in_file_order(report.problems, [parsed_file.label for parsed_file in (
            getattr(parsed, name) for name in FORMATS)])
        if not report.problems:
            self.replayed = self._replay(self.plan, parsed.payments.label)
        if report.problems or dry_run:
            return report
        assert self.replayed is not None  # replayed above, as nothing was refused
        write_plan(self.plan, self.replayed, report, source=str(self.path),
                   progress=self.progress)
        report.written = True
        return report

    def _replay(self, plan: Plan, payments: str) -> Replayed:
        given = replay_input(plan)
        self.progress(f"replaying {len(given.wins) + len(given.payments) + len(given.cancels)} "
                      f"wins, payments and cancellations")
        done = replay(given.wins, given.payments, given.cancels, managers=given.managers,
                      starts=given.starts, last_manager=given.last_manager, chosen=given.chosen,
                      handoff_on_payment=given.handoff_on_payment)
        for ref, reason in done.refused:
            self.report.problems.append(Problem(payments, plan.payment_lines[ref], "amount",
                                                reason))
        for ref, number in done.numbers.items():
            if ref in plan.deal_updates:
                plan.known_deals[ref].number = number
                plan.deal_updates[ref]["number"] = [None, number]
        return done


def _in_file_order(problems: list[Problem], labels: list[str]) -> list[Problem]:
    """The problems of the parse and of the plan, by file and line (a row's own in the order
    found: its cells first, then what it says against the other files and the database)."""
    position = {label: i for i, label in enumerate(labels)}
    return sorted(problems, key=lambda p: (position.get(p.file, len(labels)), p.line))


def run_import(path: Path, *, dry_run: bool = False, progress: Progress | None = None,
               create_segments: bool = False) -> ImportReport:
    """``create_segments``: a segment code the clients name that is not in the table is added
    (named after its code) rather than reported as a bad row."""
    return Importer(path, progress=progress, create_segments=create_segments).run(dry_run=dry_run)
