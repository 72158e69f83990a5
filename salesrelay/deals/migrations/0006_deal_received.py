"""Deal.received: Σ of each deal's allocations, summed once for the deals already stored."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def sum_received(apps, schema_editor):
    Deal = apps.get_model("deals", "Deal")
    Allocation = apps.get_model("payments", "Allocation")
    money = DecimalField(max_digits=16, decimal_places=2)
    total = Allocation.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(
        total=Sum("amount")).values("total")
    Deal.objects.update(received=Coalesce(Subquery(total, output_field=money),
                                          Value(Decimal("0.00")), output_field=money))


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0004_ownership_on_day'),
        ('payments', '0004_list_indexes'),
        ('deals', '0005_analytics_indexes'),
        ('people', '0002_role_groups'),
        ('pipeline', '0003_activity_time'),
    ]

    operations = [
        migrations.AddField(
            model_name='deal',
            name='received',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), help_text="What the deal's allocations add up to, all dates (0 once cancelled).", max_digits=16, verbose_name='received'),
        ),
        migrations.RunPython(sum_received, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(condition=models.Q(('received__lt', models.F('amount'))), fields=['status', 'won_on', 'client', 'amount', 'received'], name='deal_owing'),
        ),
    ]
