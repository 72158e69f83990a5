from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0003_list_indexes'),
        ('deals', '0004_list_indexes'),
        ('people', '0002_role_groups'),
        ('pipeline', '0003_activity_time'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['status', 'won_on', 'owner', 'number', 'client', 'amount'], name='deal_won_cover'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['owner', 'created_on'], name='deal_owner_created'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['number', 'won_on', 'client'], name='deal_first_wins'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['client', 'number', 'won_on'], name='deal_client_number'),
        ),
        # Last: the won deals of a range always have an index (deal_won_cover begins the same).
        migrations.RemoveIndex(
            model_name='deal',
            name='deals_deal_status_55baf2_idx',
        ),
    ]
