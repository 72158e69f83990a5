"""The checks a payment passes before its money is allocated (SPEC §1 **Payment**), stated once.

The payment form and the API (through ``record_payment``) and the importer's parse and plan
stages all ask :func:`refusals`; each words a refusal in its own way (a translated message on a
page, ``file:line: column: reason`` in an import), but none of them restates the rule. Each
caller passes what it knows at its stage: the importer's parse stage knows the amount and which
ids a row names, its plan stage the deal and client those ids lead to.

>>> [r.value for r in refusals(amount=Decimal("0"), names_deal=False, names_client=False)]
['no_target', 'zero']
>>> [r.value for r in refusals(amount=Decimal("5"), deal_client=1, client=2, deal_status="lost")]
['other_client', 'lost_deal']
>>> refusals(amount=Decimal("-5"), deal_status="lost")
[]
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from salesrelay.deals.choices import DealStatus


class Refusal(StrEnum):
    NO_TARGET = "no_target"        # names neither a deal nor a client: nothing to put it on
    ZERO = "zero"                  # a payment of zero applies to nothing
    OTHER_CLIENT = "other_client"  # the deal named belongs to another client than the one named
    LOST_DEAL = "lost_deal"        # money onto a lost deal; a refund may still come off it

    @property
    def field(self) -> str:
        """The part of the payment the refusal is about: ``deal``, ``client`` or ``amount``."""
        return _FIELDS[self]


_FIELDS = {Refusal.NO_TARGET: "deal", Refusal.ZERO: "amount", Refusal.OTHER_CLIENT: "client",
           Refusal.LOST_DEAL: "deal"}


def refusals(*, amount: Decimal | None, names_deal: bool = True, names_client: bool = True,
             deal_client: object = None, client: object = None,
             deal_status: str | None = None) -> list[Refusal]:
    """Every reason to refuse the payment, in the order a reader fixes them (empty: it may go in).

    ``deal_client`` and ``client`` are comparable keys (ids or refs) of the deal's client and of
    the client named, each ``None`` when not known or not named; ``deal_status`` the status the
    deal has on the payment's day, ``None`` without a deal."""
    found = []
    if not names_deal and not names_client:
        found.append(Refusal.NO_TARGET)
    if amount is not None and amount == 0:
        found.append(Refusal.ZERO)
    if deal_client is not None and client is not None and deal_client != client:
        found.append(Refusal.OTHER_CLIENT)
    if deal_status == DealStatus.LOST and amount is not None and amount > 0:
        found.append(Refusal.LOST_DEAL)
    return found
