"""The plan designer (SPEC §3): search a plan's parameters on the real history of a range.

>>> bases = Bases.build(history, template)              # doctest: +SKIP
>>> search = run_search(bases, Grid.default(bases), Targets(Decimal("2.0")))  # doctest: +SKIP
>>> search.best[0].params.share_rate, search.best[0].operating_result   # doctest: +SKIP

The plan in force is the template. The designer varies four things and keeps the rest (salaries,
KPI bonuses, dates, roles, other components): the hunters' ``deal_profit_share`` rate and the last
deal number it covers, the account managers' ``collections_pool`` (its rate, or its tiers' rates
scaled together) and the ``breakeven_bonus`` share.

Why it is fast and still exact. Every figure of a month is a sum of payout lines, each rounded
half up to the kopeck, and the pools are split by largest remainder; so the bases are kept at
line granularity and in whole kopecks:

* the fixed part — every line of the components the designer does not vary, and the company's
  *R*, *G*, *F* — from one run of the engine;
* for the share, each line the engine would write, as the exact fraction ``profit × c / amount``
  of kopecks with its employee, month and deal number; a rate then costs one integer
  multiplication and division per line (rounded half up like :func:`round_money`), and the 1..N
  sums come from per-number subtotals;
* for the pool, the department's collections and the members of each month; each pool option is
  split once by the engine's own :func:`split`;
* for the break-even bonus, the members grouped by weight: a candidate's bonus pool is split in
  integers (members of one weight get the same cut, the leftover kopecks go by remainder, then by
  id); where two weights tie on the remainder at the cut, the engine's ``split`` decides.

A candidate is then a handful of integer sums per employee and month. :func:`check` replays the
winner through the engine (``simulate``) and lists every kopeck of difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from salesrelay.engine.components import VARIABLE_PAY_KINDS
from salesrelay.engine.components.collections_pool import CollectionsPool, collections_of
from salesrelay.engine.components.deal_profit_share import DealProfitShare
from salesrelay.engine.components.shares import share_pool
from salesrelay.engine.inputs import Employee, History
from salesrelay.engine.metrics import median
from salesrelay.engine.money import CENT, round_money
from salesrelay.engine.ordinals import id_sort_key
from salesrelay.engine.payroll import Calculator, Payroll, credited_employee, plan_members
from salesrelay.engine.periods import Month, months_between, overlap_days
from salesrelay.engine.plans import Component, Plan, PlanSet
from salesrelay.engine.simulation import Simulation
from salesrelay.engine.splitting import split

MAX_LAST = 10
"""The share covers deals 1..N with N at most 10."""
RATE_SCALE = 10_000
"""Rates and shares of the search are whole multiples of 0.0001."""


class DesignError(ValueError):
    """The template cannot be searched (no hunters' share, two break-even bonuses, …)."""


# The parameters -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolOption:
    """One way to fund the account managers' pool: a rate, or the template's tiers with every
    rate multiplied by ``factor``."""

    label: str
    params: CollectionsPool
    factor: Decimal | None = None


@dataclass(frozen=True)
class Params:
    share_rate: Decimal
    share_last: int
    pool: PoolOption | None
    bonus_share: Decimal | None


@dataclass(frozen=True)
class Grid:
    share_rates: tuple[Decimal, ...]
    share_lasts: tuple[int, ...]
    pools: tuple[PoolOption | None, ...]
    bonus_shares: tuple[Decimal | None, ...]

    @property
    def size(self) -> int:
        return (len(self.share_rates) * len(self.share_lasts) * len(self.pools)
                * len(self.bonus_shares))

    @classmethod
    def default(cls, bases: Bases) -> Grid:
        """13 share rates (0.40…1.00) × deals 1..N (N from the first deal number to 10) × 12 pool
        options (a rate of 0.0025…0.03, or the tiers' rates × 0.5…6) × 7 break-even shares
        (0…0.30): 10 920 candidates for a template with all three."""
        rates = tuple(Decimal("0.40") + Decimal("0.05") * i for i in range(13))
        share = bases.share.params
        lasts = tuple(range(share.first, MAX_LAST + 1))
        pools: tuple[PoolOption | None, ...] = (None,)
        if bases.pool is not None:
            template = bases.pool.params
            if template.rate is not None:
                pools = tuple(
                    PoolOption(f"{rate.normalize():f}", replace(template, rate=rate))
                    for rate in (Decimal("0.0025") * i for i in range(1, 13)))
            else:
                options = []
                for factor in (Decimal("0.5") * i for i in range(1, 13)):
                    tiers = tuple(replace(t, rate=(t.rate * factor).normalize())
                                  for t in template.tiers)
                    if all(t.rate <= 1 for t in tiers):
                        options.append(PoolOption(
                            "×" + f"{factor.normalize():f}" + " (" + " / ".join(
                                f"{t.rate.normalize():f}" for t in tiers) + ")",
                            replace(template, tiers=tiers), factor))
                pools = tuple(options)
        bonuses: tuple[Decimal | None, ...] = (None,)
        if bases.bonus is not None:
            bonuses = tuple(Decimal("0.05") * i for i in range(7))
        return cls(rates, lasts, pools, bonuses)


@dataclass(frozen=True)
class Targets:
    """What a plan must give: the hunters' median and lowest pay at least ``hunter_multiple`` and
    ``lowest_hunter_multiple`` times their market salary, every account manager at least
    ``manager_multiple`` times theirs (pay a month ÷ market, as the simulation shows it)."""

    hunter_multiple: Decimal
    lowest_hunter_multiple: Decimal | None = None
    manager_multiple: Decimal = Decimal(1)

    @property
    def lowest(self) -> Decimal:
        return self.hunter_multiple if self.lowest_hunter_multiple is None \
            else self.lowest_hunter_multiple


# The bases ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """The component the designer varies, where it sits in the template."""

    plan_index: int
    component_index: int
    plan: Plan
    component: Component

    @property
    def params(self) -> Any:
        return self.component.params


@dataclass
class _Month:
    """The bonus members of a month, grouped by weight (scaled to whole numbers); each group
    also has an id shared by the months where the same people form a group."""

    members: list[tuple[Employee, int]]
    weights: list[tuple[str, Decimal]]
    groups: list[tuple[int, list[int]]]
    whole: int
    group_ids: list[int] = field(default_factory=list)


@dataclass
class _Tally:
    """A candidate's break-even shares over the range, summed by group before by person."""

    cuts: list[int]
    firsts: list[list[int]]
    single: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, groups: list[tuple[int, ...]]) -> _Tally:
        return cls([0] * len(groups), [[0] * len(people) for people in groups])

    def add_to(self, totals: list[int], groups: list[tuple[int, ...]]) -> None:
        for people, cut, firsts in zip(groups, self.cuts, self.firsts, strict=True):
            # firsts[k]: months in which the first k + 1 members had a kopeck more.
            extra = sum(firsts)
            for k, person in enumerate(people):
                totals[person] += cut + extra
                extra -= firsts[k]
        for person, part in self.single:
            totals[person] += part


