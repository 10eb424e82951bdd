"""Counts of auction lots kept by database triggers, so the lot list's facet panel and total need no
scan of every lot after a write; and on SQLite an index the search's facet counts read.

`auctions_lotcount` holds, per (status, house, currency, purchase), how many lots there are: the
lot list's three facets (auctions.filters.LotFilter) with `purchase` saying whether the lots are
ones where the owner bought a coin (auctions.models.bought_by_owner; public visitors never see
them). Two dozen rows on the benchmark's 200,000 lots: the unfiltered list and any list filtered
by house, currency and status only read their facet counts and total from them
(auctions.lot_counts) instead of GROUP BYs over every lot.

Every insert, update or delete of a lot changes the counts in the same transaction (a rolled-back
write rolls its counts back too), however it is made (bulk_create, queryset.update(), raw SQL), as
catalog 0014 does for coins:
- SQLite: AFTER INSERT / UPDATE / DELETE triggers FOR EACH ROW, each count changed in place;
- PostgreSQL: row triggers that append the changes to `auctions_lotcount_journal`, folded into the
  counts once when the writing transaction commits (updating one count row thousands of times in one
  transaction makes PostgreSQL walk every earlier version of it, catalog 0014 measured it; folding
  every 2,000 rows instead made a long transaction walk every row it had already folded:
  coinstack.journal_fold); readers add both up. TRUNCATE empties both.
On both, the update trigger fires only when a counted column changes (a rescrape that changes a
lot's description writes no count).
Plain tables, not models (like catalog_coincount): nothing but the triggers writes them, and a test
database flush must not empty them while the lots' own delete triggers are counting down.

The triggers sit on auctions_auctionlot: a migration that rebuilds it on SQLite must wrap its
operations in coinstack.schema_ops.KeepingSQLiteTriggers.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
from django.db import migrations

from coinstack.journal_fold import fold_at_commit, fold_statement

TABLE = "auctions_lotcount"
JOURNAL = "auctions_lotcount_journal"
KEY = "status, house, currency, purchase"
COLUMNS = "status varchar(10) NOT NULL, house varchar(20) NOT NULL, currency varchar(3) NOT NULL, purchase smallint NOT NULL"
CREATE_TABLE = f"""CREATE TABLE {TABLE} (
    {COLUMNS}, n bigint NOT NULL,
    CONSTRAINT lotcount_key PRIMARY KEY ({KEY}),
    CONSTRAINT lotcount_not_negative CHECK (n >= 0)
)"""
CREATE_JOURNAL = f"CREATE TABLE {JOURNAL} ({COLUMNS}, n bigint NOT NULL)"
# The columns whose change moves a lot from one count to another.
COUNTED_COLUMNS = ("status", "house_id", "currency", "coin_id", "coin_role")


def counted(row: str, sign: int, vendor: str, source: str = "") -> str:
    """A SELECT of the (status, house, currency, purchase, n) change for the lots `row` of `source`
    (a FROM clause, or '' for a trigger's NEW/OLD). `purchase` is bought_by_owner in SQL: its role
    says the owner bought it, or it is linked to a coin without a role."""
    cast = "TEXT" if vendor == "sqlite" else "text"
    return (
        f"SELECT {row}.status AS status, COALESCE(CAST({row}.house_id AS {cast}), '') AS house, "
        f"{row}.currency AS currency, "
        f"CASE WHEN {row}.coin_role = 'acquisition' OR ({row}.coin_id IS NOT NULL AND {row}.coin_role = '') "
        f"THEN 1 ELSE 0 END AS purchase, {sign} AS n {source}"
    )


def sqlite_change(row: str, sign: int) -> str:
    """One row's change in one statement: added by an UPSERT, or subtracted by an UPDATE (the count
    exists: the lot was counted when it was written)."""
    change = counted(row, sign, "sqlite")
    if sign > 0:
        return (
            f"INSERT INTO {TABLE} ({KEY}, n) SELECT {KEY}, n FROM ({change}) AS c WHERE true "
            f"ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + excluded.n"
        )
    key_of = " AND ".join(f"{TABLE}.{column} = c.{column}" for column in KEY.split(", "))
    return f"UPDATE {TABLE} SET n = {TABLE}.n + c.n FROM ({change}) AS c WHERE {key_of}"


def sqlite_forward() -> list[str]:
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED_COLUMNS)
    return [
        f"CREATE TRIGGER lotcount_insert AFTER INSERT ON auctions_auctionlot "
        f"BEGIN {sqlite_change('NEW', 1)}; END",
        f"CREATE TRIGGER lotcount_delete AFTER DELETE ON auctions_auctionlot "
        f"BEGIN {sqlite_change('OLD', -1)}; END",
        f"CREATE TRIGGER lotcount_update AFTER UPDATE ON auctions_auctionlot WHEN {changed} "
        f"BEGIN {sqlite_change('OLD', -1)}; {sqlite_change('NEW', 1)}; END",
    ]


SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS lotcount_{op}" for op in ("insert", "delete", "update")]


def pg_journal(row: str, sign: int) -> str:
    return f"INSERT INTO {JOURNAL} ({KEY}, n) {counted(row, sign, 'postgresql')}"


def pg_forward() -> list[str]:
    old = ", ".join(f"OLD.{column}" for column in COUNTED_COLUMNS)
    new = ", ".join(f"NEW.{column}" for column in COUNTED_COLUMNS)
    return [
        f"""CREATE FUNCTION auctions_lotcount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    DELETE FROM {TABLE};
                    DELETE FROM {JOURNAL};
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    {pg_journal("OLD", -1)};
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    {pg_journal("NEW", 1)};
                END IF;
                RETURN NULL;
            END
            $$""",
        """CREATE TRIGGER lotcount_insert AFTER INSERT OR DELETE ON auctions_auctionlot
            FOR EACH ROW EXECUTE FUNCTION auctions_lotcount_apply()""",
        f"""CREATE TRIGGER lotcount_update AFTER UPDATE ON auctions_auctionlot FOR EACH ROW
            WHEN (({old}) IS DISTINCT FROM ({new})) EXECUTE FUNCTION auctions_lotcount_apply()""",
        """CREATE TRIGGER lotcount_truncate AFTER TRUNCATE ON auctions_auctionlot
            FOR EACH STATEMENT EXECUTE FUNCTION auctions_lotcount_apply()""",
        *fold_at_commit(
            "auctions_lotcount_fold", "lotcount_fold", JOURNAL, fold_statement(TABLE, JOURNAL, KEY, "n")
        ),
    ]


PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS lotcount_fold ON {JOURNAL}",
    "DROP FUNCTION IF EXISTS auctions_lotcount_fold()",
    "DROP TRIGGER IF EXISTS lotcount_insert ON auctions_auctionlot",
    "DROP TRIGGER IF EXISTS lotcount_update ON auctions_auctionlot",
    "DROP TRIGGER IF EXISTS lotcount_truncate ON auctions_auctionlot",
    "DROP FUNCTION IF EXISTS auctions_lotcount_apply()",
]


# SQLite: a search's facet counts read each match's facet columns from this index, found by the
# match's id (auctions.filters.SEARCH_FACETS_INDEX names it in the query), instead of from its row:
# a lot's row holds its description, and house_id and coin_id come after it, so reading them walks
# the row's overflow pages (38,000 matches of "denarius" at 200,000 lots, with the app's 32 MB page
# cache: 46 ms of CPU by the rows, 22 ms by the index). PostgreSQL plans its own search
# (lot_search_idx) and needs none.
SQLITE_SEARCH_FACETS_INDEX = (
    "CREATE INDEX lot_search_facets_idx ON auctions_auctionlot (id, status, house_id, currency, coin_id, coin_role)"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_SEARCH_FACETS_INDEX, params=None)
    if vendor not in ("sqlite", "postgresql"):
        return  # no table: auctions.lot_counts then counts with GROUP BYs, as before
    schema_editor.execute(CREATE_TABLE, params=None)
    schema_editor.execute(CREATE_JOURNAL, params=None)
    # The counts of the lots already there, then the triggers that keep them.
    existing = counted("r", 1, vendor, "FROM auctions_auctionlot AS r")
    schema_editor.execute(
        f"INSERT INTO {TABLE} ({KEY}, n) SELECT {KEY}, SUM(n) FROM ({existing}) AS c GROUP BY {KEY}",
        params=None,
    )
    for sql in sqlite_forward() if vendor == "sqlite" else pg_forward():
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    drop = [*SQLITE_BACKWARD, "DROP INDEX IF EXISTS lot_search_facets_idx"] if vendor == "sqlite" else PG_BACKWARD
    for sql in [*drop, f"DROP TABLE {JOURNAL}", f"DROP TABLE {TABLE}"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("auctions", "0008_house_premium")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
