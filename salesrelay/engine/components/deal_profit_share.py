"""``deal_profit_share``: the hunter rule — a share of the profit of a client's deals 1 to 5.

``on_payment`` (default): each allocation *x* effective in the month on a deal in range pays
``rate × max(0, profit) × c / amount``, *c* being the part of *x* that moves the deal's
cumulative amount within ``[0, amount]``. Deal 3 of a client, amount 200 000.00, profit
120 000.00, paid 100 000.00 at rate 0.90 → 54 000.00; an overpayment earns nothing more, and a
refund of paid money gives a negative line. The reversal of a cancellation is such a refund, and
the re-allocation of the money it released pays like a payment, each in the month it is effective.

``on_win``: ``rate × max(0, profit)`` in the month the deal is won, reversed in the month it is
cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from salesrelay.engine.components.base import Kind
from salesrelay.engine.lines import Line, fmt
from salesrelay.engine.money import ZERO, round_money

if TYPE_CHECKING:
    from salesrelay.engine.components.base import MonthContext
    from salesrelay.engine.params import Reader
    from salesrelay.engine.plans import Component, Plan

CREDIT_TO = ("acquirer", "account_manager", "deal_owner")
TIMINGS = ("on_payment", "on_win")


@dataclass(frozen=True)
class DealProfitShare:
    credit_to: str
    first: int
    last: int
    rate: Decimal
    timing: str = "on_payment"
    pay_after_leaving: bool = False

    def counts(self, number: int) -> bool:
        return self.first <= number <= self.last


def parse(reader: Reader) -> DealProfitShare | None:
    credit_to = reader.choice("credit_to", CREDIT_TO)
    ordinals = _ordinals(reader)
    rate = reader.rate("rate")
    timing = reader.choice("timing", TIMINGS, default="on_payment")
    after = reader.flag("pay_after_leaving", False)
    reader.finish()
    if credit_to is None or ordinals is None or rate is None or timing is None:
        return None
    return DealProfitShare(credit_to, ordinals[0], ordinals[1], rate, timing, after)


def _ordinals(reader: Reader) -> tuple[int, int] | None:
    value = reader.raw_value("ordinals", required=True)
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        reader.fail("ordinals", f"{value!r} is not a range of two deal numbers like [1, 5]")
        return None
    first, last = value
    if first < 1:
        reader.fail("ordinals", f"{value!r}: deal numbers start at 1")
        return None
    if last < first:
        reader.fail("ordinals", f"{value!r}: the range ends before it starts; write [{last}, {first}]")
        return None
    return first, last


def compute(context: MonthContext, plan: Plan, component: Component) -> None:
    params: DealProfitShare = component.params
    if params.timing == "on_win":
        _on_win(context, plan, component, params)
    else:
        _on_payment(context, plan, component, params)


def _on_payment(context: MonthContext, plan: Plan, component: Component,
                params: DealProfitShare) -> None:
    rate = fmt(params.rate)
    for allocation, counted in context.allocations:
        deal = context.deals[allocation.deal_id]
        if not params.counts(deal.number) or not plan.in_effect(allocation.effective_on):
            continue
        profit = max(ZERO, deal.profit)
        if counted == 0 or profit == 0 or deal.amount == 0:
            continue
        employee = context.credited(params.credit_to, deal, allocation.effective_on)
        if employee is None or not plan.covers(employee):
            continue
        amount = round_money(params.rate * profit * counted / deal.amount)
        if amount == 0:
            continue
        facts: tuple[tuple[str, str], ...] = (
            ("rate", rate), ("profit", fmt(profit)), ("counted", fmt(counted)),
            ("paid", fmt(allocation.amount)), ("amount", fmt(deal.amount)), ("deal", deal.id),
            ("number", str(deal.number)), ("payment", allocation.payment_id),
            ("on", allocation.effective_on.isoformat()),
        )
        if allocation.is_reversal:
            why = "share_reversed"
        elif allocation.released_from is not None:
            why = "share_released" if counted > 0 else "share_refunded"
            facts += (("source", allocation.released_from),)
        else:
            why = "share_paid" if counted > 0 else "share_refunded"
        line = Line(
            employee.id, plan.id, component.name, component.kind, amount, why=why, facts=facts,
            client_id=deal.client_id, deal_id=deal.id, deal_number=deal.number,
            payment_id=allocation.payment_id, base=counted, rate=params.rate,
            on=allocation.effective_on,
        )
        context.pay(employee, line, allocation.effective_on,
                    pay_after_leaving=params.pay_after_leaving)


def _on_win(context: MonthContext, plan: Plan, component: Component,
            params: DealProfitShare) -> None:
    for sign, deals in ((1, context.won), (-1, context.cancelled)):
        for deal in deals:
            if not params.counts(deal.number) or not plan.in_effect(deal.won_on):
                continue
            profit = max(ZERO, deal.profit)
            employee = context.credited(params.credit_to, deal, deal.won_on)
            if profit == 0 or employee is None or not plan.covers(employee):
                continue
            day = deal.won_on if sign > 0 else deal.cancelled_on
            assert day is not None
            if sign < 0 and not (employee.employed_on(deal.won_on) or params.pay_after_leaving):
                continue  # the win was forfeited; there is nothing to take back
            amount = round_money(params.rate * profit) * sign
            if amount == 0:
                continue
            line = Line(
                employee.id, plan.id, component.name, component.kind, amount,
                why="share_won" if sign > 0 else "share_cancelled",
                facts=(("rate", fmt(params.rate)), ("profit", fmt(profit)), ("deal", deal.id),
                       ("number", str(deal.number)), ("on", day.isoformat())),
                client_id=deal.client_id, deal_id=deal.id, deal_number=deal.number,
                base=profit, rate=params.rate, on=day,
            )
            context.pay(employee, line, day, pay_after_leaving=params.pay_after_leaving)


KIND = Kind("deal_profit_share", 0, parse, compute)
