from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "salesrelay.deals"
    label = "deals"
