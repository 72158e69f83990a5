"""Writes to deals: opening, lines and costs, the pipeline stages, winning, losing, cancelling.

``win_deal`` is where the case's central event happens, all in one transaction: the deal gets its
number among the client's won deals, takes any credit the client has, and, for the client's first
deal, the client is handed off to account management.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.clients.actions import create_prospect, hand_off
from salesrelay.clients.models import Client
from salesrelay.deals.choices import CostCategory, DealStatus
from salesrelay.deals.models import Deal, DealLine, DirectCost, Product
from salesrelay.engine.money import ZERO, round_money
from salesrelay.engine.ordinals import next_number
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_amount, require_day, require_fields
from salesrelay.payments.ledger import load_ledger, store_allocations
from salesrelay.people.choices import Department
from salesrelay.people.models import Employee
from salesrelay.pipeline.models import PipelineStage
from salesrelay.refs import give_ref, placeholder_ref


@dataclass(frozen=True)
class LineInput:
    product: Product | None
    quantity: Decimal
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None
    description: str = ""


def _locked(deal: Deal) -> Deal:
    return Deal.objects.select_for_update(of=("self",)).select_related("client").get(pk=deal.pk)


def _require_open(deal: Deal) -> None:
    if deal.status != DealStatus.OPEN:
        raise ActionError(ErrorCode.DEAL_NOT_OPEN, _("Deal %(ref)s is %(status)s, not open.") % {
            "ref": deal.ref, "status": deal.get_status_display()})


def _line(deal: Deal, line: LineInput) -> DealLine:
    if line.quantity <= 0:
        raise ActionError(ErrorCode.INVALID, _("A line's quantity must be above zero."))
    if line.product is None and (line.unit_price is None or not line.description):
        raise ActionError(ErrorCode.INVALID, _(
            "A line without a product needs a description and a unit price."))
    if line.unit_price is not None:
        price = line.unit_price
    else:
        assert line.product is not None  # a line without a product has a price (checked above)
        price = line.product.price
    cost = line.unit_cost if line.unit_cost is not None else (
        line.product.unit_cost if line.product else ZERO)
    if price < 0 or cost < 0:
        raise ActionError(ErrorCode.INVALID, _("Prices and costs cannot be negative."))
    require_amount(line.quantity, "quantity", places=3)
    require_amount(price, "unit_price")
    require_amount(cost, "unit_cost")
    require_amount(line.quantity * price, "amount", places=5)
    require_fields(DealLine, description=line.description)
    return DealLine(deal=deal, product=line.product, description=line.description,
                    quantity=line.quantity, unit_price=price, unit_cost=cost)


def _recompute_totals(deal: Deal) -> None:
    lines = list(DealLine.objects.filter(deal=deal).values_list("quantity", "unit_price", "unit_cost"))
    if lines or deal.status == DealStatus.OPEN:
        # A deal imported without lines keeps the amount and cost it was given.
        deal.amount = sum((round_money(q * p) for q, p, _c in lines), ZERO)
        deal.goods_cost = sum((round_money(q * c) for q, _p, c in lines), ZERO)
    deal.direct_cost = DirectCost.objects.filter(deal=deal).aggregate(s=Sum("amount"))["s"] or ZERO
    deal.save(update_fields=["amount", "goods_cost", "direct_cost"])


@transaction.atomic
def open_deal(
    *,
    client: Client,
    owner: Employee,
    acting_user,
    created_on: date | None = None,
    title: str = "",
    stage: PipelineStage | None = None,
    lines: Sequence[LineInput] = (),
    direct_costs: Sequence[tuple[str, Decimal]] = (),
) -> Deal:
    on = require_day(created_on, "created_on") or date.today()
    require_fields(Deal, title=title)
    if not owner.is_employed_on(on):
        raise ActionError(ErrorCode.NOT_EMPLOYED, _("%(name)s is not employed on %(day)s.") % {
            "name": owner.name, "day": on.isoformat()})
    # Read afresh under the client's lock: a handoff may have happened since ``client`` was read.
    client = Client.objects.select_for_update().get(pk=client.pk)
    _require_owner_of_department(client, owner)
    if stage is None and client.handed_off_on is None:
        stage = PipelineStage.objects.order_by("position").first()
    deal = Deal.objects.create(ref=placeholder_ref(), client=client, owner=owner, title=title,
                               stage=stage, created_on=on)
    give_ref(deal)
    DealLine.objects.bulk_create(_line(deal, line) for line in lines)
    for category, amount in direct_costs:
        _direct_cost(deal, category, amount)
    _recompute_totals(deal)
    record("deal.open", deal, actor=acting_user, client=client.ref, owner=owner.ref,
           amount=deal.amount)
    return deal


@transaction.atomic
def create_prospect_with_first_deal(*, prospect: dict, hunter: Employee | None,
                                    lines: Sequence[LineInput], acting_user,
                                    title: str = "") -> Deal:
    """A new prospect and its first deal with its lines, all or nothing: the prospect's own
    checks (``create_prospect``: the name, the INN, duplicates) and the deal's (``open_deal``:
    each line) in one transaction. ``prospect`` holds ``create_prospect``'s keywords; an error
    of the deal names the field ``lines`` when it names none."""
    if hunter is None:
        raise ActionError(ErrorCode.INVALID, _(
            "A first deal needs the hunter who owns the prospect: choose one."), field="hunter")
    if not lines:
        raise ActionError(ErrorCode.INVALID, _("A first deal needs at least one line."))
    client = create_prospect(**prospect, hunter=hunter, acting_user=acting_user)
    try:
        return open_deal(client=client, owner=hunter, lines=lines, title=title,
                         acting_user=acting_user, created_on=client.created_on)
    except ActionError as error:  # the deal's: said of its lines, unless of a field of its own
        raise ActionError(error.code, error.message, field=error.field or "lines") from error


def _require_owner_of_department(client: Client, owner: Employee) -> None:
    """After the handoff a client's deals belong to account management (a hunter's deal 2 would
    be inside the hunter's own paid first five); before it, to acquisition."""
    department = (Department.ACCOUNT_MANAGEMENT if client.handed_off_on is not None
                  else Department.ACQUISITION)
    if owner.department != department:
        raise ActionError(ErrorCode.DEAL_OWNER, _(
            "%(client)s belongs to %(department)s: its deals are owned there, not by %(name)s.")
            % {"client": client.name, "department": Department(department).label,
               "name": owner.name})


