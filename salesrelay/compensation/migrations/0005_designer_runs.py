from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('compensation', '0004_statements'),
    ]

    operations = [
        migrations.CreateModel(
            name='DesignRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, unique=True, verbose_name='key')),
                ('first', models.DateField(verbose_name='first month')),
                ('last', models.DateField(verbose_name='last month')),
                ('multiple', models.CharField(max_length=16, verbose_name="hunters' multiple of market salary")),
                ('language', models.CharField(max_length=16, verbose_name='language')),
                ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Calculating'), ('done', 'Done'), ('failed', 'Refused')], default='queued', max_length=16, verbose_name='status')),
                ('result', models.BinaryField(null=True, verbose_name='result')),
                ('error', models.TextField(blank=True, verbose_name='why it was refused')),
                ('asked_at', models.DateTimeField(auto_now_add=True, verbose_name='asked at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
            ],
            options={
                'verbose_name': 'designer run',
                'verbose_name_plural': 'designer runs',
                'ordering': ['-asked_at', '-id'],
            },
        ),
    ]
