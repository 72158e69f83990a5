from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, Sum

from salesrelay.analytics.views import PAGES as ANALYTICS_PAGES
from salesrelay.analytics.views import dashboard_context
from salesrelay.clients.models import Client
from salesrelay.compensation.choices import LineSource, PeriodStatus
from salesrelay.compensation.models import PayoutLine
from salesrelay.compensation.stakes import stakes_of
from salesrelay.deals.choices import DealStatus
from salesrelay.deals.models import Deal
from salesrelay.payments.models import Payment
from salesrelay.people.access import viewer_of
from salesrelay.pipeline.models import PipelineStage
from salesrelay.pipeline.selectors import my_day
from salesrelay.web.htmx import render_page


@login_required
def home(request):
    viewer = viewer_of(request)
    today = date.today()
    context: dict = {"today": today}
    if viewer.may("analytics:index"):  # the director, the heads, the accountant
        context.update(dashboard_context(viewer, today=today))
    else:  # a hunter or an account manager: the analytics of their own slice
        context["my_analytics"] = [(f"analytics:{name}", page.title)
                                   for name, page in ANALYTICS_PAGES.items()
                                   if viewer.may(f"analytics:{name}")]
    if viewer.employee is not None:  # every role's home starts with the day's tasks
        context["day"] = my_day(viewer.employee)
    if viewer.works_acquisition:
        deals = viewer.deals().filter(status=DealStatus.OPEN, client__handed_off_on__isnull=True)
        counts = dict(deals.values_list("stage_id").annotate(n=Count("id")))
        context["pipeline"] = [(s, counts.get(s.pk, 0)) for s in PipelineStage.objects.all()]
        context["won_this_month"] = viewer.deals().filter(
            status=DealStatus.WON, number=1, won_on__gte=today.replace(day=1)).count()
    if viewer.works_accounts:
        clients = viewer.clients()
        if viewer.is_account_manager:
            clients = clients.filter(owner=viewer.employee)
        context["portfolio_count"] = clients.count()
        context["queue_count"] = viewer.clients().filter(
            owner__isnull=True, handed_off_on__isnull=False).count()
    if viewer.may("payments:list"):
        # The ten latest by the index of the list's order first, then their client and deal
        # (joined at once, SQLite would walk every client's payments to sort them all).
        latest_ids = list(Payment.objects.restrict(viewer).order_by("-received_on", "-id")
                          .values_list("pk", flat=True)[:10])
        context["recent_payments"] = (Payment.objects.filter(pk__in=latest_ids)
                                      .select_related("client", "deal")
                                      .order_by("-received_on", "-id"))
    if viewer.is_hunter:
        # The hunter's clients with a won deal among their first five, each client tested on its
        # own deals: the distinct clients of the won deals joined to them read every won deal of
        # the history on SQLite (0.2 s on the 1M-deal history).
        context["my_clients"] = Client.objects.filter(acquired_by=viewer.employee).filter(
            Exists(Deal.objects.filter(client=OuterRef("pk"), status=DealStatus.WON,
                                       number__lte=5))).count()
    # The hunter's stake is an engine run of the month per open deal (seconds for a few hundred
    # deals): the card fetches it once the page is shown (at_stake below).
    context["stake_card"] = viewer.is_hunter
    if viewer.employee is not None:
        latest = (PayoutLine.objects.filter(employee=viewer.employee)
                  .exclude(period__status=PeriodStatus.OPEN).exclude(source=LineSource.FORFEITED)
                  .values("period__month", "period__status").annotate(total=Sum("amount"))
                  .order_by("-period__month").first())
        if latest is not None:
            context["my_pay"] = {"month": f"{latest['period__month']:%Y-%m}",
                                 "status": PeriodStatus(latest["period__status"]).label,
                                 "total": latest["total"]}
    return render_page(request, "web/home.html", context)


@login_required
def at_stake(request):
    """The hunter's home card "At stake in my open deals", fetched by the home page after it
    is shown (and its own page without JavaScript)."""
    viewer = viewer_of(request)
    return render_page(request, "web/at_stake.html", {"at_stake": _at_stake(viewer)},
                       partial="web/at_stake_card.html")


def _at_stake(viewer) -> dict:
    """The hunter's share of the open deals they own or whose client they brought, each as if it
    alone were won and paid in full this month."""
    deals = list(viewer.deals().filter(status=DealStatus.OPEN)
                 .filter(Q(owner=viewer.employee) | Q(client__acquired_by=viewer.employee))
                 .select_related("owner"))
    stakes = stakes_of(deals, viewer).values()
    shares = [share for stake in stakes if (share := stake.share_of(viewer.employee)) is not None]
    return {"total": sum(shares, Decimal(0)), "deals": len(shares)}
