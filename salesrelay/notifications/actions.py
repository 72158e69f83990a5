"""Writes to notifications: made by the actions whose event they tell of, inside the same
transaction (a refused handoff leaves no notification), and mailed once it is committed.

>>> notify([boris], NotificationKind.CLIENT_ASSIGNED, link="/clients/C-1/",  # doctest: +SKIP
...        client="Spa Chain Volga")

E-mail goes through Django's mail settings (``EMAIL_*``; the console backend when no SMTP host
is configured, as in the demo), one message per recipient with an address, in the language of
their ``Preference`` (the site's default language without one). A mail server that fails is
logged and changes nothing: the notification is stored and shown under the bell either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from salesrelay.audit.log import record_event
from salesrelay.errors import ActionError, ErrorCode
from salesrelay.notifications.models import Notification, Preference
from salesrelay.notifications.texts import text_of
from salesrelay.people.models import Employee

log = logging.getLogger(__name__)


def notify(recipients: Iterable[Employee | None], kind: str, *, link: str = "",
           **args: str) -> list[Notification]:
    """One notification per distinct recipient (``None`` is skipped: a queue has nobody)."""
    people = {e.pk: e for e in recipients if e is not None}
    rows = Notification.objects.bulk_create(
        Notification(recipient=e, kind=kind, args=args, link=link)
        for _pk, e in sorted(people.items()))
    if rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: send_emails(ids), robust=True)
    return rows


def send_emails(ids: list[int]) -> int:
    """The e-mails of the notifications ``ids``: how many were sent."""
    rows = list(Notification.objects.filter(pk__in=ids).select_related(
        "recipient__user", "recipient__notification_preference").order_by("pk"))
    messages = []
    for row in rows:
        address = row.recipient.email or getattr(row.recipient.user, "email", "")
        preference = getattr(row.recipient, "notification_preference", None)
        if not address or (preference is not None and not preference.by_email):
            continue
        language = preference.language if preference is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            text = text_of(row)
            subject = _("SalesRelay: %(kind)s") % {"kind": row.get_kind_display()}
        link = settings.SALESRELAY["SITE_URL"].rstrip("/") + row.link if row.link else ""
        messages.append(EmailMessage(subject, f"{text}\n\n{link}".rstrip() + "\n",
                                     to=[address]))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:  # the mail server refused or is unreachable; the bell still has them
        log.exception("notification e-mails %s not sent", ids)
        return 0


@transaction.atomic
def mark_read(employee: Employee, *, ids: Iterable[int] | None = None) -> int:
    """The employee's unread notifications ``ids`` (all of them without) marked read."""
    unread = Notification.objects.filter(recipient=employee, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def set_preference(employee: Employee, *, language: str, by_email: bool, acting_user) -> Preference:
    if language not in dict(settings.LANGUAGES):
        raise ActionError(ErrorCode.INVALID, _("Unknown language %(language)s.") % {
            "language": language}, field="language")
    preference, _created = Preference.objects.update_or_create(
        employee=employee, defaults={"language": language, "by_email": by_email})
    record_event("notifications.preference", "employee", employee.ref, actor=acting_user,
                 language=language, by_email=by_email)
    return preference
