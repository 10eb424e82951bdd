"""Full-text search over lots, the market's data version, and indexes for the lot list.

Lot search (`/auctions/?q=`) used LIKE '%word%' over 200,000 descriptions: a full scan per word.
- SQLite: an FTS5 table `auctions_lot_fts` over title and description, an external-content table
  (the text is read from auctions_auctionlot, not stored twice), kept by triggers; the same
  tokenizer and prefix indexes as the coin search (catalog 0002).
- PostgreSQL: a GIN index on the folded tsvector of title and description (an expression index:
  catalog_coin_search_fold and to_tsvector('simple', ...) are immutable), which
  auctions.filters.LOT_DOCUMENT repeats word for word so the planner matches it.

The market scope of catalog_dataversion (catalog 0006) is kept by triggers on the lot tables, like
the collection's. Both sets of SQLite triggers sit on auctions_auctionlot: a migration that rebuilds
that table on SQLite must wrap its operations in coinstack.schema_ops.KeepingSQLiteTriggers.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
import importlib

from django.db import migrations, models

version = importlib.import_module("catalog.migrations.0006_data_version")

MARKET_TABLES = ("auctions_auctionlot", "auctions_lotreference", "auctions_auctionhouse")

SQLITE_FTS_FORWARD = [
    """CREATE VIRTUAL TABLE auctions_lot_fts USING fts5(
        title, description,
        content = 'auctions_auctionlot', content_rowid = 'id',
        tokenize = "unicode61 remove_diacritics 2 separators '•·-/'",
        prefix = '2 3 4'
    )""",
    "INSERT INTO auctions_lot_fts(auctions_lot_fts, rank) VALUES('rank', 'bm25(4.0, 1.0)')",
    "INSERT INTO auctions_lot_fts(auctions_lot_fts) VALUES('rebuild')",
    # External content: a row leaves the index by a 'delete' carrying the values it was indexed with.
    """CREATE TRIGGER auctions_lot_fts_ai AFTER INSERT ON auctions_auctionlot BEGIN
        INSERT INTO auctions_lot_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER auctions_lot_fts_au AFTER UPDATE OF title, description ON auctions_auctionlot BEGIN
        INSERT INTO auctions_lot_fts(auctions_lot_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO auctions_lot_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER auctions_lot_fts_ad AFTER DELETE ON auctions_auctionlot BEGIN
        INSERT INTO auctions_lot_fts(auctions_lot_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
]
SQLITE_FTS_BACKWARD = [
    "DROP TRIGGER IF EXISTS auctions_lot_fts_ad",
    "DROP TRIGGER IF EXISTS auctions_lot_fts_au",
    "DROP TRIGGER IF EXISTS auctions_lot_fts_ai",
    "DROP TABLE IF EXISTS auctions_lot_fts",
]

# The same text as auctions.filters.LOT_DOCUMENT (unqualified column names here).
PG_DOCUMENT = (
    "to_tsvector('simple', catalog_coin_search_fold(coalesce(title, '') || ' ' || coalesce(description, '')))"
)
PG_FORWARD = [
    f"CREATE INDEX lot_search_idx ON auctions_auctionlot USING gin (({PG_DOCUMENT}))",
    # /auctions/ default order and ?status= in date order, DESC NULLS LAST (see catalog 0006).
    "CREATE INDEX lot_closing_desc_idx ON auctions_auctionlot (closing_date DESC NULLS LAST, id DESC)",
    "CREATE INDEX lot_status_closing_desc_idx ON auctions_auctionlot "
    "(status, closing_date DESC NULLS LAST, id DESC)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS lot_status_closing_desc_idx",
    "DROP INDEX IF EXISTS lot_closing_desc_idx",
    "DROP INDEX IF EXISTS lot_search_idx",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        triggers, _ = version.sqlite_triggers("market", MARKET_TABLES)
        statements = SQLITE_FTS_FORWARD + triggers
    elif vendor == "postgresql":
        triggers, _ = version.pg_triggers("market", MARKET_TABLES)
        statements = PG_FORWARD + triggers
    else:
        return  # other databases: lot search falls back to LIKE, and nothing is cached
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _, triggers = version.sqlite_triggers("market", MARKET_TABLES)
        statements = triggers + SQLITE_FTS_BACKWARD
    elif vendor == "postgresql":
        _, triggers = version.pg_triggers("market", MARKET_TABLES)
        statements = triggers + PG_BACKWARD
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("auctions", "0003_reference_citation_text"),
        ("catalog", "0006_data_version"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="auctionlot", name="lot_status_idx"),
        migrations.AddIndex(
            model_name="auctionlot",
            index=models.Index(fields=["status", "closing_date"], name="lot_status_date_idx"),
        ),
        migrations.AddIndex(
            model_name="auctionlot",
            index=models.Index(fields=["status", "house", "currency"], name="lot_status_house_currency_idx"),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
