from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "salesrelay.imports"
    label = "imports"
