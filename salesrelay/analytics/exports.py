"""One CSV per analytics page, with the page's filters and the same numbers as its table, in
long form (one row per month and series) so that a spreadsheet can pivot it. Every cell goes
through :mod:`salesrelay.cells`: text no spreadsheet runs, money with two decimals, rates as
plain decimals (``0.1250`` is 12.5 %)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from salesrelay.analytics import selectors as s
from salesrelay.cells import MONEY, RATIO, Columns

NEW_CLIENTS = Columns(("month", "segment", "hunter_id", "hunter", "new_clients", "target",
                       "company_new_clients"))
FUNNEL = Columns(("hunter_id", "hunter", "step", "step_name", "reached", "conversion",
                  "median_days", "deals_timed"))
CONVERSION = Columns(("group", "material_id", "material", "side", "meetings", "won",
                      "conversion", "low_95", "high_95", "too_few", "verdict"))
ORDER_VALUE = Columns(("by", "key", "acquisition_average", "acquisition_deals",
                       "accounts_average", "accounts_deals", "average", "deals"),
                      dict.fromkeys(("acquisition_average", "accounts_average", "average"), MONEY))
COLLECTIONS = Columns(("table", "month", "department", "employee_id", "employee", "bucket",
                       "amount", "deals", "client_id", "client"), {"amount": MONEY})
BREAKEVEN = Columns(("month", "as_it_stands", "collections", "gross_profit", "fixed_costs",
                     "variable_pay", "operating_result", "breakeven_revenue",
                     "margin_of_safety", "above"),
                    dict.fromkeys(("collections", "gross_profit", "fixed_costs", "variable_pay",
                                   "operating_result", "breakeven_revenue"), MONEY))
PAY = Columns(("month", "as_it_stands", "employee_id", "employee", "role", "pay",
               "market_salary", "pay_vs_market", "hunters_median"),
              {"pay": MONEY, "market_salary": MONEY, "pay_vs_market": RATIO,
               "hunters_median": RATIO})
COHORTS = Columns(("cohort", "new_clients", "hunter_shares", "kpi_bonuses", "cost",
                   "months_since_deal_1", "month", "cumulative_gross_profit", "net",
                   "payback_month"),
                  dict.fromkeys(("hunter_shares", "kpi_bonuses", "cost",
                                 "cumulative_gross_profit", "net"), MONEY))


def render(columns: Columns, rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns.csv_header())
    for row in rows:
        writer.writerow(columns.csv_row(row))
    return out.getvalue()


def new_clients(result: s.NewClients) -> str:
    def rows() -> Iterator[list[Any]]:
        for m in result.months:
            for segment, n in m.by_segment:
                yield [str(m.month), segment, None, None, n, None, None]
            yield [str(m.month), None, None, None, m.count, m.target, m.company]
        for hunter in result.hunters:
            for month, n in zip(result.months, hunter.counts, strict=True):
                yield [str(month.month), None, hunter.person.id, hunter.person.name, n, None, None]
    return render(NEW_CLIENTS, rows())


def funnel(result: s.Funnel) -> str:
    def rows() -> Iterator[list[Any]]:
        for step in result.steps:
            yield [None, None, step.code, step.name, step.reached, step.conversion,
                   step.median_days, step.timed]
        for hunter in result.hunters:
            for step, reached in zip(result.steps, hunter.reached, strict=True):
                yield [hunter.person.id, hunter.person.name, step.code, step.name, reached, None,
                       None, None]
    return render(FUNNEL, rows())


def conversion(result: s.Conversion) -> str:
    def sides(group: str, lift: s.MaterialLift) -> Iterator[list[Any]]:
        for side, r in (("with", lift.with_), ("without", lift.without)):
            yield [group, lift.material_id, lift.title or None, side, r.trials, r.hits, r.value,
                   r.low, r.high, r.too_small, lift.verdict]

    def rows() -> Iterator[list[Any]]:
        r = result.overall
        yield ["overall", None, None, None, r.trials, r.hits, r.value, r.low, r.high,
               r.too_small, None]
        yield from sides("any_material", result.any_material)
        for lift in result.materials:
            yield from sides("material", lift)
        for hunter in result.hunters:
            r = hunter.rate
            yield [f"employee:{hunter.person.id}", None, hunter.person.name, None, r.trials,
                   r.hits, r.value, r.low, r.high, r.too_small, None]
    return render(CONVERSION, rows())


def order_value(result: s.OrderValue) -> str:
    def rows() -> Iterator[list[Any]]:
        for by, points in (("deal_number", result.by_number),
                           ("months_since_deal_1", result.by_month)):
            for p in points:
                yield [by, p.key, p.acquisition, p.acquisition_deals, p.accounts,
                       p.accounts_deals, p.overall, p.deals]
    return render(ORDER_VALUE, rows())


def collections(result: s.Collections) -> str:
    def rows() -> Iterator[list[Any]]:
        for m in result.months:
            yield ["collections", str(m.month), "acquisition", None, None, None, m.acquisition,
                   None, None, None]
            yield ["collections", str(m.month), "account_management", None, None, None,
                   m.accounts, None, None, None]
        for manager in result.managers:
            for m, amount in zip(result.months, manager.amounts, strict=True):
                yield ["collections", str(m.month), manager.person.department, manager.person.id,
                       manager.person.name, None, amount, None, None, None]
        as_of = result.as_of.isoformat()
        for row in (result.total, *result.departments, *result.owners):
            for bucket, amount, deals in zip(result.buckets, row.amounts, row.deals, strict=True):
                yield ["receivables", as_of, row.department, row.employee,
                       row.label if row.employee else None, bucket.label, amount, deals, None,
                       None]
        for client in result.clients:
            yield ["receivables_clients", as_of, client.department, None, client.owner,
                   result.bucket.label if result.bucket else None, client.owed, client.deals,
                   client.client_id, client.name]
    return render(COLLECTIONS, rows())


def breakeven(result: s.Breakeven) -> str:
    return render(BREAKEVEN, ([
        str(m.month), m.fresh, m.collections, m.gross_profit, m.fixed_costs, m.variable_pay,
        m.operating_result, m.breakeven_revenue, m.margin_of_safety, m.above]
        for m in result.months))


def pay(result: s.PayVsMarket) -> str:
    def rows() -> Iterator[list[Any]]:
        medians = result.hunters_median
        for index, month in enumerate(result.months):
            for e in result.employees:
                yield [str(month), result.fresh[index], e.person.id, e.person.name,
                       e.person.role, e.pay[index], e.person.market_salary, e.ratios[index],
                       medians[index]]
    return render(PAY, rows())


def cohorts(result: s.Cohorts) -> str:
    def rows() -> Iterator[list[Any]]:
        for c in result.cohorts:
            payback = str(c.payback_month) if c.payback_month else None
            month = c.month
            for index, (cumulative, net) in enumerate(zip(c.cumulative, c.net, strict=True)):
                yield [str(c.month), c.clients, c.shares, c.bonuses, c.cost, index, str(month),
                       cumulative, net, payback]
                month = month.next()
    return render(COHORTS, rows())
