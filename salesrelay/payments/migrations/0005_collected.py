"""Collected: the collections per month by the owner on each allocation's day and the segment,
stated once from the allocations already stored (as ``salesrelay.payments.collected.rebuild``)."""

from collections import defaultdict
from decimal import Decimal

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery, Sum


def state_collected(apps, schema_editor):
    Allocation = apps.get_model("payments", "Allocation")
    Collected = apps.get_model("payments", "Collected")
    Ownership = apps.get_model("clients", "Ownership")
    day = OuterRef("effective_on")
    span = Ownership.objects.filter(client=OuterRef("deal__client"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)).order_by("-started_on", "-id")
    found = defaultdict(lambda: [Decimal("0.00"), 0])
    for on, owner, owning, segment, total, n in Allocation.objects.annotate(
            owner=Subquery(span.values("employee_id")[:1]),
            owning=Subquery(span.values("department")[:1])).values(
            "effective_on", "owner", "owning", "deal__client__segment").annotate(
            total=Sum("amount"), n=Count("id")).order_by().values_list(
            "effective_on", "owner", "owning", "deal__client__segment", "total", "n"):
        row = found[on.replace(day=1), owner, owning or "", segment]
        row[0] += total
        row[1] += n
    Collected.objects.bulk_create(
        [Collected(month=month, employee_id=owner, department=owning, segment=segment,
                   amount=amount, allocations=n)
         for (month, owner, owning, segment), (amount, n) in found.items()],
        batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0004_list_indexes'),
        ('people', '0002_role_groups'),
        ('clients', '0004_ownership_on_day'),
    ]

    operations = [
        migrations.CreateModel(
            name='Collected',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('department', models.CharField(blank=True, max_length=32, verbose_name='department on the day')),
                ('segment', models.CharField(max_length=32, verbose_name='segment')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='amount')),
                ('allocations', models.PositiveIntegerField(verbose_name='allocations')),
                ('employee', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.employee', verbose_name='owner on the day')),
            ],
            options={
                'verbose_name': 'collections by owner',
                'verbose_name_plural': 'collections by owner',
                'ordering': ['month', 'id'],
                'indexes': [models.Index(fields=['month', 'employee', 'department', 'segment', 'amount', 'allocations'], name='collected_month')],
                'constraints': [models.UniqueConstraint(models.F('month'), django.db.models.functions.comparison.Coalesce(models.F('employee'), 0), models.F('department'), models.F('segment'), name='collected_once_per_key')],
            },
        ),
        migrations.RunPython(state_collected, migrations.RunPython.noop, elidable=True),
    ]
