"""The acquisition board: open deals of prospects, grouped by stage, in two queries."""

from salesrelay.deals.choices import DealStatus
from salesrelay.pipeline.models import PipelineStage


def board_columns(deals):
    stages = list(PipelineStage.objects.all())
    cards = (deals.filter(status=DealStatus.OPEN, client__handed_off_on__isnull=True)
             .select_related("client", "owner").order_by("created_on", "id"))
    by_stage: dict[int | None, list] = {s.pk: [] for s in stages}
    first = stages[0].pk if stages else None
    for deal in cards:
        by_stage.setdefault(deal.stage_id or first, []).append(deal)
    return [(stage, by_stage[stage.pk]) for stage in stages]
