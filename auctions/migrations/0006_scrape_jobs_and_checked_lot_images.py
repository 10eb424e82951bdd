# Lot images pass the shared image checks; scrapes asked for on a web page are queued as jobs.

import auctions.models
import coinstack.security
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('auctions', '0005_lotreference_shares_citation_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='lotimage',
            name='image',
            field=models.ImageField(blank=True, max_length=200, upload_to=auctions.models.lot_image_path, validators=[coinstack.security.validate_image_upload]),
        ),
        migrations.CreateModel(
            name='ScrapeJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('url', 'Scrape a lot by URL'), ('rescrape', 'Scrape lots again'), ('acquisition', "Scrape coins' acquisition URLs")], max_length=20)),
                ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Stopped by an error')], default='queued', max_length=10)),
                ('items', models.JSONField(default=list)),
                ('refresh', models.BooleanField(default=False, help_text='Re-read closed lots already stored.')),
                ('relink', models.BooleanField(default=False, help_text='Move lots linked to another coin.')),
                ('download_images', models.BooleanField(default=True)),
                ('lines', models.JSONField(blank=True, default=list)),
                ('summary', models.CharField(blank=True, max_length=200)),
                ('error', models.TextField(blank=True, help_text='Why the job itself stopped, when it did.')),
                ('task_id', models.CharField(blank=True, help_text="The task library's id for this run.", max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('requested_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['-created_at'], name='scrapejob_created_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'done', 'failed'])), name='scrapejob_status_known'), models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['done', 'failed']), _negated=True), ('finished_at__isnull', False), _connector='OR'), name='scrapejob_finished_has_time')],
            },
        ),
    ]
