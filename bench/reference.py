"""A straightforward, row-by-row implementation of SPEC §3, kept to check the engine against,
and of SPEC §1's allocations (payments, credit, cancellations), kept to check the ledger against.

``reference_month`` reads the same inputs as the engine (a ``History`` and a ``PlanSet``) but
shares none of its calculation: every allocation looks up its deal, client, owner and employee by
scanning the lists, re-adds the deal's earlier allocations to find its cumulative amount, and
counts employment days one calendar day at a time. ``reference_allocations`` replays a client's
wins, payments and cancellations keeping nothing but the list of allocations made and the list of
credit rows: what a deal holds, what it still owes, what a payment put on it are sums over those
rows, recomputed every time. Both are slow on purpose — plain enough to read against the spec —
and the benchmark and the property tests require them to give exactly the engine's lines and the
ledger's allocations.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from salesrelay.engine.inputs import History
from salesrelay.engine.periods import Month
from salesrelay.engine.plans import PlanSet

CENT = Decimal("0.01")


def _round(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _id_before(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit():
        return int(a) < int(b)
    return a < b


def _days(month: Month):
    day = month.first
    while day <= month.last:
        yield day
        day += timedelta(days=1)


def _employed(employee, day: date) -> bool:
    return employee.hired_on <= day and (employee.left_on is None or day <= employee.left_on)


def _in_effect(plan, day: date) -> bool:
    return plan.effective_from <= day and (plan.effective_to is None or day <= plan.effective_to)


def _covers(plan, employee) -> bool:
    return employee.role in plan.roles or employee.id in plan.employees


def _find(rows, key):
    for row in rows:
        if row.id == key:
            return row
    return None


def _owner(client, day):
    for span in client.ownership:
        if span.started_on <= day and (span.ended_on is None or day < span.ended_on):
            return span
    return None


def _counted(history: History, index: int, deal) -> Decimal:
    allocation = history.allocations[index]
    cumulative = history.allocated_before.get(deal.id, Decimal(0))
    for earlier in history.allocations[:index]:
        if earlier.deal_id == deal.id:
            cumulative += earlier.amount

    def clamp(x):
        return min(max(x, Decimal(0)), deal.amount)

    return clamp(cumulative + allocation.amount) - clamp(cumulative)


def _split(pool: Decimal, members: list[tuple[str, Decimal]]) -> dict[str, Decimal]:
    whole = sum(w for _, w in members)
    if pool <= 0 or whole <= 0:
        return {m: Decimal("0.00") for m, _ in members}
    exact = {m: pool * w / whole for m, w in members}
    floors = {m: v.quantize(CENT, rounding=ROUND_DOWN) for m, v in exact.items()}
    left = int((pool - sum(floors.values())) / CENT)
    order = [m for m, _ in members]
    # Selection by hand: the largest remainder, the lower id on a tie.
    while left > 0:
        best = None
        for m in order:
            if best is None:
                best = m
                continue
            r, rb = exact[m] - floors[m], exact[best] - floors[best]
            if r > rb or (r == rb and _id_before(m, best)):
                best = m
        floors[best] += CENT
        order.remove(best)
        left -= 1
    return floors


def reference_month(history: History, plans: PlanSet, month: Month) -> dict:
    """``{"lines": [...], "forfeited": [...], "company": {...}}``; a line is
    ``(employee_id, component, kind, amount, client_id, deal_id, payment_id)``."""
    lines: list[tuple] = []
    forfeited: list[tuple] = []
    employees = list(history.employees)
    deals = list(history.deals.values())
    clients = list(history.clients.values())

    def members(plan):
        result = []
        for employee in employees:
            if _covers(plan, employee):
                days = sum(1 for d in _days(month) if _employed(employee, d) and _in_effect(plan, d))
                if days:
                    result.append((employee, days))
        return result

    def credited(credit_to, deal, day):
        if credit_to == "acquirer":
            ref = _find(clients, deal.client_id).acquired_by
        elif credit_to == "deal_owner":
            ref = deal.owner_id
        else:
            span = _owner(_find(clients, deal.client_id), day)
            ref = span.employee_id if span else None
        return _find(employees, ref) if ref else None

    def pay(employee, line, day, after):
        (lines if _employed(employee, day) or after else forfeited).append(line)

    # R and G: every allocation effective in the month.
    collections = Decimal(0)
    profit = Decimal(0)
    with localcontext() as context:
        context.prec = 40
        for index, allocation in enumerate(history.allocations):
            if not month.contains(allocation.effective_on):
                continue
            deal = _find(deals, allocation.deal_id)
            collections += allocation.amount
            counted = _counted(history, index, deal)
            if counted and deal.amount:
                profit += deal.profit * counted / deal.amount
    gross = _round(profit)
    fixed = history.fixed_costs.get(month, Decimal("0.00"))

    later = []
    for plan in plans.plans:
        for component in plan.components:
            p = component.params
            name = component.id or component.kind
            if component.kind == "breakeven_bonus":
                later.append((plan, component))
            elif component.kind == "salary":
                for employee, days in members(plan):
                    amount = _round(p.amount * days / month.days)
                    if amount:
                        lines.append((employee.id, name, "salary", amount, None, None, None))
            elif component.kind == "deal_profit_share" and p.timing == "on_payment":
                for index, allocation in enumerate(history.allocations):
                    if not month.contains(allocation.effective_on):
                        continue
                    deal = _find(deals, allocation.deal_id)
                    if not p.first <= deal.number <= p.last:
                        continue
                    if not _in_effect(plan, allocation.effective_on):
                        continue
                    counted = _counted(history, index, deal)
                    share = max(Decimal(0), deal.profit)
                    if not counted or not share or not deal.amount:
                        continue
                    employee = credited(p.credit_to, deal, allocation.effective_on)
                    if employee is None or not _covers(plan, employee):
                        continue
                    amount = _round(p.rate * share * counted / deal.amount)
                    if amount:
                        pay(employee, (employee.id, name, component.kind, amount, deal.client_id,
                                       deal.id, allocation.payment_id),
                            allocation.effective_on, p.pay_after_leaving)
            elif component.kind == "deal_profit_share":
                for deal in sorted(deals, key=lambda d: (d.won_on, int(d.id) if d.id.isdigit() else 0, d.id)):
                    for sign, day in ((1, deal.won_on), (-1, deal.cancelled_on)):
                        if day is None or not month.contains(day):
                            continue
                        if not (p.first <= deal.number <= p.last) or not _in_effect(plan, deal.won_on):
                            continue
                        employee = credited(p.credit_to, deal, deal.won_on)
                        share = max(Decimal(0), deal.profit)
                        if employee is None or not share or not _covers(plan, employee):
                            continue
                        if sign < 0 and not (_employed(employee, deal.won_on) or p.pay_after_leaving):
                            continue
                        amount = _round(p.rate * share) * sign
                        if not amount:
                            continue  # a line that rounds to 0.00 is not written
                        pay(employee, (employee.id, name, component.kind, amount, deal.client_id,
                                       deal.id, None), day, p.pay_after_leaving)
            elif component.kind == "collections_pool":
                total = Decimal(0)
                for allocation in history.allocations:
                    day = allocation.effective_on
                    if not month.contains(day) or not _in_effect(plan, day):
                        continue
                    deal = _find(deals, allocation.deal_id)
                    span = _owner(_find(clients, deal.client_id), allocation.effective_on)
                    if span is not None and span.department == p.department:
                        total += allocation.amount
                total = max(Decimal(0), total)
                if p.rate is not None:
                    raw = p.rate * total
                elif p.mode == "whole":
                    raw = Decimal(0)
                    for tier in p.tiers:
                        if tier.low <= total and (tier.high is None or total < tier.high):
                            raw = tier.rate * total
                else:
                    raw = Decimal(0)
                    for tier in p.tiers:
                        top = total if tier.high is None else min(total, tier.high)
                        if top > tier.low:
                            raw += tier.rate * (top - tier.low)
                _share(lines, plan, name, component.kind, _round(raw), members(plan), p.split)
            elif component.kind == "kpi_bonus":
                _kpi(lines, history, plan, name, p, members(plan), month, deals, clients, employees)
    variable = sum((line[3] for line in lines if line[2] in ("deal_profit_share", "collections_pool")),
                   Decimal("0.00"))
    result = gross - fixed - variable
    for plan, component in later:
        pool = _round(component.params.share * max(Decimal(0), result))
        _share(lines, plan, component.id or component.kind, component.kind, pool, members(plan),
               component.params.split)
    margin = gross - variable
    breakeven = None
    if margin > 0 and collections != 0:
        with localcontext() as context:
            context.prec = 40
            breakeven = _round(fixed * collections / margin)
    return {"lines": lines, "forfeited": forfeited,
            "company": {"collections": collections, "gross_profit": gross, "fixed_costs": fixed,
                        "variable_pay": variable, "operating_result": result,
                        "breakeven_revenue": breakeven}}


def _share(lines, plan, name, kind, pool, members, split):
    weights = [(e.id, (e.pool_weight if split == "weight" else Decimal(1)) * days)
               for e, days in members]
    for employee_id, amount in _split(pool, weights).items():
        if amount:
            lines.append((employee_id, name, kind, amount, None, None, None))


def _kpi(lines, history, plan, name, p, members, month, deals, clients, employees):
    metric = p.metric
    target = p.target if p.target is not None else history.targets.get((month, metric))
    if target is None:
        return
    for employee, _days in members:
        def in_scope(ref, employee=employee):
            if p.scope == "company":
                return True
            if ref is None:
                return False
            if p.scope == "own":
                return ref == employee.id
            other = _find(employees, ref)
            return other is not None and other.department == employee.department

        if metric == "collections":
            value = Decimal(0)
            for allocation in history.allocations:
                if not month.contains(allocation.effective_on):
                    continue
                if p.scope != "company":
                    span = _owner(_find(clients, _find(deals, allocation.deal_id).client_id),
                                  allocation.effective_on)
                    if span is None or (p.scope == "own" and span.employee_id != employee.id) or (
                            p.scope == "department" and span.department != employee.department):
                        continue
                value += allocation.amount
        elif metric == "meeting_to_deal_conversion":
            held = won = 0
            for meeting in history.meetings:
                if month.contains(meeting.held_on) and in_scope(meeting.employee_id):
                    held += 1
                    end = meeting.held_on + timedelta(days=p.within_days)
                    wins = history.wins_by_client.get(meeting.client_id, ())
                    if any(meeting.held_on <= d <= end for d in wins):
                        won += 1
            if held == 0:
                continue
            value = Decimal(won) / Decimal(held)
        else:
            value = Decimal(0)
            for deal in deals:
                if deal.number != 1 or not month.contains(deal.won_on):
                    continue
                client = _find(clients, deal.client_id)
                if in_scope(client.acquired_by) and (p.segment is None or client.segment == p.segment):
                    value += 1
        if p.per_unit is not None:
            amount = _round(p.per_unit * max(Decimal(0), value - target))
        else:
            amount = p.fixed if value >= target else Decimal(0)
        if amount:
            lines.append((employee.id, name, "kpi_bonus", _round(amount), None, None, None))


# SPEC §1 -----------------------------------------------------------------------------------------
def reference_allocations(events) -> list[tuple]:
    """The allocations of one client's events, in the order they are made.

    ``events`` happened in the order given: ``("win", day, deal, amount)``, ``("pay", day,
    payment, amount, deal or None)``, ``("cancel", day, deal)``. An allocation is ``(payment, deal,
    amount, effective_on, released_from)``; a refused payment raises ``ValueError``.
    """
    made: list[list] = []      # [payment, deal, amount, effective_on, released_from]
    deals: list[list] = []     # [deal, won_on, amount, cancelled]
    credit: list[list] = []    # [payment, since, amount left, released_from], oldest first
    waiting: list[list] = []   # [payment, deal, amount]

    def holds(deal_id):
        return sum((row[2] for row in made if row[1] == deal_id), Decimal(0))

    def find(deal_id):
        for deal in deals:
            if deal[0] == deal_id:
                return deal
        return None

    def allocate(payment, deal, amount, day, released_from):
        made.append([payment, deal[0], amount, max(day, deal[1]), released_from])

    def first_owed():
        best = None
        for deal in deals:
            if deal[3] or holds(deal[0]) >= deal[2]:
                continue
            if best is None or deal[1] < best[1] or (deal[1] == best[1] and _id_before(deal[0], best[0])):
                best = deal
        return best

    def spread(payment, day, amount, released_from):
        """Client money of ``day``: to the oldest deals that owe, the rest kept as credit."""
        while amount > 0:
            deal = first_owed()
            if deal is None:
                credit.append([payment, day, amount, released_from])
                return
            part = min(amount, deal[2] - holds(deal[0]))
            allocate(payment, deal, part, day, released_from)
            amount -= part

    def draw(amount):
        for row in credit:
            part = min(row[2], amount)
            row[2] -= part
            amount -= part

    for event in events:
        kind, day = event[0], event[1]
        if kind == "win":
            _kind, _day, deal_id, amount = event
            deal = [deal_id, day, amount, False]
            deals.append(deal)
            for row in [w for w in waiting if w[1] == deal_id]:
                allocate(row[0], deal, row[2], day, None)
                waiting.remove(row)
            for row in credit:
                owed = deal[2] - holds(deal_id)
                if owed <= 0:
                    break
                part = min(row[2], owed)
                if part > 0:
                    allocate(row[0], deal, part, max(day, row[1]), row[3])
                    row[2] -= part
        elif kind == "pay":
            _kind, _day, payment, amount, deal_id = event
            deal = find(deal_id) if deal_id is not None else None
            if deal_id is not None and deal is None:
                paid = sum((w[2] for w in waiting if w[1] == deal_id), Decimal(0))
                if paid + amount < 0:
                    raise ValueError(f"refund of {-amount} above the {paid} paid on {deal_id}")
                waiting.append([payment, deal_id, amount])
            elif deal is not None and not deal[3]:
                if holds(deal_id) + amount < 0:
                    raise ValueError(f"refund of {-amount} above what {deal_id} holds")
                allocate(payment, deal, amount, day, None)
            elif amount < 0:
                left = sum((row[2] for row in credit), Decimal(0))
                if left + amount < 0:
                    raise ValueError(f"refund of {-amount} above the credit of {left}")
                draw(-amount)
            else:
                spread(payment, day, amount, None)
        else:
            _kind, _day, deal_id = event
            deal = find(deal_id)
            deal[3] = True
            net: dict = {}
            for row in made:
                if row[1] == deal_id:
                    net[row[0]] = net.get(row[0], Decimal(0)) + row[2]
            # A refund on the deal gave back what the earliest payments had put on it.
            refunded = -sum((v for v in net.values() if v < 0), Decimal(0))
            released = []
            for payment, amount in net.items():
                if amount > 0:
                    back = min(amount, refunded)
                    refunded -= back
                    if amount - back > 0:
                        released.append((payment, amount - back))
            for payment, amount in released:
                allocate(payment, deal, -amount, day, deal_id)
            for payment, amount in released:
                spread(payment, day, amount, deal_id)
        credit[:] = [row for row in credit if row[2] > 0]
    return [tuple(row) for row in made]
