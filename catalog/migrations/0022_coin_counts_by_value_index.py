"""SQLite: the kept coin counts (catalog 0014's `catalog_coincount`) indexed in the order the facet
panel sums them, (facet, value), carrying the partition and the count, so the panel's one query
(catalog.tallies.facet_counts) reads this index alone and groups it without sorting: 3.8 ms of SQL
for the 2,700 rows of 100,000 coins, now 0.7 ms, on every list page drawn right after a write.

SQLite only: SQLite keeps no journal of the counts, so they are read alone there. PostgreSQL adds
its journal to them (a UNION that is grouped by hash whatever the order), and its folds rewrite
the counts every 2,000 changes: an index there would be written and not read.
"""

from django.db import migrations

from coinstack.schema_ops import sql_on_vendor

INDEX = "coincount_value_idx"


class Migration(migrations.Migration):
    dependencies = [("catalog", "0021_category_metal_latest_first_index")]

    operations = [
        sql_on_vendor(
            "sqlite",
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_coincount (facet, value, category, metal, n)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
