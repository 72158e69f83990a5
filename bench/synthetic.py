"""A synthetic company history of any size, written as SPEC §5 files.

``write_history(folder, clients=100_000, deals=1_000_000, payments=1_200_000)`` writes five years
of a company like the demo's: hunters bring clients, account managers grow them; most deals are
won, some lost, a few cancelled; most payments name their deal, some only the client; a few
refunds. Deterministic for a seed.

With ``activities`` (the default) it also writes the sales materials and the activity log
(``materials.csv``, ``activities.csv``): before its first deal each client has a call by its
hunter and most a meeting, some a meeting cancelled or missed; later deals some calls and
meetings by their account managers, and some clients a meeting long after their last deal that
led to nothing; open deals some planned calls and meetings, dated in the 13 months after the
history (so that a run a year on finds overdue, today's and coming tasks). A held meeting shows
one or two of the materials published by its day, more often when its client won a deal in the
next 60 days, catalogs most of all: the meeting → deal conversion differs with and without them.
They come from a random generator of their own, so every other row is the same either way.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

START = date(2021, 1, 1)
END = date(2025, 12, 31)
SPAN = (END - START).days


MATERIALS = [  # id, title, kind, published on
    ("MAT1", "Catalog 2021", "catalog", date(2021, 1, 1)),
    ("MAT2", "Price list 2021", "price_list", date(2021, 1, 1)),
    ("MAT3", "Company presentation", "promo_kit", date(2021, 6, 1)),
    ("MAT4", "Photo set of the range", "photo_set", date(2022, 9, 1)),
    ("MAT5", "Catalog 2023", "catalog", date(2023, 3, 1)),
    ("MAT6", "Price list 2024", "price_list", date(2024, 1, 15)),
    ("MAT7", "Catalog 2025", "catalog", date(2025, 2, 1)),
    ("MAT8", "Price list 2025", "price_list", date(2025, 9, 1)),
]
WINDOW = timedelta(days=60)  # the conversion's default window
PLANNED_FROM = END + timedelta(days=1)
PLANNED_DAYS = 396  # 2026-01-01 … 2027-01-31


def write_history(folder: Path, *, clients: int, deals: int, payments: int, seed: int = 7,
                  activities: bool = True) -> dict:
    rng = random.Random(seed)
    log = _Activities(random.Random(f"activities-{seed}")) if activities else None
    folder.mkdir(parents=True, exist_ok=True)
    hunters = [f"H{i}" for i in range(1, max(6, clients // 2000) + 1)]
    managers = [f"M{i}" for i in range(1, max(5, clients // 2500) + 1)]
    with _writer(folder, "employees", ["id", "name", "email", "department", "role", "hired_on",
                                       "left_on", "pool_weight", "market_salary"]) as out:
        for ref in hunters:
            left = START + timedelta(days=rng.randint(400, SPAN)) if rng.random() < 0.1 else ""
            out.writerow([ref, f"Hunter {ref}", f"{ref.lower()}@example.com", "acquisition",
                          "hunter", START, left, 1, "90000.00"])
        for ref in managers:
            out.writerow([ref, f"Manager {ref}", f"{ref.lower()}@example.com",
                          "account_management", "account_manager", START, "",
                          rng.choice(["1", "1", "1.5"]), "80000.00"])
        for ref, dept, role in [("HA", "acquisition", "head"), ("HM", "account_management", "head"),
                                ("DIR", "management", "director")]:
            out.writerow([ref, f"Boss {ref}", f"{ref.lower()}@example.com", dept, role, START, "",
                          1, "200000.00"])
    per_client = [1] * clients
    for _ in range(deals - clients):
        per_client[rng.randrange(clients)] += 1
    # Payments: one per won deal (about 90.5 % of deals); the rest are second halves of split
    # payments, spread over the won deals.
    split_chance = max(0.0, min(1.0, (payments / deals - 0.905) / 0.905))
    deal_rows, payment_rows, client_rows = [], [], []
    deal_no = payment_no = 0
    for c in range(clients):
        client = f"C{c + 1}"
        created = START + timedelta(days=rng.randint(0, SPAN - 30))
        hunter = rng.choice(hunters)
        client_rows.append([client, f"Client {c + 1}", rng.choice(
            ["retail_chain", "online_store", "dealer", "dealer", "other"]), hunter, created])
        day = created
        history: list[tuple[str, str, date]] = []  # the client's deals: owner, status, opened
        for n in range(per_client[c]):
            deal_no += 1
            ref = str(deal_no)
            day = day + timedelta(days=rng.randint(3, 40))
            opened = day
            if day > END:
                day = END
                opened = END
            amount = rng.randint(20_000, 900_000)
            cost = int(amount * rng.uniform(0.45, 1.02))
            owner = hunter if n == 0 else rng.choice(managers)
            roll = rng.random()
            if roll < 0.08:
                deal_rows.append([ref, client, owner, "lost", opened, "", opened, amount, cost])
                history.append((owner, "lost", opened))
                continue
            if roll < 0.095 and opened < END:
                deal_rows.append([ref, client, owner, "open", opened, "", "", amount, cost])
                history.append((owner, "open", opened))
                continue
            won = opened
            cancelled = roll > 0.995 and won + timedelta(days=20) <= END
            if cancelled:
                deal_rows.append([ref, client, owner, "cancelled", opened, won,
                                  won + timedelta(days=20), amount, cost])
                history.append((owner, "cancelled", opened))
                continue
            deal_rows.append([ref, client, owner, "won", opened, won, "", amount, cost])
            history.append((owner, "won", opened))
            paid_on = min(END, won + timedelta(days=rng.randint(0, 45)))
            split = rng.random() < split_chance
            first = amount // 2 if split else amount
            by_client = rng.random() < 0.2
            payment_no += 1
            payment_rows.append([f"P{payment_no}", paid_on, f"{first}.00",
                                 "" if by_client else ref, client if by_client else ""])
            if split:
                payment_no += 1
                later = min(END, paid_on + timedelta(days=rng.randint(5, 40)))
                payment_rows.append([f"P{payment_no}", later, f"{amount - first}.00", ref, ""])
            if not by_client and not split and rng.random() < 0.003:
                payment_no += 1
                payment_rows.append([f"P{payment_no}", min(END, paid_on + timedelta(days=10)),
                                     f"-{amount // 10}.00", ref, ""])
        if log is not None:
            log.client(client, created, history)
    with _writer(folder, "clients", ["id", "name", "segment", "acquired_by", "created_on"]) as out:
        out.writerows(client_rows)
    with _writer(folder, "deals", ["id", "client_id", "owner_id", "status", "created_on",
                                   "won_on", "closed_on", "amount", "cost"]) as out:
        out.writerows(deal_rows)
    with _writer(folder, "payments", ["id", "received_on", "amount", "deal_id", "client_id"]) as out:
        out.writerows(payment_rows)
    with _writer(folder, "fixed_costs", ["month", "category", "amount"]) as out:
        month = START
        while month <= END:
            out.writerow([f"{month:%Y-%m}", "all", f"{clients * 3000}.00"])
            month = (month + timedelta(days=32)).replace(day=1)
    sizes = {"clients": len(client_rows), "deals": len(deal_rows), "payments": len(payment_rows),
             "employees": len(hunters) + len(managers) + 3}
    if log is not None:
        with _writer(folder, "materials", ["id", "title", "kind", "published_on"]) as out:
            out.writerows(MATERIALS)
        with _writer(folder, "activities", ["id", "client_id", "employee_id", "kind", "date",
                                            "outcome", "materials"]) as out:
            out.writerows(log.rows)
        sizes.update(materials=len(MATERIALS), activities=len(log.rows))
    return sizes


class _Activities:
    """The activity log, client by client, from a random generator of its own."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[list] = []

    def client(self, client: str, created: date, deals: list[tuple[str, str, date]]) -> None:
        rng = self.rng
        wins = [opened for _owner, status, opened in deals if status == "won"]
        hunter, first_status, first_opened = deals[0]
        if rng.random() < 0.9:
            self.add(client, hunter, "call", min(first_opened, created + timedelta(
                days=rng.randint(0, 5))), "done")
        if rng.random() < 0.2:
            self.add(client, hunter, "meeting", self.between(created, first_opened),
                     rng.choice(["cancelled", "no_show"]))
        if first_status == "open" and rng.random() < 0.6:
            self.planned(client, hunter)
        elif rng.random() < 0.8:
            self.meeting(client, hunter, self.between(created, first_opened), wins)
        for owner, status, opened in deals[1:]:
            if status == "open" and rng.random() < 0.5:
                self.planned(client, owner)
            if rng.random() < 0.08:
                self.add(client, owner, "call", self.between(created, opened, 30), "done")
            if rng.random() < 0.08:
                day = self.between(created, opened, 20)
                if rng.random() < 0.15:
                    self.add(client, owner, "meeting", day, rng.choice(["cancelled", "no_show"]))
                else:
                    self.meeting(client, owner, day, wins)
        owner, _status, last = deals[-1]
        if len(deals) > 1 and last + WINDOW < END and rng.random() < 0.3:
            # A visit long after the client's last deal, which led to nothing.
            self.meeting(client, owner, last + timedelta(days=rng.randint(
                WINDOW.days + 1, (END - last).days)), wins)

    def between(self, start: date, end: date, days: int | None = None) -> date:
        """A day from ``start`` (or ``days`` before ``end``, whichever is later) to ``end``."""
        if days is not None:
            start = max(start, end - timedelta(days=days))
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def meeting(self, client: str, employee: str, day: date, wins: list[date]) -> None:
        rng = self.rng
        converted = any(day <= won <= day + WINDOW for won in wins)
        shown: list[str] = []
        if rng.random() < (0.6 if converted else 0.35):
            available = [m for m in MATERIALS if m[3] <= day]
            kinds = sorted({kind for _ref, _title, kind, _published in available})
            weights = [{"catalog": 3.0 if converted else 0.6, "price_list": 1.0}.get(kind, 0.8)
                       for kind in kinds]
            for kind in dict.fromkeys(rng.choices(kinds, weights, k=rng.choice([1, 1, 2]))):
                shown.append(max((m for m in available if m[2] == kind), key=lambda m: m[3])[0])
        self.add(client, employee, "meeting", day, "held", ";".join(shown))

    def planned(self, client: str, employee: str) -> None:
        rng = self.rng
        self.add(client, employee, rng.choice(["call", "meeting"]),
                 PLANNED_FROM + timedelta(days=rng.randrange(PLANNED_DAYS)), "")

    def add(self, client: str, employee: str, kind: str, day: date, outcome: str,
            materials: str = "") -> None:
        self.rows.append([f"A{len(self.rows) + 1}", client, employee, kind, day, outcome,
                          materials])


class _writer:
    def __init__(self, folder: Path, name: str, header: list[str]) -> None:
        self.path = folder / f"{name}.csv"
        self.header = header

    def __enter__(self):
        self.file = self.path.open("w", newline="", encoding="utf-8")
        out = csv.writer(self.file)
        out.writerow(self.header)
        return out

    def __exit__(self, *exc) -> None:
        self.file.close()
