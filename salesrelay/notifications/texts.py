"""What each kind of notification says. A notification stores its kind and the arguments of its
text, never the text: the page renders it in the reader's language, the e-mail in the
recipient's (``Preference.language``).

>>> from salesrelay.notifications.models import Notification
>>> text_of(Notification(kind="period_locked", args={"month": "2026-02"}))
'Your pay for 2026-02 is locked: it is final.'
"""

from django.utils.translation import gettext_lazy as _

from salesrelay.notifications.choices import NotificationKind as Kind

TEXTS = {
    Kind.CLIENT_HANDED_OFF: _("%(client)s won its first deal and is handed to you (brought by "
                              "%(hunter)s); its planned activities are yours now."),
    Kind.CLIENT_ASSIGNED: _("%(client)s is assigned to you; its planned activities are yours "
                            "now."),
    Kind.CLIENTS_REASSIGNED: _("The clients of %(leaver)s are handed to you: %(clients)s."),
    Kind.DISPUTE_RAISED: _("%(employee)s disputes a line of their pay for %(month)s: "
                           "%(comment)s"),
    Kind.DISPUTE_RESOLVED: _("Your dispute on your pay for %(month)s is answered: "
                             "%(resolution)s"),
    Kind.PERIOD_CALCULATED: _("Your pay for %(month)s is calculated: see your statement."),
    Kind.PERIOD_APPROVED: _("Your pay for %(month)s is approved."),
    Kind.PERIOD_LOCKED: _("Your pay for %(month)s is locked: it is final."),
    Kind.PROSPECT_EXPIRING: _("%(client)s returns to the free pool on %(day)s unless an "
                              "activity with it is done before."),
}


def text_of(notification) -> str:
    """The text in the active language."""
    return str(TEXTS[notification.kind]) % notification.args
