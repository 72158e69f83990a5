"""The demo company: a manufacturer of hydromassage bathtubs selling to retail chains, online
stores and dealers, with 18 months of history up to yesterday.

The history is generated as SPEC §5 files from a seeded random generator and loaded through the
importer, so the demo's deal numbers, handoffs and allocations come from the same rules as any
real import. Then the board's open deals get their stages and each role gets a login.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from salesrelay.clients.actions import add_segment
from salesrelay.clients.models import Segment
from salesrelay.compensation.actions import approve_period, calculate_period, lock_period
from salesrelay.compensation.plans import load_plan
from salesrelay.deals.actions import move_deal
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.engine.periods import Month
from salesrelay.imports.importer import run_import
from salesrelay.people.actions import link_login
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import PipelineStage

PASSWORD = "demo-relay-2026"
LOGINS = [  # (login, employee id, what the login shows)
    ("hunter", "H1", "hunter"),
    ("manager", "AM1", "account manager"),
    ("head-acquisition", "HA", "head of acquisition"),
    ("head-accounts", "HM", "head of account management"),
    ("director", "DIR", "commercial director"),
    ("accountant", "ACC", "accountant"),
]

PRODUCTS = [
    ("HB-150", "Aqualine 150 acrylic hydromassage bath", "Acrylic baths", "64900", "38200"),
    ("HB-170", "Aqualine 170 acrylic hydromassage bath", "Acrylic baths", "78900", "45800"),
    ("HB-180C", "Corner Lux 180 hydromassage bath", "Acrylic baths", "112000", "64100"),
    ("HB-200S", "Spa Duo 200 two-person bath", "Premium baths", "189000", "104500"),
    ("HB-QS", "Quartz Stone freestanding bath", "Premium baths", "246000", "139000"),
    ("HM-AIR", "Air massage system kit", "Systems", "28500", "15900"),
    ("HM-TURBO", "Turbo jet massage system kit", "Systems", "36900", "20400"),
    ("HM-LED", "Chromotherapy LED kit", "Systems", "9800", "4700"),
    ("AC-HEAD", "Bath headrest", "Accessories", "3900", "1500"),
    ("AC-PANEL", "Front panel", "Accessories", "11500", "5600"),
    ("AC-FRAME", "Steel mounting frame", "Accessories", "7400", "3900"),
    ("AC-MIXER", "Thermostatic rim mixer", "Accessories", "17800", "9900"),
]
FIRST = ["Aqua", "Terma", "Nord", "Volga", "Ural", "Baltic", "Siber", "Kama", "Oka", "Don",
         "Neva", "Amur", "Altai", "Sever", "Yug", "Vostok", "Zapad", "Grand", "Euro", "Prime"]
SECOND = ["Plumbing", "Bath House", "Home Style", "Santehnika", "Interiors", "Market", "Trade",
          "Aquamir", "Dom", "Komfort", "Remont", "Stroy", "Spa Center", "Keramika", "Vanna"]
# The demo company's segments (code, English, Russian, share of its clients): three of the four
# an installation starts with, and salons, which the demo adds to the Segment table as a
# director would on the Segments page.
SEGMENTS = [
    ("retail_chain", "Retail chain", "Розничная сеть", 0.15),
    ("online_store", "Online store", "Интернет-магазин", 0.35),
    ("dealer", "Dealer", "Дилер", 0.45),
    ("salon", "Salon", "Салон", 0.05),
]


@dataclass
class _Files:
    rows: dict[str, list[list[str]]]

    def add(self, name: str, row: list) -> None:
        self.rows[name].append(["" if v is None else str(v) for v in row])


HEADERS = {
    "employees": ["id", "name", "email", "department", "role", "hired_on", "left_on",
                  "pool_weight", "market_salary"],
    "materials": ["id", "title", "kind", "published_on"],
    "products": ["sku", "name", "price", "unit_cost", "line"],
    "clients": ["id", "name", "segment", "acquired_by", "created_on", "tax_id"],
    "deals": ["id", "client_id", "owner_id", "status", "created_on", "won_on", "closed_on"],
    "deal_lines": ["deal_id", "sku", "quantity", "unit_price"],
    "payments": ["id", "received_on", "amount", "deal_id", "client_id"],
    "activities": ["id", "client_id", "employee_id", "kind", "date", "outcome", "materials"],
    "fixed_costs": ["month", "category", "amount"],
    "targets": ["month", "metric", "value"],
}


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def generate(today: date, seed: int = 2026) -> _Files:
    rng = random.Random(seed)
    files = _Files({name: [] for name in HEADERS})
    start = _add_months(_month_start(today), -18)
    end = today - timedelta(days=1)
    hunters = [f"H{i}" for i in range(1, 7)]
    managers = [f"AM{i}" for i in range(1, 6)]
    hunter_names = ["Anna Sokolova", "Pavel Orlov", "Irina Belova", "Dmitry Kuznetsov",
                    "Olga Smirnova", "Sergey Volkov"]
    manager_names = ["Elena Morozova", "Maxim Lebedev", "Natalia Popova", "Igor Fedorov",
                     "Tatiana Novikova"]
    for ref, name in zip(hunters, hunter_names, strict=True):
        files.add("employees", [ref, name, f"{ref.lower()}@aqualine.example", "acquisition",
                                "hunter", start, None, 1, "90000.00"])
    for i, (ref, name) in enumerate(zip(managers, manager_names, strict=True)):
        left = _add_months(start, 12) - timedelta(days=1) if i == 4 else None
        files.add("employees", [ref, name, f"{ref.lower()}@aqualine.example",
                                "account_management", "account_manager", start, left,
                                "1.5" if i == 0 else 1, "80000.00"])
    for ref, name, dept, role, salary in [
        ("HA", "Victor Zaitsev", "acquisition", "head", "180000.00"),
        ("HM", "Marina Egorova", "account_management", "head", "170000.00"),
        ("DIR", "Alexei Romanov", "management", "director", "300000.00"),
        ("ACC", "Galina Pavlova", "management", "accountant", "95000.00"),
    ]:
        files.add("employees", [ref, name, f"{ref.lower()}@aqualine.example", dept, role, start,
                                None, 1, salary])
    for row in PRODUCTS:
        files.add("products", [row[0], row[1], row[3], row[4], row[2]])
    catalog_day = _add_months(start, 2) + timedelta(days=9)
    for ref, title, kind, day in [
        ("CAT-2025", "Aqualine catalog 2025 (new photo session)", "catalog", catalog_day),
        ("PROMO-ONLINE", "Promo kit for online stores", "promo_kit", catalog_day + timedelta(14)),
        ("PRICE", "Dealer price list", "price_list", start),
        ("PHOTO", "Product photo set", "photo_set", catalog_day),
    ]:
        files.add("materials", [ref, title, kind, day])
    month = start
    while month <= _month_start(end):
        for category, amount in [("rent", "600000.00"), ("salaries", "3200000.00"),
                                 ("production overhead", "1600000.00"),
                                 ("logistics", "700000.00"), ("marketing", "400000.00")]:
            files.add("fixed_costs", [f"{month:%Y-%m}", category, amount])
        files.add("targets", [f"{month:%Y-%m}", "new_clients", 10])
        files.add("targets", [f"{month:%Y-%m}", "new_clients_in_segment:retail_chain", 1])
        month = _add_months(month, 1)

    counters = {"deal": 1000, "payment": 5000, "activity": 1}

    def next_id(kind: str, prefix: str) -> str:
        counters[kind] += 1
        return f"{prefix}{counters[kind]}"

    def activity(client: str, who: str, kind: str, day: date, outcome: str | None,
                 materials: Sequence[str] = ()) -> None:
        files.add("activities", [next_id("activity", "A"), client, who, kind, day, outcome,
                                 ";".join(materials)])

    def lines_for(deal: str, big: bool, trial: bool = False) -> Decimal:
        """A client's first five orders are trial orders; the big ones come once it trusts us."""
        total = Decimal(0)
        for sku, _n, _l, price, _c in rng.sample(PRODUCTS, 1 if trial else rng.randint(1, 4)):
            if trial:
                quantity = rng.randint(1, 2) if big else 1
            else:
                quantity = rng.randint(4, 30) if big else rng.randint(1, 8)
            unit = Decimal(price) * Decimal(rng.choice(["1", "0.97", "0.95", "0.92"]))
            unit = unit.quantize(Decimal("1"))
            files.add("deal_lines", [deal, sku, quantity, unit])
            total += unit * quantity
        return total

    def pay(deal: str, client: str, won: date, total: Decimal, *, by_client: bool) -> None:
        day = won + timedelta(days=rng.randint(3, 40))
        if day > end:
            return
        share = rng.choice(["1", "1", "1", "0.5", "0.3"])
        first = (total * Decimal(share)).quantize(Decimal("0.01"))
        target = [None, client] if by_client else [deal, None]
        files.add("payments", [next_id("payment", "P"), day, first, *target])
        if first < total:
            later = day + timedelta(days=rng.randint(10, 50))
            if later <= end and rng.random() < 0.8:
                files.add("payments", [next_id("payment", "P"), later, total - first, *target])

    used_names: set[str] = set()
    refunded = cancelled = False
    for number in range(1, 301):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
            if name not in used_names:
                used_names.add(name)
                break
            name = f"{name} {rng.randint(2, 99)}"
            if name not in used_names:
                used_names.add(name)
                break
        segment = rng.choices([s[0] for s in SEGMENTS], [s[3] for s in SEGMENTS])[0]
        client = f"C{number:04d}"
        hunter = rng.choice(hunters)
        created = start + timedelta(days=rng.randint(0, (end - start).days - 5))
        files.add("clients", [client, name, segment, hunter, created,
                              f"77{rng.randint(10_000_000, 99_999_999)}"])
        activity(client, hunter, "call", created, "done")
        meeting = created + timedelta(days=rng.randint(3, 20))
        if meeting > end:
            activity(client, hunter, "meeting", today, None)
            continue
        with_catalog = meeting >= catalog_day and rng.random() < 0.7
        shown = (["CAT-2025"] + (["PROMO-ONLINE"] if segment == "online_store" else [])
                 if with_catalog else ["PRICE"])
        activity(client, hunter, "meeting", meeting, rng.choice(["held", "held", "held", "no_show"]),
                 shown)
        deal = next_id("deal", "")
        opened = meeting
        wins = rng.random() < (0.62 if with_catalog else 0.33)
        won = opened + timedelta(days=rng.randint(5, 45))
        if not wins or won > end:
            lost = won <= end and rng.random() < 0.6
            files.add("deals", [deal, client, hunter, "lost" if lost else "open", opened, None,
                                won if lost else None])
            lines_for(deal, segment == "retail_chain")
            continue
        files.add("deals", [deal, client, hunter, "won", opened, won, None])
        total = lines_for(deal, segment == "retail_chain", trial=True)
        ordinal = 1
        pay(deal, client, won, total, by_client=rng.random() < 0.3)
        # Account management grows the client: a repeat order every one to three months.
        repeat = won
        while True:
            repeat = repeat + timedelta(days=rng.randint(25, 95))
            if repeat > end:
                break
            deal = next_id("deal", "")
            manager_hint = rng.choice(managers[:4])
            status = "won"
            closed = None
            if not cancelled and repeat < end - timedelta(days=60):
                status, closed, cancelled = "cancelled", repeat + timedelta(days=12), True
            files.add("deals", [deal, client, manager_hint, status, repeat, repeat, closed])
            ordinal += status == "won"
            total = lines_for(deal, segment == "retail_chain", trial=ordinal <= 5)
            if status == "won":
                pay(deal, client, repeat, total, by_client=rng.random() < 0.4)
                if not refunded and repeat < end - timedelta(days=90):
                    files.add("payments", [next_id("payment", "P"), repeat + timedelta(days=5),
                                           total, deal, None])
                    files.add("payments", [next_id("payment", "P"), repeat + timedelta(days=50),
                                           -min(total, Decimal("15000.00")), deal, None])
                    refunded = True
            activity(client, manager_hint, "call", repeat - timedelta(days=3), "done")
        activity(client, rng.choice(managers[:4]), "call", today + timedelta(days=rng.randint(0, 9)),
                 None)
    return files


