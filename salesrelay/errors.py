"""The refusals of SalesRelay's actions: one exception, codes in one place.

A view shows ``message``; a test asserts ``code``; the CLI prints ``message`` and exits 1.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    INVALID = "invalid", _("Invalid input")
    DUPLICATE_CLIENT = "duplicate_client", _("The client already exists")
    NOT_IN_FREE_POOL = "not_in_free_pool", _("The prospect is not in the free pool")
    NOT_A_HUNTER = "not_a_hunter", _("Not a hunter")
    NOT_AN_ACCOUNT_MANAGER = "not_an_account_manager", _("Not an account manager")
    NOT_EMPLOYED = "not_employed", _("Not employed on that date")
    DEAL_NOT_OPEN = "deal_not_open", _("The deal is not open")
    DEAL_NOT_WON = "deal_not_won", _("The deal is not won")
    DEAL_EMPTY = "deal_empty", _("The deal has no amount")
    DATE_ORDER = "date_order", _("Dates out of order")
    PAYMENT = "payment", _("The payment cannot be applied")
    REFUND_EXCEEDS_CREDIT = "refund_exceeds_credit", _("The refund is more than the client's credit")
    PERIOD_LOCKED = "period_locked", _("The period is locked")
    PERIOD_STATE = "period_state", _("The period is not in the right state")
    FORBIDDEN = "forbidden", _("Not allowed for this user")
    ADJUSTMENT_LIMIT = "adjustment_limit", _("The adjustment is above the limit")
    DEAL_OWNER = "deal_owner", _("The deal cannot be owned by this employee")
    UNKNOWN_SEGMENT = "unknown_segment", _("No such segment")


class ActionError(Exception):
    """``field`` names the input at fault when there is one (the API reports it)."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
