"""A coin's sales of its issuer, denomination and metal (the valuation's third rule,
catalog.valuation.comparables._named_lots), read latest first from an index of their own, so that
reading the 300 most recent stops after 300 entries.

lot_issuer_denomination_idx found the lots of the three but not in date order: every sold lot of
the issuer's denomination was read from the table and sorted to keep the latest 300 (2,675 lots of
Gallienus's antoniniani at 200,000 lots; about 13,000 at 1,000,000, rows spread over the file).
This index holds the sold lots only (the rule reads no others), ends in the order the rule reads
(closing_date DESC NULLS LAST, id DESC) and replaces lot_issuer_denomination_idx, which nothing else
read.

Written per engine: SQLite's indexes take no NULLS LAST (SQLite keeps NULLs first in ascending
order, so DESC is already NULLS LAST there); PostgreSQL's DESC would put NULLs first.
"""

from django.db import migrations

from coinstack.schema_ops import sql_on_vendor

INDEX = "lot_sold_issuer_latest_idx"
KEY = "lower(issuer_text), lower(denomination_text), metal"
DROP = f"DROP INDEX IF EXISTS {INDEX}"


class Migration(migrations.Migration):
    dependencies = [("auctions", "0012_lot_currency_date_index")]

    operations = [
        sql_on_vendor(
            "sqlite",
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auctions_auctionlot"
            f" ({KEY}, closing_date DESC, id DESC) WHERE hammer_price IS NOT NULL",
            DROP,
        ),
        sql_on_vendor(
            "postgresql",
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auctions_auctionlot"
            f" ({KEY}, closing_date DESC NULLS LAST, id DESC) WHERE hammer_price IS NOT NULL",
            DROP,
        ),
        migrations.RemoveIndex(model_name="auctionlot", name="lot_issuer_denomination_idx"),
    ]
