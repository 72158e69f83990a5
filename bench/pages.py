"""Page benchmark (issue 7): every list page, every analytics page, the dashboard, the period
page, a statement and the designer, requested as each role on the 1M-deal history.

    python bench/pages.py                                        # builds the history of
                                                                 # bench/payroll.py on SQLite
    python bench/pages.py --database-url sqlite:////tmp/bench_pages.sqlite3 --reuse
    python bench/pages.py --clients 10000 --deals 100000 --payments 120000   # a quick run

It builds the synthetic history of ``bench/payroll.py`` (the same files, importer and plan, and
the month's payroll stored as the period's draft) — or, with ``--reuse``, takes the database as
it is when it already holds deals, migrated to this version — then signs in one employee of each
role with Django's test ``Client`` (``force_login``: the whole request through the middleware,
the view, the queries and the template, in this process, without a network or a web server in
front) and requests each page the role may read: one warm-up request, then the median of
``--repeat`` (3); a page whose warm-up takes longer than ``--patience`` (15 s) is timed by that
request alone. It prints ``{page: {role: milliseconds}}`` as JSON, with the queries of each
page's last request.

The analytics pages are requested twice: with their default filters (the twelve months up to
today) and with the history's last twelve months (``--range``), where the figures are. The
designer is requested with the twelve months to ``--month``. ``first_ms`` is each page's warm-up,
the first request after the data changed: the one that calculates what the roll-up and the
designer keep (the months no period stores, the design), which the others read back.

With ``--reuse`` the benchmark adds what it needs to the database: a login per role and an
accountant. Use a copy of a history you want to keep as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROLES = ("hunter", "account_manager", "head_acquisition", "head_accounts", "director",
         "accountant")
LISTS = ("clients:list", "clients:portfolio", "clients:team", "deals:list", "payments:list",
         "pipeline:board", "pipeline:activities", "activities:list", "materials:list",
         "compensation:periods", "compensation:disputes")
ANALYTICS = ("new_clients", "funnel", "conversion", "order_value", "collections", "breakeven",
             "pay", "cohorts")


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
    parser.add_argument("--month", default="2025-06",
                        help="the period and statements to show, the designer's last month")
    parser.add_argument("--range", default="2025-01:2025-12",
                        help="the analytics pages' second range, FIRST:LAST")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="time only the pages whose address contains this")
    parser.add_argument("--patience", type=float, default=15.0,
                        help="a page whose warm-up takes longer (seconds) is timed by it alone")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="salesrelay-bench-pages-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["SALESRELAY_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesrelay.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.reuse and _built():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the indexes and tables of this version
    else:
        _build(url, work, args)
    logins = _logins(args.month)
    pages = _pages(args)
    result: dict[str, dict[str, float]] = {}
    queries: dict[str, dict[str, int]] = {}
    firsts: dict[str, dict[str, float]] = {}
    jobs: dict[str, dict[str, float]] = {}
    for path, route in pages:
        if args.only and args.only not in path:
            continue
        for role, (client, viewer, own) in logins.items():
            if not viewer.may(route):
                continue
            address = path.replace("{own}", own)
            times, count, first = _time(client, address, args.repeat, args.patience,
                                        jobs.setdefault(path, {}))
            firsts.setdefault(path, {})[role] = first
            result.setdefault(path, {})[role] = times
            queries.setdefault(path, {})[role] = count
            print(f"  {address} as {role}: {times} ms, {count} queries", file=sys.stderr,
                  flush=True)
    from django.db import connection

    print(json.dumps({
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": _sizes(),
        "pages_ms": result,
        "queries": queries,
        "first_ms": firsts,
        "jobs_s": {path: found for path, found in jobs.items() if found},
    }, indent=2))


def _built() -> bool:
    from django.db import connection

    if "deals_deal" not in connection.introspection.table_names():
        return False
    from salesrelay.deals.models import Deal

    return Deal.objects.exists()


def _build(url: str, work: Path, args) -> None:
    from io import StringIO

    from django.core.management import call_command

    from bench.payroll import PLAN, fresh_postgres
    from bench.synthetic import write_history
    from salesrelay.compensation.plans import load_plan
    from salesrelay.imports.importer import run_import

    if url.startswith("postgres"):
        fresh_postgres(url)
    print(f"generating {args.clients} clients, {args.deals} deals, {args.payments} payments…",
          file=sys.stderr)
    write_history(work / "files", clients=args.clients, deals=args.deals, payments=args.payments,
                  activities=not args.no_activities)
    call_command("migrate", verbosity=0)
    report = run_import(work / "files",
                        progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True))
    if not report.ok:
        sys.exit("the synthetic history did not import")
    load_plan(PLAN)
    call_command("payroll", args.month, "--format", "json", stdout=StringIO())


def _logins(month: str) -> dict:
    """A signed-in test client per role, its viewer, and the employee whose statement it reads
    (its own; the accountant's is a hunter's)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from salesrelay.people.access import viewer_for
    from salesrelay.people.choices import Department, Role
    from salesrelay.people.models import Employee

    wanted = {
        "hunter": {"role": Role.HUNTER}, "account_manager": {"role": Role.ACCOUNT_MANAGER},
        "head_acquisition": {"role": Role.HEAD, "department": Department.ACQUISITION},
        "head_accounts": {"role": Role.HEAD, "department": Department.ACCOUNT_MANAGEMENT},
        "director": {"role": Role.DIRECTOR}, "accountant": {"role": Role.ACCOUNTANT},
    }
    if not Employee.objects.filter(role=Role.ACCOUNTANT).exists():
        Employee.objects.create(ref="BENCH-ACC", name="Bench Accountant", role=Role.ACCOUNTANT,
                                department=Department.MANAGEMENT, hired_on="2021-01-01")
    hunter = Employee.objects.filter(role=Role.HUNTER, left_on__isnull=True).order_by("id").first()
    User = get_user_model()
    logins = {}
    for role, where in wanted.items():
        employee = (hunter if role == "hunter" else
                    Employee.objects.filter(left_on__isnull=True, **where).order_by("id").first())
        if employee.user is None:
            employee.user = User.objects.create_user(f"bench-{role}", password=None)
            employee.save(update_fields=["user"])
        client = Client()
        client.force_login(employee.user)
        own = hunter.ref if role == "accountant" else employee.ref
        logins[role] = (client, viewer_for(employee.user), own)
    return logins


