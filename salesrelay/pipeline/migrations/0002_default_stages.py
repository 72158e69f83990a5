from django.db import migrations

from salesrelay.pipeline.choices import DEFAULT_STAGES


def create_stages(apps, schema_editor):
    PipelineStage = apps.get_model("pipeline", "PipelineStage")
    for position, (code, name) in enumerate(DEFAULT_STAGES, start=1):
        PipelineStage.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]
    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]
