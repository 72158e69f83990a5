# Cancellations release what a deal holds: reversals and re-allocations name the cancelled deal;
# a refund may name the client (it pays back credit).

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0002_fewer_indexes'),
        ('payments', '0002_fewer_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='allocation',
            name='allocation_once_per_deal',
        ),
        migrations.RemoveConstraint(
            model_name='payment',
            name='refund_names_its_deal',
        ),
        migrations.AddField(
            model_name='allocation',
            name='released_from',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='released', to='deals.deal', verbose_name='released by the cancellation of'),
        ),
        migrations.AddIndex(
            model_name='allocation',
            index=models.Index(condition=models.Q(('released_from__isnull', False)), fields=['released_from'], name='allocation_released_from'),
        ),
        migrations.AddConstraint(
            model_name='allocation',
            constraint=models.UniqueConstraint(models.F('payment'), models.F('deal'), django.db.models.functions.comparison.Coalesce(models.F('released_from'), 0), name='allocation_once_per_deal_and_release', violation_error_message='This part of the payment is already allocated.'),
        ),
        migrations.AddConstraint(
            model_name='allocation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('released_from', models.F('deal')), _negated=True), ('amount__lt', 0), _connector='OR'), name='allocation_reversal_negative', violation_error_message='A cancellation reverses money the deal received.'),
        ),
    ]