def _pages(args) -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    from salesrelay.engine.periods import Month

    pages = [(reverse("home"), "home"), (reverse("at_stake"), "at_stake"),
             (reverse("analytics:index"), "analytics:index")]
    for route in LISTS:
        try:
            pages.append((reverse(route), route))
        except NoReverseMatch:
            continue  # not a page of this version
    first, last = args.range.split(":")
    for name in ANALYTICS:
        path = reverse(f"analytics:{name}")
        pages += [(path, f"analytics:{name}"),
                  (f"{path}?first={first}&last={last}", f"analytics:{name}")]
    month = Month.parse(args.month)
    start = Month(month.year - 1, month.month).next()
    pages += [
        (reverse("compensation:period", kwargs={"month": args.month}), "compensation:period"),
        (reverse("compensation:statement", kwargs={"month": args.month, "employee": "EMP"})
         .replace("EMP", "{own}"), "compensation:statement"),
        (f"{reverse('compensation:design')}?first={start}&last={month}&multiple=2.0",
         "compensation:design"),
    ]
    return pages


def _time(client, address: str, repeat: int, patience: float, jobs: dict[str, float]
          ) -> tuple[float, int, float]:
    """The median milliseconds of ``repeat`` requests after a warm-up, the queries of the last
    one, and the warm-up's milliseconds; a warm-up slower than ``patience`` seconds is the
    figure itself (its queries counted). What the warm-up handed to the worker (a designer
    run) is done here, as the worker would, before the timed requests: its seconds go to
    ``jobs`` by the task's name."""
    from django.db import connection, reset_queries

    from salesrelay.compensation.design import run_job
    from salesrelay.compensation.models import DesignRun

    def once() -> float:
        started = time.perf_counter()
        response = client.get(address)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"{address}: {response.status_code}")
        return elapsed

    def counted() -> tuple[float, int]:
        connection.force_debug_cursor = True
        reset_queries()
        try:
            return once(), len(connection.queries)
        finally:
            connection.force_debug_cursor = False

    first, count = counted()
    for run in DesignRun.objects.filter(status="queued"):
        started = time.perf_counter()
        run_job(run.pk)
        jobs[f"design {run.first:%Y-%m} {run.last:%Y-%m} x{run.multiple}"] = round(
            time.perf_counter() - started, 2)
    if first > patience * 1000:
        return round(first, 1), count, round(first, 1)
    times = [once() for _ in range(repeat - 1)]
    last, count = counted()
    times.append(last)
    return round(statistics.median(times), 1), count, round(first, 1)


def _sizes() -> dict:
    from salesrelay.clients.models import Client
    from salesrelay.deals.models import Deal
    from salesrelay.payments.models import Payment

    return {"clients": Client.objects.count(), "deals": Deal.objects.count(),
            "payments": Payment.objects.count()}


if __name__ == "__main__":
    main()