def _direct_cost(deal: Deal, category: str, amount: Decimal, note: str = "") -> DirectCost:
    if category not in CostCategory.values:
        raise ActionError(ErrorCode.INVALID, _("Unknown cost category %(category)s.") % {
            "category": category})
    if amount < 0:
        raise ActionError(ErrorCode.INVALID, _("A direct cost cannot be negative."))
    require_amount(amount, "amount")
    require_fields(DirectCost, note=note)
    return DirectCost.objects.create(deal=deal, category=category, amount=amount, note=note)


@transaction.atomic
def add_deal_line(deal: Deal, line: LineInput, *, acting_user) -> DealLine:
    deal = _locked(deal)
    _require_open(deal)
    created = _line(deal, line)
    created.save()
    _recompute_totals(deal)
    record("deal.add_line", deal, actor=acting_user, quantity=line.quantity,
           product=line.product.sku if line.product else line.description, amount=deal.amount)
    return created


@transaction.atomic
def remove_deal_line(line: DealLine, *, acting_user) -> Deal:
    deal = _locked(line.deal)
    _require_open(deal)
    line.delete()
    _recompute_totals(deal)
    record("deal.remove_line", deal, actor=acting_user, amount=deal.amount)
    return deal


@transaction.atomic
def add_direct_cost(deal: Deal, *, category: str, amount: Decimal, acting_user,
                    note: str = "") -> DirectCost:
    """A direct cost of an open deal, or one that arrives after the win (a delivery invoice):
    it lowers the deal's profit, and pay already locked for it is adjusted in the next open
    period."""
    deal = _locked(deal)
    if deal.status not in (DealStatus.OPEN, DealStatus.WON):
        raise ActionError(ErrorCode.DEAL_NOT_OPEN, _(
            "Deal %(ref)s is %(status)s; costs are added to open or won deals.") % {
            "ref": deal.ref, "status": deal.get_status_display()})
    cost = _direct_cost(deal, category, amount, note)
    _recompute_totals(deal)
    record("deal.add_direct_cost", deal, actor=acting_user, category=category, amount=amount,
           after_win=deal.status == DealStatus.WON)
    return cost


@transaction.atomic
def move_deal(deal: Deal, *, stage: PipelineStage, acting_user) -> Deal:
    deal = _locked(deal)
    _require_open(deal)
    before = deal.stage.code if deal.stage else None
    deal.stage = stage
    deal.save(update_fields=["stage"])
    record("deal.move", deal, actor=acting_user, before=before, after=stage.code)
    return deal


