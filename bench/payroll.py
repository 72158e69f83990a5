"""Payroll benchmark (SPEC §7): a synthetic history loaded through the importer, then one month's
payroll end to end, the engine alone, the row-by-row reference, and a 12-month simulation.

    python bench/payroll.py                                   # 100 000 clients, 1 000 000 deals,
                                                              # 1 200 000 payments, on SQLite
    python bench/payroll.py --database-url postgres://postgres@127.0.0.1:5432/salesrelay_bench
    python bench/payroll.py --clients 10000 --deals 100000 --payments 120000   # a quick run

The command line is timed as a user meets it, each run a new process (wall time, start-up
included; ``_cpu_s``: the user and system time the process used, which a machine busy with
other work does not inflate): ``payroll_cli_first_s``, the first ``salesrelay payroll MONTH
--format json`` after the import (it stores the draft); ``payroll_cli_s``, the best of
``--repeat`` more (each recalculates, finds the draft unchanged and writes no line);
``cli_startup_s``, ``salesrelay version`` (Python, Django and the apps, no work).

It prints one JSON object. Timings are wall-clock seconds on this machine; each of the payroll,
engine and simulation figures is the best of ``--repeat`` runs. ``same_lines`` says whether the
reference gave exactly the engine's lines, amounts and company figures. A PostgreSQL database is
dropped and created afresh, so its name must contain ``bench``. ``import_cli_s`` is the
``salesrelay import`` command run as a new process on the same files into a second new database
(``<name>_cli`` on PostgreSQL), wall time, start-up included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PLAN = """
[[plans]]
id = "hunters"
roles = ["hunter"]
effective_from = 2020-01-01
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"
  [[plans.components]]
  id = "first-five"
  kind = "deal_profit_share"
  credit_to = "acquirer"
  ordinals = [1, 5]
  rate = "0.90"
  [[plans.components]]
  id = "new-clients"
  kind = "kpi_bonus"
  metric = "new_clients"
  target = "30"
  per_unit_above_target = "2000.00"

[[plans]]
id = "account-managers"
roles = ["account_manager"]
effective_from = 2020-01-01
  [[plans.components]]
  kind = "salary"
  amount = "60000.00"
  [[plans.components]]
  id = "pool"
  kind = "collections_pool"
  department = "account_management"
  tiers = [{ from = "0", to = "500000000", rate = "0.004" }, { from = "500000000", rate = "0.006" }]
  mode = "marginal"

[[plans]]
id = "company"
roles = ["hunter", "account_manager", "head"]
effective_from = 2020-01-01
  [[plans.components]]
  id = "break-even"
  kind = "breakeven_bonus"
  share = "0.05"
