from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "salesrelay.people"
    label = "people"
