from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesrelay.notifications.choices import NotificationKind
from salesrelay.restrict import RestrictedQuerySet


class Notification(models.Model):
    """Something that happened that one employee should know of: shown under the bell until
    read, and sent by e-mail once the transaction that made it is committed."""

    recipient = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    args = models.JSONField(_("text arguments"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        from salesrelay.notifications.texts import text_of

        return text_of(self)

    @property
    def text(self) -> str:
        return str(self)


class Preference(models.Model):
    """How an employee hears of things: the language of their e-mails, and whether to get them
    at all (the bell shows everything regardless)."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE,
                                    related_name="notification_preference",
                                    verbose_name=_("employee"))
    language = models.CharField(_("language of the e-mails"), max_length=8,
                                choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    LANGUAGE_CHOICES = settings.LANGUAGES

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.employee}: {self.language}"
