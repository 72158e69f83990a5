from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "salesrelay.audit"
    label = "audit"
