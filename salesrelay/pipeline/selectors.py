"""The acquisition board: the open deals of prospects by stage, then what was won and lost in the
last ``CLOSED_DAYS`` days, in a fixed number of queries.

Each card says how long the deal has been in its stage (since its last move on the board, else
since it was opened) and the next planned activity with its client; each column its count and
its value in the installation's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Max, Q
from django.utils import timezone

from salesrelay.audit.models import AuditEntry
from salesrelay.deals.choices import DealStatus
from salesrelay.engine.money import ZERO
from salesrelay.pipeline.models import Activity, PipelineStage

if TYPE_CHECKING:
    from salesrelay.compensation.stakes import DealStake
    from salesrelay.deals.models import Deal

CLOSED_DAYS = 30


@dataclass(frozen=True)
class Card:
    deal: Deal
    days_in_stage: int
    next_activity: Activity | None
    stake: DealStake | None = None  # what the open deal would pay, where the viewer sees it


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    cards: list[Card]
    closed: bool  # the won and lost columns: deals land there, they do not leave

    @property
    def total(self) -> Decimal:
        return sum((card.deal.amount for card in self.cards), ZERO)


def board_columns(deals, *, today: date | None = None) -> list[Column]:
    today = today or date.today()
    stages = list(PipelineStage.objects.all())
    since = today - timedelta(days=CLOSED_DAYS)
    # Three queries, each on its own index, rather than one with the three ORed: SQLite then
    # reads every deal of the history (2.4 s on the 1M-deal history for an empty board).
    rows = sorted(
        (deal for part in (Q(status=DealStatus.OPEN, client__handed_off_on__isnull=True),
                           Q(status=DealStatus.WON, number=1, won_on__gte=since),
                           Q(status=DealStatus.LOST, closed_on__gte=since))
         for deal in deals.filter(part).select_related("client", "owner").order_by()),
        key=lambda deal: (deal.created_on, deal.pk))
    moved = dict(AuditEntry.objects.filter(
        object_type="deal", action="deal.move",
        object_ref__in=[d.ref for d in rows if d.status == DealStatus.OPEN])
        .values("object_ref").annotate(last=Max("at")).values_list("object_ref", "last"))
    upcoming: dict[int, Activity] = {}
    for activity in (Activity.objects.filter(client__in={d.client_id for d in rows},
                                             done_on__isnull=True, planned_on__gte=today)
                     .order_by("-planned_on", "-id")):
        upcoming[activity.client_id] = activity  # the earliest comes last and stays

    def card(deal) -> Card:
        entered = moved.get(deal.ref)
        start = entered.date() if entered is not None else deal.created_on
        return Card(deal, max(0, (today - start).days), upcoming.get(deal.client_id))

    first = stages[0].pk if stages else None
    by_stage: dict[int | None, list[Card]] = {s.pk: [] for s in stages}
    won, lost = [], []
    for deal in rows:
        if deal.status == DealStatus.WON:
            won.append(card(deal))
        elif deal.status == DealStatus.LOST:
            lost.append(card(deal))
        else:
            by_stage.setdefault(deal.stage_id or first, []).append(card(deal))
    return [Column(s.code, s.label, by_stage[s.pk], False) for s in stages] + [
        Column("won", str(DealStatus.WON.label), won, True),
        Column("lost", str(DealStatus.LOST.label), lost, True)]


@dataclass(frozen=True)
class Day:
    """An employee's tasks as their home page starts: what is overdue from earlier days, what is
    due today (overdue too once its time has passed: ``Activity.is_overdue``), what comes in the
    next ``WEEK_DAYS`` days; each list in the order it is to be done."""

    overdue: list[Activity]
    today: list[Activity]
    coming: list[Activity]
    now: datetime

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.today or self.coming)


WEEK_DAYS = 7
DAY_LIMIT = 100  # per list: a day with more than that is not read on a home page


def my_day(employee, *, now: datetime | None = None) -> Day:
    """``now`` is local (the installation's TIME_ZONE); three queries."""
    now = now or timezone.localtime()
    today = now.date()
    tasks = (Activity.objects.filter(employee=employee, done_on__isnull=True)
             .select_related("client").order_by("planned_on", F("planned_at").asc(nulls_last=True),
                                                "id"))
    return Day(
        overdue=list(tasks.filter(planned_on__lt=today)[:DAY_LIMIT]),
        today=list(tasks.filter(planned_on=today)[:DAY_LIMIT]),
        coming=list(tasks.filter(planned_on__gt=today,
                                 planned_on__lte=today + timedelta(days=WEEK_DAYS))[:DAY_LIMIT]),
        now=now)
