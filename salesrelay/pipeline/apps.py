from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "salesrelay.pipeline"
    label = "pipeline"
