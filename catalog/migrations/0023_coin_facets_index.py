"""SQLite: the coin columns the facet panel groups by and the filters it counts under, in one index,
so a filtered list's counts (a grade, price, date or year range, grading, images, a series or an
import; catalog.filters.FACETS_INDEX_FILTERS) are read from this index instead of from every coin's
row, which holds its descriptions and notes: "?grade_min=50" right after a write took 370 ms at
100,000 coins (250 of them the GROUP BY reading rows), now about 150.

SQLite only, and named in the query (catalog.filters.CoinFilter.counted_rows): without statistics
SQLite takes any index on a filter's column (the metal's, say) as the selective one and reads a third
of the coins' rows through it. PostgreSQL plans with its statistics.

Of the held coins only (disposal = '', as the lists count them unless the disposed coins are asked
for, which it then does not serve): made of every coin, it was the narrowest index answering "the
coins no longer held" and SQLite walked all of it for /stats/, where coin_disposed_idx holds the
few (7 ms a query instead of 0.1). It still holds `disposal`: SQLite 3.40 reads the row for a
column the query tests even when the index's own condition settles it.

It leads with a constant, which no query constrains, so that it serves no seek: holding every column
of the lists' pages by category and metal sorted by year, it took them over (a seek on category and
metal, then a sort of 30,000 entries, where coin_category_metal_year_idx walks 150 in order). Named,
it is read whole, in the order of its columns: the panel's groups then need a sort (about 40 ms of
the 150), a price paid for leaving every other query's plan as it was.
"""

from django.db import migrations

from coinstack.schema_ops import sql_on_vendor

INDEX = "coin_facets_idx"
COLUMNS = (
    "(0), "
    # The panel's GROUP BY (catalog.filters.FACETS).
    "category, metal, issuer_id, mint_id, denomination_id, grading_state, grade_service, "
    # What the filters it serves test, and the held coins' test.
    "grade_band, year_start, year_end, acquisition_price, acquisition_date, disposal"
)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0022_coin_counts_by_value_index")]

    operations = [
        sql_on_vendor(
            "sqlite",
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_coin ({COLUMNS}) WHERE disposal = ''",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
