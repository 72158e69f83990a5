from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "salesrelay.clients"
    label = "clients"
