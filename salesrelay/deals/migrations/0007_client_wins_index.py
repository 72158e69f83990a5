from django.db import migrations, models


class Migration(migrations.Migration):
    """The index of a client's deals by status gains the day of each win (the conversion page
    asks, for each meeting, whether its client won a deal within the days after it)."""

    dependencies = [
        ('clients', '0004_ownership_on_day'),
        ('deals', '0006_deal_received'),
        ('people', '0002_role_groups'),
        ('pipeline', '0004_activity_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['client', 'status', 'won_on'], name='deal_client_status_won'),
        ),
        migrations.RemoveIndex(
            model_name='deal',
            name='deal_client_status',
        ),
        # The planner's statistics of this and the indexes of 0005 and 0006 (SQLite has none
        # until ANALYZE, and then prefers the unique (client, number) index, which lacks the day
        # of the win).
        migrations.RunSQL("ANALYZE deals_deal", reverse_sql=migrations.RunSQL.noop),
    ]
