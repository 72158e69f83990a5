"""Map the public ClassicModels sample (``../shared/data/classicmodels``) onto SPEC §5 files.

The sample is a wholesaler with sales reps, orders with lines, products with a purchase cost and
client-level payments (no order is named), which is what the first-five-deals rule and the
first-in-first-out allocation need. The mapping:

- President and VPs → management/director; sales managers → acquisition/head; sales reps → hunters,
  all hired 2003-01-01, the day before the first order;
- customers → clients (segment ``dealer``) acquired by their sales rep;
- products → products, ``MSRP`` as the list price and ``buyPrice`` as the unit cost;
- orders → deals: ``Cancelled`` → cancelled on its order date, every other status → won on its
  order date; order lines → deal lines at ``priceEach``;
- payments → payments against the client, ``checkNumber`` as the id.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "classicmodels"
HIRED = "2003-01-01"
PROFIT_OF_ALL_LINES = "3825880.25"


def _read(name: str, source: Path) -> list[dict[str, str]]:
    with open(source / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _role(title: str) -> tuple[str, str]:
    if title == "Sales Rep":
        return "acquisition", "hunter"
    if title.startswith("Sale") and "Manager" in title:
        return "acquisition", "head"
    return "management", "director"


def write_interchange(target: Path, source: Path = SOURCE) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    orders = _read("orders", source)
    first_order: dict[str, str] = {}
    for o in orders:
        day = o["orderDate"]
        first_order[o["customerNumber"]] = min(day, first_order.get(o["customerNumber"], day))

    def write(name: str, header: list[str], rows) -> None:
        with open(target / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    write("employees", ["id", "name", "email", "department", "role", "hired_on"], (
        [e["employeeNumber"], f'{e["firstName"]} {e["lastName"]}', e["email"],
         *_role(e["jobTitle"]), HIRED] for e in _read("employees", source)))
    write("products", ["sku", "name", "price", "unit_cost", "line"], (
        [p["productCode"], p["productName"], p["MSRP"], p["buyPrice"], p["productLine"]]
        for p in _read("products", source)))
    write("clients", ["id", "name", "segment", "acquired_by", "created_on"], (
        [c["customerNumber"], c["customerName"], "dealer", c["salesRepEmployeeNumber"],
         min(HIRED, first_order.get(c["customerNumber"], HIRED))]
        for c in _read("customers", source)))
    reps = {c["customerNumber"]: c["salesRepEmployeeNumber"] for c in _read("customers", source)}
    write("deals", ["id", "client_id", "owner_id", "status", "created_on", "won_on", "closed_on"], (
        [o["orderNumber"], o["customerNumber"], reps[o["customerNumber"]],
         "cancelled" if o["status"] == "Cancelled" else "won", o["orderDate"], o["orderDate"],
         o["orderDate"] if o["status"] == "Cancelled" else ""] for o in orders))
    write("deal_lines", ["deal_id", "sku", "quantity", "unit_price"], (
        [d["orderNumber"], d["productCode"], d["quantityOrdered"], d["priceEach"]]
        for d in _read("orderdetails", source)))
    write("payments", ["id", "received_on", "amount", "client_id"], (
        [p["checkNumber"], p["paymentDate"], p["amount"], p["customerNumber"]]
        for p in _read("payments", source)))
    return target


def payments_by_customer(source: Path = SOURCE) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for p in _read("payments", source):
        found[p["customerNumber"]].append(p["amount"])
    return found
