from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "salesrelay.analytics"
    label = "analytics"
    verbose_name = _("Analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from salesrelay.analytics.warm import data_changed
        from salesrelay.audit.models import AuditEntry
        from salesrelay.compensation.models import PlanVersion

        # What the roll-up's revision follows (salesrelay/analytics/rollup.py).
        for model in (AuditEntry, LogEntry, PlanVersion):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"warm-{model.__name__}")
