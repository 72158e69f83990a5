"""Recording money: a payment against a deal or a client; a refund against a deal (at most what
it holds) or against the client (at most the client's credit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from salesrelay.audit.log import record
from salesrelay.clients.actions import hand_off
from salesrelay.clients.models import Client
from salesrelay.deals.models import Deal
from salesrelay.engine.allocation import AllocationError
from salesrelay.engine.handoff import handoff_day
from salesrelay.engine.money import ZERO, round_money
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.input_rules import require_amount, require_day, require_fields
from salesrelay.payments.ledger import load_ledger, store_allocations
from salesrelay.payments.models import Payment
from salesrelay.payments.rules import Refusal, refusals
from salesrelay.refs import give_ref, placeholder_ref


@transaction.atomic
def record_payment(
    *,
    amount: Decimal,
    received_on: date,
    acting_user,
    client: Client | None = None,
    deal: Deal | None = None,
    reference: str = "",
) -> Payment:
    found = refusals(amount=amount, names_deal=deal is not None, names_client=client is not None,
                     deal_client=deal.client_id if deal is not None else None,
                     client=client.pk if client is not None else None,
                     deal_status=deal.status if deal is not None else None)
    if found:
        raise _refused(found[0], deal, client)
    require_amount(amount, "amount")
    require_day(received_on, "received_on")
    require_fields(Payment, reference=reference)
    client_id = deal.client_id if deal is not None else client.pk if client is not None else None
    assert client_id is not None  # refusals() refused a payment naming neither a deal nor a client
    client = Client.objects.select_for_update().get(pk=client_id)
    ledger = load_ledger(client)
    payment = Payment.objects.create(
        ref=placeholder_ref(), client=client, deal=deal, received_on=received_on, amount=amount,
        reference=reference,
        recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    try:
        allocated = ledger.pay(payment.pk, received_on, amount, deal.pk if deal else None)
    except AllocationError as error:
        # The payment row goes with the rolled-back transaction; nothing is kept.
        raise _refusal(error, deal, amount) from error
    give_ref(payment)
    store_allocations(allocated)
    record("payment.record", payment, actor=acting_user, client=client.ref,
           deal=deal.ref if deal else None, amount=amount, received_on=received_on,
           allocations=[[str(a.deal), str(a.amount), str(a.effective_on)] for a in allocated],
           credit_after=ledger.credit)
    if settings.SALESRELAY["HANDOFF_ON"] == "payment" and client.handed_off_on is None:
        first = handoff_day(allocated)
        if first is not None:
            hand_off(client, on=first, to=None, acting_user=acting_user)
    return payment


def _refused(refusal: Refusal, deal: Deal | None, client: Client | None) -> ActionError:
    """The words of a payment rule's refusal (``payments.rules``) on a page or in the API."""
    if refusal is Refusal.NO_TARGET:
        return ActionError(ErrorCode.INVALID, _("A payment is recorded against a deal or a client."))
    if refusal is Refusal.ZERO:
        return ActionError(ErrorCode.PAYMENT, _("A payment of zero applies to nothing."))
    if refusal is Refusal.OTHER_CLIENT:
        assert deal is not None and client is not None  # the rule compares the two
        return ActionError(ErrorCode.INVALID, _("Deal %(deal)s is not a deal of %(client)s.") % {
            "deal": deal.ref, "client": client.name})
    assert deal is not None  # Refusal.LOST_DEAL is about the deal named
    return ActionError(ErrorCode.PAYMENT, _("Deal %(ref)s is lost: only a refund can be "
                                            "recorded against it.") % {"ref": deal.ref})


def _refusal(error: AllocationError, deal: Deal | None, amount: Decimal) -> ActionError:
    ref = deal.ref if deal is not None else ""
    if error.code == "refund_exceeds_paid":
        return ActionError(ErrorCode.PAYMENT, _(
            "The refund exceeds the %(paid)s paid on deal %(ref)s.") % {
            "paid": round_money(error.available or ZERO), "ref": ref})
    if error.code == "refund_exceeds_credit":
        return ActionError(ErrorCode.REFUND_EXCEEDS_CREDIT, _(
            "The refund of %(refund)s is more than the client's credit of %(credit)s.") % {
            "refund": round_money(-amount), "credit": round_money(error.available or ZERO)})
    return ActionError(ErrorCode.PAYMENT, str(error))