def write_files(files: _Files, folder: Path) -> None:
    for name, header in HEADERS.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(files.rows[name])


def close_months(last: Month, *, open_months: int) -> None:
    """Calculate every month of the history up to ``last``; approve and lock all but the last
    ``open_months``, as the accountant would have done month by month."""
    months = []
    start = Deal.objects.order_by("created_on").values_list("created_on", flat=True).first()
    if start is None:
        return  # no deal, no month to close
    month = Month.of(start)
    while month <= last:
        months.append(month)
        month = month.next()
    for index, month in enumerate(months):
        calculate_period(month)
        if index < len(months) - open_months:
            approve_period(month)
            lock_period(month)


def load_demo(*, today: date | None = None, progress=None) -> list[tuple[str, str, str]]:
    today = today or date.today()
    files = generate(today)
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        known = set(Segment.objects.values_list("code", flat=True))
        for code, english, russian, _share in SEGMENTS:
            if code not in known:
                add_segment(code=code, name_en=english, name_ru=russian, acting_user=None)
        write_files(files, Path(folder))
        report = run_import(Path(folder), progress=progress)
        if not report.ok:
            raise RuntimeError("the demo data did not import: " + "; ".join(
                str(p) for p in report.problems[:5]))
        stages = list(PipelineStage.objects.all())
        open_deals = Deal.objects.filter(status=DealStatus.OPEN).order_by("pk")
        for i, deal in enumerate(open_deals):
            move_deal(deal, stage=stages[i % len(stages)], acting_user=None)
        for login, ref, _what in LOGINS:
            link_login(Employee.objects.get(ref=ref), username=login, password=PASSWORD,
                       acting_user=None)
        load_plan((Path(__file__).parent / "demo_plan.toml").read_text(encoding="utf-8"))
        close_months(Month.of(_month_start(today)).previous(), open_months=2)
    return [(login, PASSWORD, what) for login, _ref, what in LOGINS]
