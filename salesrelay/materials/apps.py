from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "salesrelay.materials"
    label = "materials"
