"""A synthetic company history of any size, written as SPEC §5 files.

``write_history(folder, clients=100_000, deals=1_000_000, payments=1_200_000)`` writes five years
of a company like the demo's: hunters bring clients, account managers grow them; most deals are
won, some lost, a few cancelled; most payments name their deal, some only the client; a few
refunds. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

START = date(2021, 1, 1)
END = date(2025, 12, 31)
SPAN = (END - START).days


def write_history(folder: Path, *, clients: int, deals: int, payments: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
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
                continue
            if roll < 0.095 and opened < END:
                deal_rows.append([ref, client, owner, "open", opened, "", "", amount, cost])
                continue
            won = opened
            cancelled = roll > 0.995 and won + timedelta(days=20) <= END
            if cancelled:
                deal_rows.append([ref, client, owner, "cancelled", opened, won,
                                  won + timedelta(days=20), amount, cost])
                continue
            deal_rows.append([ref, client, owner, "won", opened, won, "", amount, cost])
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
    return {"clients": len(client_rows), "deals": len(deal_rows), "payments": len(payment_rows),
            "employees": len(hunters) + len(managers) + 3}


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
