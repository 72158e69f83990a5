"""The benchmark's synthetic history imports cleanly, and on it the engine gives exactly the
reference's lines: the benchmark's ``same_lines`` is checked here on a small size."""

from bench.payroll import PLAN, _same
from bench.reference import reference_month
from bench.synthetic import write_history
from salesrelay.compensation.plans import load_plan, plans_of
from salesrelay.compensation.selectors import load_history
from salesrelay.engine.payroll import Calculator
from salesrelay.engine.periods import Month, months_between
from salesrelay.imports.importer import run_import


def test_synthetic_history_imports_and_the_engine_matches_the_reference(db, tmp_path):
    sizes = write_history(tmp_path / "files", clients=60, deals=600, payments=700, seed=3)
    report = run_import(tmp_path / "files")
    assert report.ok, report.problems[:3]
    assert {k: report.created[k] for k in ("clients", "deals", "payments")} == {
        k: sizes[k] for k in ("clients", "deals", "payments")}
    plans = plans_of(load_plan(PLAN)[0])
    history = load_history(Month(2021, 1), Month(2025, 12))
    calculator = Calculator(history, plans)
    checked = 0
    for month in months_between(Month(2023, 1), Month(2023, 6)):
        payroll = calculator.month(month)
        assert _same(payroll, reference_month(history, plans, month)), month
        checked += len(payroll.lines)
    assert checked > 0
