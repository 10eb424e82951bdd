"""The lot list filtered by currency, in date order, read from an index of (currency, closing_date):
without it SQLite walked the date index and read every lot's row (its description) for its currency,
66,000 rows for page 200 of the lots sold in pounds at 200,000 lots (190 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('auctions', '0011_lot_facets_index'),
        ('catalog', '0023_coin_facets_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auctionlot',
            index=models.Index(fields=['currency', 'closing_date'], name='lot_currency_date_idx'),
        ),
    ]
