from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "salesrelay.payments"
    label = "payments"