@dataclass
class Bases:
    history: History
    template: PlanSet
    share: Target
    pool: Target | None
    bonus: Target | None
    months: list[Month]
    employees: list[Employee]
    fixed: list[list[int]]
    """Kopecks per month and employee from the components not varied."""
    fixed_variable: list[int]
    """Kopecks of *V* per month from the components not varied."""
    collections: list[int]
    gross_profit: list[int]
    fixed_costs: list[int]
    months_employed: list[int]
    share_lines: tuple[list[int], list[int], list[int], list[int]] = field(
        default_factory=lambda: ([], [], [], []))
    """Parallel lists: bucket (month, employee, number), 2 × |numerator|, denominator × scale,
    sign."""
    pool_collections: list[Decimal] = field(default_factory=list)
    pool_members: list[list[tuple[Employee, int]]] = field(default_factory=list)
    bonus_months: list[_Month] = field(default_factory=list)
    bonus_groups: list[tuple[int, ...]] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    markets: list[int] = field(default_factory=list)
    """Each employee's market salary in kopecks (0: none)."""
    _share_cache: dict[Decimal, list[list[int]]] = field(default_factory=dict)
    _pool_cache: dict[PoolOption | None, list[list[int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, history: History, template: PlanSet) -> Bases:
        share, pool, bonus = _targets(template)
        varied = {(t.plan_index, t.component_index) for t in (share, pool, bonus) if t}
        rest = PlanSet(tuple(
            replace(plan, components=tuple(c for j, c in enumerate(plan.components)
                                           if (i, j) not in varied))
            for i, plan in enumerate(template.plans)))
        calculator = Calculator(history, rest)
        months = months_between(history.first, history.last)
        employees = sorted(history.employees, key=lambda e: id_sort_key(e.id))
        index = {e.id: i for i, e in enumerate(employees)}
        fixed, fixed_variable, collections, profit, costs = [], [], [], [], []
        for month in months:
            payroll = calculator.month(month)
            row = [0] * len(employees)
            variable = 0
            for line in payroll.lines:
                row[index[line.employee_id]] += _cents(line.amount)
                if line.kind in VARIABLE_PAY_KINDS:
                    variable += _cents(line.amount)
            fixed.append(row)
            fixed_variable.append(variable)
            collections.append(_cents(payroll.company.collections))
            profit.append(_cents(payroll.company.gross_profit))
            costs.append(_cents(payroll.company.fixed_costs))
        employed = [sum(1 for m in months if overlap_days(m.first, m.last, e.hired_on, e.left_on))
                    for e in employees]
        bases = cls(history, template, share, pool, bonus, months, employees, fixed,
                    fixed_variable, collections, profit, costs, employed, ids=index)
        bases.share_lines = _share_lines(calculator, share, months, index)
        bases.markets = [_cents(e.market_salary or Decimal(0)) for e in employees]
        by_id = {e.id: e for e in employees}
        if pool is not None:
            params: CollectionsPool = pool.params
            for month in months:
                bases.pool_collections.append(collections_of(
                    calculator.by_month.get(month, []), calculator.deals, calculator.clients,
                    pool.plan, params.department))
                bases.pool_members.append(plan_members(by_id, month, pool.plan))
        if bonus is not None:
            how = bonus.params.split
            for month in months:
                members = plan_members(by_id, month, bonus.plan)
                weights = [(e.id, (e.pool_weight if how == "weight" else Decimal(1)) * days)
                           for e, days in members]
                month_groups = _grouped(members, weights, index)
                for _weight, people in month_groups.groups:
                    key = tuple(people)
                    if key not in bases.bonus_groups:
                        bases.bonus_groups.append(key)
                    month_groups.group_ids.append(bases.bonus_groups.index(key))
                bases.bonus_months.append(month_groups)
        return bases

    # Per component, computed once per parameter value --------------------------------------
    def share_table(self, rate: Decimal) -> list[list[int]]:
        """Kopecks per (N − first) of ``[month × employee]`` for deals first..N at ``rate``."""
        cached = self._share_cache.get(rate)
        if cached is not None:
            return cached
        scaled = rate * RATE_SCALE
        if scaled != scaled.to_integral_value():
            raise DesignError(f"the rate {rate} has more than four decimals")
        r = int(scaled)
        width = len(self.employees)
        cells = len(self.months) * width
        buckets = [0] * (cells * MAX_LAST)
        for bucket, twice, denominator, sign in zip(*self.share_lines, strict=True):
            buckets[bucket] += sign * ((r * twice + denominator) // (2 * denominator))
        first = self.share.params.first
        table = []
        running = [0] * cells
        for number in range(first, MAX_LAST + 1):
            offset = number - 1
            running = [running[cell] + buckets[cell * MAX_LAST + offset] for cell in range(cells)]
            table.append(running)
        self._share_cache[rate] = table
        return table

    def pool_table(self, option: PoolOption | None) -> list[list[int]]:
        """Kopecks per month and employee of a pool option, split by the engine itself."""
        cached = self._pool_cache.get(option)
        if cached is not None:
            return cached
        rows = []
        for m in range(len(self.months)):
            row = [0] * len(self.employees)
            if option is not None:
                amount = round_money(option.params.pool(self.pool_collections[m]))
                for employee, _days, _weight, part in share_pool(
                        amount, self.pool_members[m], option.params.split):
                    row[self.ids[employee.id]] += _cents(part)
            rows.append(row)
        self._pool_cache[option] = rows
        return rows

    def bonus_split(self, m: int, pool: int) -> list[tuple[int, int]]:
        """``(employee index, kopecks)`` of a break-even pool of ``pool`` kopecks in month ``m``."""
        month = self.bonus_months[m]
        parts = self._bonus_parts(month, pool)
        if parts is None:
            return self._engine_split(month, pool)
        cuts, firsts = parts
        return [(person, cut + (i < first))
                for cut, first, (_, people) in zip(cuts, firsts, month.groups, strict=True)
                for i, person in enumerate(people)]

    def bonus_into(self, m: int, pool: int, tally: _Tally) -> int:
        """Add a month's break-even shares to ``tally`` group by group (a member's share is the
        group's cut, plus a kopeck for the first few of the group); the kopecks paid."""
        month = self.bonus_months[m]
        parts = self._bonus_parts(month, pool)
        if parts is None:
            for person, part in self._engine_split(month, pool):
                tally.single.append((person, part))
            return pool
        cuts, firsts = parts
        for group, cut, first in zip(month.group_ids, cuts, firsts, strict=True):
            tally.cuts[group] += cut
            if first:
                tally.firsts[group][first - 1] += 1
        return pool if month.whole > 0 and pool > 0 else 0

    def _bonus_parts(self, month: _Month, pool: int) -> tuple[list[int], list[int]] | None:
        """Per weight group its cut and how many of its first members get a kopeck more; None
        where a tie across two weights straddles the last kopeck (the engine decides those)."""
        if pool <= 0 or month.whole <= 0:
            return [0] * len(month.groups), [0] * len(month.groups)
        if len(month.groups) == 1:  # one weight: the same cut, the kopecks left by id
            ((weight, people),) = month.groups
            cut = pool * weight // month.whole
            return [cut], [pool - cut * len(people)]
        cuts = [divmod(pool * weight, month.whole) for weight, _ in month.groups]
        left = pool - sum(cut * len(people) for (cut, _), (_, people) in
                          zip(cuts, month.groups, strict=True))
        firsts = [0] * len(cuts)
        order = sorted(range(len(cuts)), key=lambda g: -cuts[g][1])
        position = 0
        while left > 0:
            remainder = cuts[order[position]][1]
            tied = [order[position]]
            while position + len(tied) < len(order) and \
                    cuts[order[position + len(tied)]][1] == remainder:
                tied.append(order[position + len(tied)])
            size = sum(len(month.groups[g][1]) for g in tied)
            if left >= size:
                for g in tied:
                    firsts[g] = len(month.groups[g][1])
                left -= size
            elif len(tied) == 1:
                firsts[tied[0]] = left
                left = 0
            else:
                return None
            position += len(tied)
        return [cut for cut, _ in cuts], firsts

    def _engine_split(self, month: _Month, pool: int) -> list[tuple[int, int]]:
        shares = split(Decimal(pool).scaleb(-2), month.weights)
        return [(self.ids[e.id], _cents(s)) for (e, _), s in zip(month.members, shares,
                                                                 strict=True)]

    # Plans ----------------------------------------------------------------------------------
    def plans_for(self, params: Params) -> PlanSet:
        """The template with the candidate's parameters."""
        changes: dict[tuple[int, int], Any] = {
            (self.share.plan_index, self.share.component_index):
                replace(self.share.params, rate=params.share_rate, last=params.share_last)}
        if self.pool is not None and params.pool is not None:
            changes[self.pool.plan_index, self.pool.component_index] = params.pool.params
        if self.bonus is not None and params.bonus_share is not None:
            changes[self.bonus.plan_index, self.bonus.component_index] = replace(
                self.bonus.params, share=params.bonus_share)
        plans = []
        for i, plan in enumerate(self.template.plans):
            components = tuple(replace(c, params=changes[i, j]) if (i, j) in changes else c
                               for j, c in enumerate(plan.components))
            plans.append(replace(plan, components=components))
        return PlanSet(tuple(plans))

    def raw_plan(self, raw: Mapping[str, Any], params: Params) -> dict[str, Any]:
        """The template's TOML tables with the candidate's parameters written in."""
        result: dict[str, Any] = dict(raw)
        tables = [dict(table) for table in raw["plans"]]
        for table in tables:
            table["components"] = [dict(c) for c in table["components"]]
        result["plans"] = tables
        share = tables[self.share.plan_index]["components"][self.share.component_index]
        share["rate"] = params.share_rate
        share["ordinals"] = [self.share.params.first, params.share_last]
        if self.pool is not None and params.pool is not None:
            pool = tables[self.pool.plan_index]["components"][self.pool.component_index]
            if params.pool.params.rate is not None:
                pool["rate"] = params.pool.params.rate
            else:
                pool["tiers"] = [
                    {"from": t.low, **({} if t.high is None else {"to": t.high}), "rate": t.rate}
                    for t in params.pool.params.tiers]
        if self.bonus is not None and params.bonus_share is not None:
            tables[self.bonus.plan_index]["components"][self.bonus.component_index]["share"] = \
                params.bonus_share
        return result


def _targets(template: PlanSet) -> tuple[Target, Target | None, Target | None]:
    found: dict[str, list[Target]] = defaultdict(list)
    for i, plan in enumerate(template.plans):
        for j, component in enumerate(plan.components):
            found[component.kind].append(Target(i, j, plan, component))

    def pick(kind: str, role: str) -> Target | None:
        candidates = found.get(kind, [])
        for target in candidates:
            if role in target.plan.roles:
                return target
        return candidates[0] if candidates else None

    share = pick("deal_profit_share", "hunter")
    if share is None:
        raise DesignError("the plan in force has no deal_profit_share component for the hunters")
    if share.params.first > MAX_LAST:
        raise DesignError(f"the hunters' share starts at deal {share.params.first}, after "
                          f"deal {MAX_LAST}")
    if len(found.get("breakeven_bonus", [])) > 1:
        raise DesignError("the plan in force has more than one breakeven_bonus component; the "
                          "designer varies one")
    bonus = found["breakeven_bonus"][0] if found.get("breakeven_bonus") else None
    return share, pick("collections_pool", "account_manager"), bonus


def _cents(value: Decimal) -> int:
    scaled = value.scaleb(2)
    whole = int(scaled)
    if whole != scaled:
        raise DesignError(f"{value} is not a whole number of kopecks")
    return whole


def _share_lines(calculator: Calculator, target: Target, months: list[Month],
                 index: Mapping[str, int]) -> tuple[list[int], list[int], list[int], list[int]]:
    """Each line the share component would write for any rate, as the exact fraction of kopecks
    the rate multiplies (``deal_profit_share._on_payment`` and ``_on_win``, condition for
    condition), with the deal numbers first..10."""
    params: DealProfitShare = target.params
    plan = target.plan
    width = len(index)
    buckets: list[int] = []
    twice: list[int] = []
    denominators: list[int] = []
    signs: list[int] = []

    def add(m: int, employee_id: str, number: int, numerator: int, denominator: int) -> None:
        if numerator == 0:
            return
        buckets.append((m * width + index[employee_id]) * MAX_LAST + number - 1)
        twice.append(2 * abs(numerator))
        denominators.append(denominator * RATE_SCALE)
        signs.append(1 if numerator > 0 else -1)

    def counts(number: int) -> bool:
        return params.first <= number <= MAX_LAST

    employees, clients = calculator.employees, calculator.clients
    covers: dict[str, bool] = {}
    kopecks: dict[str, tuple[int, int]] = {}
    for m, month in enumerate(months):
        if params.timing == "on_win":
            for sign, deals in ((1, calculator.won.get(month, [])),
                                (-1, calculator.cancelled.get(month, []))):
                for deal in deals:
                    if not counts(deal.number) or not plan.in_effect(deal.won_on):
                        continue
                    employee = credited_employee(clients, employees, params.credit_to, deal,
                                                 deal.won_on)
                    if deal.profit <= 0 or employee is None or not plan.covers(employee):
                        continue
                    day = deal.won_on if sign > 0 else deal.cancelled_on
                    assert day is not None
                    if sign < 0 and not (employee.employed_on(deal.won_on)
                                         or params.pay_after_leaving):
                        continue
                    if employee.employed_on(day) or params.pay_after_leaving:
                        add(m, employee.id, deal.number, sign * _cents(deal.profit), 1)
            continue
        # A million-deal history has a quarter of a million allocations in a year: the deal's
        # figures in kopecks and whether the plan covers an employee are worked out once.
        for allocation, counted in calculator.by_month.get(month, []):
            deal = calculator.deals[allocation.deal_id]
            day = allocation.effective_on
            if not counts(deal.number) or not plan.in_effect(day):
                continue
            if counted == 0 or deal.profit <= 0 or deal.amount == 0:
                continue
            employee = credited_employee(clients, employees, params.credit_to, deal, day)
            if employee is None:
                continue
            covered = covers.get(employee.id)
            if covered is None:
                covered = covers[employee.id] = plan.covers(employee)
            if not covered or not (employee.employed_on(day) or params.pay_after_leaving):
                continue
            figures = kopecks.get(deal.id)
            if figures is None:
                figures = kopecks[deal.id] = (_cents(deal.profit), _cents(deal.amount))
            numerator = figures[0] * _cents(counted)
            buckets.append((m * width + index[employee.id]) * MAX_LAST + deal.number - 1)
            twice.append(2 * abs(numerator))
            denominators.append(figures[1] * RATE_SCALE)
            signs.append(1 if numerator > 0 else -1)
    return buckets, twice, denominators, signs


def _grouped(members: list[tuple[Employee, int]], weights: list[tuple[str, Decimal]],
             index: Mapping[str, int]) -> _Month:
    exponent = min((w.as_tuple().exponent for _, w in weights), default=0)
    scale = Decimal(10) ** max(0, -int(exponent))
    groups: dict[int, list[int]] = {}
    for employee_id, weight in weights:
        groups.setdefault(int(weight * scale), []).append(index[employee_id])
    whole = sum(weight * len(people) for weight, people in groups.items())
    return _Month(members, weights, list(groups.items()), whole)


# Evaluating -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """A candidate's figures in kopecks: pay per month and employee, and the company's."""

    params: Params
    pay: list[list[int]]
    variable_pay: list[int]
    operating_result: list[int]
    bonus: list[int]


def _half_up(numerator: int, denominator: int) -> int:
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def bonus_pool(share: Decimal | None, result: int) -> int:
    """``round(share × max(0, O))`` in kopecks."""
    if share is None or result <= 0:
        return 0
    return _half_up(int(share * RATE_SCALE) * result, RATE_SCALE)


def evaluate(bases: Bases, params: Params) -> Outcome:
    """One candidate month by month (the search adds the same figures up over the range)."""
    shares = bases.share_table(params.share_rate)[params.share_last - bases.share.params.first]
    pools = bases.pool_table(params.pool)
    width = len(bases.employees)
    pay, variable, result, bonuses = [], [], [], []
    for m in range(len(bases.months)):
        row = [bases.fixed[m][e] + shares[m * width + e] + pools[m][e] for e in range(width)]
        v = bases.fixed_variable[m] + sum(shares[m * width:(m + 1) * width]) + sum(pools[m])
        o = bases.gross_profit[m] - bases.fixed_costs[m] - v
        paid = 0
        if bases.bonus is not None:
            for person, part in bases.bonus_split(m, bonus_pool(params.bonus_share, o)):
                row[person] += part
                paid += part
        pay.append(row)
        variable.append(v)
        result.append(o)
        bonuses.append(paid)
    return Outcome(params, pay, variable, result, bonuses)


# Searching ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    params: Params
    hunters_median: Decimal | None
    hunters_lowest: Decimal | None
    managers_lowest: Decimal | None
    variable_pay: Decimal
    operating_result: Decimal
    bonus: Decimal
    breakeven_revenue: Decimal | None
    """A month, at the range's margin: F × R / (G − V) over the range, ÷ months."""
    months_above: int
    meets: bool
    shortfall: Decimal
    """How far the requirements are from being met, added up (in pay ÷ market); 0 when all
    are."""

    @property
    def result_after_bonus(self) -> Decimal:
        return self.operating_result - self.bonus


@dataclass(frozen=True)
class Search:
    evaluated: int
    best: tuple[Candidate, ...]
    """The best candidates that meet the targets, best first (one of each set of candidates with
    the same figures); if none does, the closest."""
    met: int
    hunters: tuple[str, ...]
    """The ids of the hunters and account managers held to the targets."""
    managers: tuple[str, ...]


def _ratio(total: int, months: int, market: int) -> int:
    """Pay a month ÷ market in hundredths, as the simulation shows it
    (``EmployeePay.against_market``: the month's average rounded half up to the kopeck, the
    ratio to 0.01 half to even), in integers."""
    average = _half_up(total, months)
    quotient, remainder = divmod(abs(average) * 100, market)
    if 2 * remainder > market or (2 * remainder == market and quotient % 2):
        quotient += 1
    return quotient if average >= 0 else -quotient


def run_search(bases: Bases, grid: Grid, targets: Targets, *, keep: int = 5,
               progress: Any = None) -> Search:
    """Every candidate of the grid; the best ``keep`` that meet ``targets`` by the result after
    the break-even bonus (then the lower variable pay), or the closest ``keep`` when none does."""
    width = len(bases.employees)
    hunters = [i for i, e in enumerate(bases.employees)
               if e.role == "hunter" and e.market_salary and bases.months_employed[i]
               and _pays(bases, i)]
    managers = [i for i, e in enumerate(bases.employees)
                if e.role == "account_manager" and e.market_salary and bases.months_employed[i]
                and _pays(bases, i)]
    months = range(len(bases.months))
    fixed_total = [sum(bases.fixed[m][e] for m in months) for e in range(width)]
    totals_of_costs = sum(bases.fixed_costs)
    collected = sum(bases.collections)
    profit = sum(bases.gross_profit)
    pool_totals = []
    for option in grid.pools:
        rows = bases.pool_table(option)
        pool_totals.append(([sum(rows[m][e] for m in months) for e in range(width)],
                            [sum(rows[m]) for m in months]))
    scored: list[tuple[tuple[Any, ...], Candidate]] = []
    evaluated = met = 0
    for rate in grid.share_rates:
        table = bases.share_table(rate)
        for last in grid.share_lasts:
            shares = table[last - bases.share.params.first]
            share_total = [sum(shares[m * width + e] for m in months) for e in range(width)]
            share_month = [sum(shares[m * width:(m + 1) * width]) for m in months]
            for number, option in enumerate(grid.pools):
                pool_total, pool_month = pool_totals[number]
                base = [fixed_total[e] + share_total[e] + pool_total[e] for e in range(width)]
                variable = [bases.fixed_variable[m] + share_month[m] + pool_month[m]
                            for m in months]
                result = [bases.gross_profit[m] - bases.fixed_costs[m] - variable[m]
                          for m in months]
                for bonus_share in grid.bonus_shares:
                    totals = list(base)
                    paid = 0
                    if bases.bonus is not None:
                        tally = _Tally.of(bases.bonus_groups)
                        for m in months:
                            paid += bases.bonus_into(m, bonus_pool(bonus_share, result[m]), tally)
                        tally.add_to(totals, bases.bonus_groups)
                    candidate = _candidate(
                        bases, Params(rate, last, option, bonus_share), targets, totals,
                        hunters, managers, sum(variable), sum(result), paid,
                        sum(1 for o in result if o >= 0), totals_of_costs, collected, profit)
                    evaluated += 1
                    met += candidate.meets
                    scored.append(((not candidate.meets, candidate.shortfall,
                                    -candidate.result_after_bonus, candidate.variable_pay,
                                    evaluated), candidate))
        if progress is not None:
            progress(evaluated, grid.size)
    scored.sort(key=lambda pair: pair[0])
    best: list[Candidate] = []
    seen: set[tuple[Any, ...]] = set()
    for _key, candidate in scored:
        # Candidates with the very same figures (deals 6–10 that nobody had, say) show once:
        # the first, with the lowest parameters.
        figures = (candidate.hunters_median, candidate.hunters_lowest, candidate.managers_lowest,
                   candidate.variable_pay, candidate.operating_result, candidate.bonus)
        if figures not in seen:
            seen.add(figures)
            best.append(candidate)
            if len(best) == keep:
                break
    return Search(evaluated, tuple(best), met,
                  tuple(bases.employees[e].id for e in hunters),
                  tuple(bases.employees[e].id for e in managers))


def _pays(bases: Bases, e: int) -> bool:
    """Whether the employee is paid in the range under the template (as the simulation lists)."""
    return any(row[e] for row in bases.fixed)


def _candidate(bases: Bases, params: Params, targets: Targets, totals: list[int],
               hunters: list[int], managers: list[int], variable: int, result: int, bonus: int,
               above: int, costs: int, collected: int, profit: int) -> Candidate:
    def ratios(people: list[int]) -> list[int]:
        return [_ratio(totals[e], bases.months_employed[e], bases.markets[e]) for e in people]

    hunter_ratios = ratios(hunters)
    manager_ratios = ratios(managers)
    middle = median(hunter_ratios)
    middle = None if middle is None else middle / 100
    lowest = None if not hunter_ratios else Decimal(min(hunter_ratios)).scaleb(-2)
    lowest_manager = None if not manager_ratios else Decimal(min(manager_ratios)).scaleb(-2)
    gaps = []
    if middle is not None:
        gaps.append(targets.hunter_multiple - middle)
    if lowest is not None:
        gaps.append(targets.lowest - lowest)
    if lowest_manager is not None:
        gaps.append(targets.manager_multiple - lowest_manager)
    shortfall = sum((gap for gap in gaps if gap > 0), Decimal(0))
    margin = profit - variable
    breakeven = None
    if margin > 0 and collected != 0 and bases.months:
        breakeven = round_money(
            (Decimal(costs) * collected / margin / len(bases.months)).scaleb(-2))
    return Candidate(
        params, middle, lowest, lowest_manager, Decimal(variable).scaleb(-2),
        Decimal(result).scaleb(-2), Decimal(bonus).scaleb(-2), breakeven, above,
        shortfall == 0, shortfall)


# Checking -------------------------------------------------------------------------------------

def check(bases: Bases, outcome: Outcome, simulation: Simulation | Sequence[Payroll]
          ) -> list[str]:
    """Every difference between a candidate's fast figures and a full simulation of its plan,
    per month and employee and for the company's *V* and *O*; empty when they agree."""
    months = simulation.months if isinstance(simulation, Simulation) else tuple(simulation)
    problems = []
    for m, payroll in enumerate(months):
        totals = payroll.totals()
        for e, employee in enumerate(bases.employees):
            fast = Decimal(outcome.pay[m][e]).scaleb(-2)
            slow = totals.get(employee.id, Decimal(0))
            if fast != slow:
                problems.append(f"{payroll.month} {employee.id}: {fast} against {slow}")
        for name, fast_cents, slow in (
                ("V", outcome.variable_pay[m], payroll.company.variable_pay),
                ("O", outcome.operating_result[m], payroll.company.operating_result)):
            if Decimal(fast_cents).scaleb(-2) != slow:
                problems.append(f"{payroll.month} {name}: {Decimal(fast_cents).scaleb(-2)} "
                                f"against {slow}")
    return problems


__all__ = ["CENT", "Bases", "Candidate", "DesignError", "Grid", "Outcome", "Params",
           "PoolOption", "Search", "Targets", "bonus_pool", "check", "evaluate", "run_search"]