@transaction.atomic
def win_deal(deal: Deal, *, acting_user, won_on: date | None = None,
             account_manager: Employee | None = None) -> Deal:
    """Win a deal: number it, apply the client's credit and, for deal 1, hand the client off."""
    on = require_day(won_on, "won_on") or date.today()
    # The client row is the lock two writers of the same client meet on (wins and payments).
    client = Client.objects.select_for_update().get(pk=deal.client_id)
    deal = _locked(deal)
    _require_open(deal)
    if deal.amount <= 0:
        raise ActionError(ErrorCode.DEAL_EMPTY, _(
            "Deal %(ref)s has no amount: add its lines before winning it.") % {"ref": deal.ref})
    if on < deal.created_on:
        raise ActionError(ErrorCode.DATE_ORDER, _(
            "Deal %(ref)s was created on %(created)s and cannot be won on %(day)s.") % {
            "ref": deal.ref, "created": deal.created_on, "day": on})
    ledger = load_ledger(client)  # before the deal is saved as won: the ledger adds it below
    numbers = Deal.objects.filter(client=client).values_list("number", flat=True)
    deal.number = next_number(numbers)
    deal.status = DealStatus.WON
    deal.won_on = on
    deal.save(update_fields=["number", "status", "won_on"])
    allocated = ledger.win(deal.pk, won_on=on, amount=deal.amount, sort_id=deal.ref)
    store_allocations(allocated)
    record("deal.win", deal, actor=acting_user, number=deal.number, won_on=on,
           amount=deal.amount, profit=deal.profit,
           credit_applied=sum((a.amount for a in allocated), ZERO))
    handoff_on_payment = settings.SALESRELAY["HANDOFF_ON"] == "payment"
    if client.handed_off_on is None and (not handoff_on_payment or allocated):
        hand_off(client, on=on, to=account_manager, acting_user=acting_user)
    return deal


@transaction.atomic
def lose_deal(deal: Deal, *, acting_user, closed_on: date | None = None, reason: str = "") -> Deal:
    on = require_day(closed_on, "closed_on") or date.today()
    deal = _locked(deal)
    _require_open(deal)
    if on < deal.created_on:
        raise ActionError(ErrorCode.DATE_ORDER, _("A deal cannot be lost before it was created."))
    deal.status = DealStatus.LOST
    deal.closed_on = on
    deal.save(update_fields=["status", "closed_on"])
    record("deal.lose", deal, actor=acting_user, closed_on=on, reason=reason)
    return deal


@transaction.atomic
def cancel_deal(deal: Deal, *, acting_user, closed_on: date | None = None,
                reason: str = "") -> Deal:
    """Cancel a won deal: it keeps its number, and what it holds is released on ``closed_on``:
    each payment's part is reversed and becomes the client's credit, which goes first-in-first-out
    to the client's other won deals with a balance, and what is left to the next deal won."""
    on = require_day(closed_on, "closed_on") or date.today()
    client = Client.objects.select_for_update().get(pk=deal.client_id)
    deal = _locked(deal)
    if deal.status != DealStatus.WON:
        raise ActionError(ErrorCode.DEAL_NOT_WON, _("Only a won deal can be cancelled."))
    assert deal.won_on is not None  # a won deal has its day (deal_won_has_date_and_number)
    if on < deal.won_on:
        raise ActionError(ErrorCode.DATE_ORDER, _("A deal cannot be cancelled before it was won."))
    ledger = load_ledger(client)
    deal.status = DealStatus.CANCELLED
    deal.closed_on = on
    deal.save(update_fields=["status", "closed_on"])
    moved = ledger.cancel(deal.pk, on=on)
    store_allocations(moved)
    refs: dict[Hashable, str] = dict(
        Deal.objects.filter(pk__in={a.deal for a in moved}).values_list("pk", "ref"))
    record("deal.cancel", deal, actor=acting_user, closed_on=on, reason=reason,
           released=sum((-a.amount for a in moved if a.is_reversal), ZERO),
           reallocated=[[refs[a.deal], str(a.amount), str(a.effective_on)]
                        for a in moved if not a.is_reversal],
           credit_after=ledger.credit)
    return deal


SOURCE_FIELDS = ("status", "won_on", "closed_on", "number", "amount", "goods_cost", "direct_cost")


@transaction.atomic
def record_source_changes(deal: Deal, *, changes: dict[str, list], fields: Sequence[str],
                          lines: Sequence[DealLine] | None = None,
                          direct_cost: Decimal | None = None, acting_user=None,
                          source: str = "") -> Deal:
    """A stored deal as a later export of its source has it: the importer has replayed what moved
    on (its win with the number and the money it takes, its loss, its cancellation releasing what
    it held, with the same ledger as ``win_deal`` and ``cancel_deal``) and set ``fields`` on
    ``deal``; this stores them. ``lines`` replace the deal's product lines and ``direct_cost`` its
    direct costs (only while it is open, as on the deal page). One audit row names each changed
    column with its old and new value."""
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ActionError(ErrorCode.INVALID, f"not a column a source changes: {sorted(unknown)}")
    if lines is not None:
        DealLine.objects.filter(deal=deal, product__isnull=False).delete()
        for line in lines:
            line.deal = deal
        DealLine.objects.bulk_create(lines)
    if direct_cost is not None:
        DirectCost.objects.filter(deal=deal).delete()
        if direct_cost:
            DirectCost.objects.create(deal=deal, category=CostCategory.OTHER, amount=direct_cost,
                                      note="imported")
    deal.save(update_fields=list(fields))
    record("deal.update", deal, actor=acting_user, source=source, changes=changes)
    return deal
