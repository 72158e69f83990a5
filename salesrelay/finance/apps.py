from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "salesrelay.finance"
    label = "finance"
