from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "salesrelay.web"
    label = "web"
