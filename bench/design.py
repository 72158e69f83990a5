"""Plan designer benchmark (issue 7): candidate plans evaluated on the 1M-deal history, and seconds.

    python bench/design.py                           # builds the history of bench/payroll.py
    python bench/design.py --database-url sqlite:////tmp/bench_design.sqlite3 --reuse
    python bench/design.py --clients 10000 --deals 100000 --payments 120000   # a quick run

It builds the synthetic history of ``bench/payroll.py`` (the same files, the same importer, the
same plan with every component kind) — or, with ``--reuse``, takes the database as it is when it
already holds deals — then on a 12-month range: reads the history (``load_s``), computes the
designer's bases (``bases_s``), evaluates every candidate of the default grid (``search_s``,
``candidates``) and replays the best candidate through the full simulation (``check_s``), which
must agree to the kopeck (``agrees``). One JSON object; wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--payments", type=int, default=1_200_000)
    parser.add_argument("--no-activities", action="store_true",
                        help="a history without sales materials and activities")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database as it is if it already holds the history")
    parser.add_argument("--month", default="2025-06", help="the last month of the range")
    parser.add_argument("--multiple", default="2.0")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="salesrelay-bench-design-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["SALESRELAY_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command

    from bench.payroll import PLAN, fresh_postgres
    from bench.synthetic import write_history
    from salesrelay.compensation.plans import current_version, load_plan, plans_of
    from salesrelay.compensation.selectors import load_history
    from salesrelay.engine.design import Bases, Grid, Targets, check, evaluate, run_search
    from salesrelay.engine.periods import Month
    from salesrelay.engine.simulation import simulate

    def built() -> bool:
        from django.db import connection

        if "deals_deal" not in connection.introspection.table_names():
            return False
        from salesrelay.deals.models import Deal

        return Deal.objects.exists()

    if not (args.reuse and built()):
        if url.startswith("postgres"):
            fresh_postgres(url)
        print(f"generating {args.clients} clients, {args.deals} deals, {args.payments} "
              "payments…", file=sys.stderr)
        write_history(work / "files", clients=args.clients, deals=args.deals,
                      payments=args.payments, activities=not args.no_activities)
        call_command("migrate", verbosity=0)
        from salesrelay.imports.importer import run_import

        report = run_import(work / "files",
                            progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True))
        if not report.ok:
            sys.exit("the synthetic history did not import")
        load_plan(PLAN)
    plans = plans_of(current_version())
    last = Month.parse(args.month)
    first = Month(last.year - 1, last.month).next()

    print(f"reading {first} to {last}…", file=sys.stderr)
    started = time.perf_counter()
    history = load_history(first, last)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    bases = Bases.build(history, plans)
    bases_s = time.perf_counter() - started
    grid = Grid.default(bases)
    print(f"searching {grid.size} candidates…", file=sys.stderr)
    started = time.perf_counter()
    search = run_search(bases, grid, Targets(Decimal(args.multiple)))
    search_s = time.perf_counter() - started
    print("checking the best with a full simulation…", file=sys.stderr)
    started = time.perf_counter()
    best = search.best[0]
    problems = check(bases, evaluate(bases, best.params), simulate(history, bases.plans_for(best.params)))
    check_s = time.perf_counter() - started
    print(json.dumps({
        "database": django.db.connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "range": f"{first} to {last}",
        "allocations": len(history.allocations),
        "share_lines": len(bases.share_lines[0]),
        "employees": len(bases.employees),
        "candidates": search.evaluated,
        "meet_targets": search.met,
        "load_s": round(load_s, 3),
        "bases_s": round(bases_s, 3),
        "search_s": round(search_s, 3),
        "bases_and_search_s": round(bases_s + search_s, 3),
        "check_s": round(check_s, 3),
        "agrees": not problems,
        "best": {"share_rate": str(best.params.share_rate), "deals": best.params.share_last,
                 "pool": None if best.params.pool is None else best.params.pool.label,
                 "bonus_share": None if best.params.bonus_share is None
                 else str(best.params.bonus_share),
                 "hunters_median": str(best.hunters_median), "meets": best.meets},
    }, indent=2))


if __name__ == "__main__":
    main()