"""


def best_of(repeat: int, work):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return round(min(times), 3), result


def fresh_postgres(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a benchmark database's name must contain 'bench'")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--payments", type=int, default=1_200_000)
    parser.add_argument("--no-activities", action="store_true",
                        help="a history without sales materials and activities")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--month", default="2025-06", help="the month to pay (YYYY-MM)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-cli", action="store_true",
                        help="do not time the `salesrelay import` command (import_cli_s)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="salesrelay-bench-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        fresh_postgres(url)
    os.environ["SALESRELAY_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.reference import reference_month
    from bench.synthetic import write_history
    from salesrelay.compensation.plans import load_plan, plans_of
    from salesrelay.compensation.selectors import load_history
    from salesrelay.compensation.simulation import run_simulation
    from salesrelay.engine.payroll import Calculator
    from salesrelay.engine.periods import Month
    from salesrelay.imports.importer import run_import

    def progress(text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    print(f"generating {args.clients} clients, {args.deals} deals, {args.payments} payments…",
          file=sys.stderr)
    sizes = write_history(work / "files", clients=args.clients, deals=args.deals,
                          payments=args.payments, activities=not args.no_activities)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = run_import(work / "files", progress=progress)
    import_s = round(time.perf_counter() - started, 3)
    if not report.ok:
        sys.exit("the synthetic history did not import: " + "; ".join(map(str, report.problems[:5])))
    import_cli = (None, None) if args.skip_cli else _import_cli(url, work)
    version, _created = load_plan(PLAN)
    plans = plans_of(version)
    month = Month.parse(args.month)

    print("salesrelay payroll…", file=sys.stderr)
    cli = {"SALESRELAY_DATABASE_URL": url}
    first_cli = _command(["payroll", str(month), "--format", "json"], cli)
    payroll_cli = _best_command(args.repeat, ["payroll", str(month), "--format", "json"], cli)
    startup = _best_command(args.repeat, ["version"], cli)
    print("payroll…", file=sys.stderr)
    payroll_s, out = best_of(args.repeat, lambda: _payroll(call_command, month))
    load_s, history = best_of(args.repeat, lambda: load_history(month, month))
    engine_s, payroll = best_of(args.repeat, lambda: Calculator(history, plans).month(month))
    result = {
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": sizes,
        "month": str(month),
        "allocations_in_month": len(history.allocations),
        "payout_lines": len(payroll.lines),
        "import_s": import_s,
        "import_cli_s": import_cli[0],
        "import_cli_cpu_s": import_cli[1],
        "payroll_month_s": payroll_s,
        "load_month_s": load_s,
        "engine_month_s": engine_s,
        "payroll_cli_first_s": first_cli[0],
        "payroll_cli_first_cpu_s": first_cli[1],
        "payroll_cli_s": payroll_cli[0],
        "payroll_cli_cpu_s": payroll_cli[1],
        "cli_startup_s": startup[0],
        "cli_startup_cpu_s": startup[1],
        "json_bytes": len(out),
    }
    if not args.skip_reference:
        print("reference (row by row)…", file=sys.stderr)
        started = time.perf_counter()
        expected = reference_month(history, plans, month)
        result["reference_month_s"] = round(time.perf_counter() - started, 3)
        result["engine_vs_reference"] = round(result["reference_month_s"] / engine_s, 1)
        result["same_lines"] = _same(payroll, expected)
    print("simulation…", file=sys.stderr)
    first = Month(month.year - 1, month.month).next()
    result["simulate_12_months_s"], _ = best_of(
        args.repeat, lambda: run_simulation([("bench", plans)], first, month))
    print(json.dumps(result, indent=2))


def _import_cli(url: str, work: Path) -> tuple[float, float]:
    """``salesrelay import`` of the same files as a new process into a second new database
    (``<name>_cli``), as a user runs it: wall and CPU seconds of the command, start-up
    included (on PostgreSQL the CPU leaves out the server's share)."""
    if url.startswith("postgres"):
        url = f"{url}_cli"
        fresh_postgres(url)
    else:
        url = f"sqlite:///{work / 'cli.sqlite3'}"
    env = {"SALESRELAY_DATABASE_URL": url}
    print("salesrelay import…", file=sys.stderr)
    _command(["migrate", "--verbosity", "0"], env)
    return _command(["import", str(work / "files"), "--verbosity", "0"], env)


def _payroll(call_command, month) -> str:
    out = StringIO()
    call_command("payroll", str(month), "--format", "json", stdout=out)
    return out.getvalue()


def _command(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """``salesrelay ARGUMENTS`` as a new process, its output discarded: wall seconds, and the
    user and system seconds it used."""
    command = str(Path(sys.executable).with_name("salesrelay"))
    before = os.times()
    started = time.perf_counter()
    subprocess.run([command, *arguments], env={**os.environ, **env}, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = os.times()
    used = (after.children_user - before.children_user
            + after.children_system - before.children_system)
    return round(wall, 3), round(used, 3)


def _best_command(repeat: int, arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [_command(arguments, env) for _ in range(repeat)]
    return min(wall for wall, _ in runs), min(used for _, used in runs)


def _same(payroll, expected) -> bool:
    def key(lines):
        return sorted(((x.employee_id, x.component, x.kind, x.amount, x.client_id, x.deal_id,
                        x.payment_id) for x in lines), key=repr)

    company = payroll.company
    figures = {"collections": company.collections, "gross_profit": company.gross_profit,
               "fixed_costs": company.fixed_costs, "variable_pay": company.variable_pay,
               "operating_result": company.operating_result,
               "breakeven_revenue": company.breakeven_revenue}
    return (key(payroll.lines) == sorted(expected["lines"], key=repr)
            and key(payroll.forfeited) == sorted(expected["forfeited"], key=repr)
            and figures == expected["company"])


if __name__ == "__main__":
    main()
