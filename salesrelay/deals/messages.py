"""What the pages say after a win: the board and the deal page say the same thing."""

from django.utils.translation import gettext as _

from salesrelay.clients.models import Client
from salesrelay.deals.models import Deal


def won_message(deal: Deal) -> str:
    """``Spa Chain won (deal no. 1): handed off to Boris Manager.`` — for deal 1 it names who
    received the client (or the department queue)."""
    deal = Deal.objects.get(pk=deal.pk)
    client = Client.objects.select_related("owner").get(pk=deal.client_id)
    if deal.number != 1 or client.handed_off_on is None:
        return _("%(client)s won (deal no. %(number)s).") % {"client": client.name,
                                                             "number": deal.number}
    if client.owner is None:
        return _("%(client)s won (deal no. 1): handed off to the account management queue.") % {
            "client": client.name}
    return _("%(client)s won (deal no. 1): handed off to %(manager)s.") % {
        "client": client.name, "manager": client.owner.name}
