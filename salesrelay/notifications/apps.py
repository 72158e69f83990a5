from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "salesrelay.notifications"
    label = "notifications"
