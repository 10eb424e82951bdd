"""Data versions for caches that cannot serve stale figures, and indexes for the list pages.

`catalog_dataversion` holds one random token per scope; a trigger on every table of the scope
replaces it on each insert, update or delete (bulk_create, queryset.update() and raw SQL included,
which no Python signal would see). Pages cache their facet counts and statistics under the token
(coinstack.dataversion.cached_on_version).

SQLite: one AFTER INSERT / UPDATE / DELETE trigger per table, FOR EACH ROW (SQLite has no
statement triggers); an UPSERT, so a flushed table gets its row back on the next write.
PostgreSQL: one plpgsql function, attached FOR EACH STATEMENT (TRUNCATE included) to every table.

The triggers sit on catalog_coin, catalog_reference and vocab_* like the full-text ones: a migration
that rebuilds one of those tables on SQLite must wrap its operations in KeepingSQLiteTriggers.

PostgreSQL also gets the indexes descending sorts need: `ORDER BY x DESC NULLS LAST` cannot be
read from an ascending B-tree (backwards it gives NULLS FIRST). SQLite sorts NULL first ascending,
so DESC NULLS LAST is its ascending index read backwards, and it refuses NULLS LAST in an index.
"""

# ruff: noqa: S608 - the SQL is assembled from constant table names at import time; no input reaches it.
import secrets

from django.db import migrations, models

COLLECTION_TABLES = (
    "catalog_coin",
    "catalog_coinimage",
    "catalog_reference",
    "catalog_provenanceevent",
    "catalog_series",
    "catalog_seriesslot",
    "catalog_seriesmembership",
    "vocab_issuer",
    "vocab_mint",
    "vocab_denomination",
)
OPERATIONS = ("insert", "update", "delete")


def sqlite_triggers(scope: str, tables: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(CREATE statements, DROP statements) for the version triggers of `scope` on SQLite."""
    create, drop = [], []
    for table in tables:
        for op in OPERATIONS:
            name = f"dataversion_{table}_{op}"
            create.append(
                f"""CREATE TRIGGER {name} AFTER {op.upper()} ON {table} BEGIN
                    INSERT INTO catalog_dataversion (scope, token)
                    VALUES ('{scope}', lower(hex(randomblob(8))))
                    ON CONFLICT (scope) DO UPDATE SET token = excluded.token;
                END"""
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


PG_FUNCTION = """CREATE FUNCTION catalog_dataversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_dataversion (scope, token)
        VALUES (TG_ARGV[0], md5(random()::text || clock_timestamp()::text))
        ON CONFLICT (scope) DO UPDATE SET token = excluded.token;
        RETURN NULL;
    END
    $$"""


def pg_triggers(scope: str, tables: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(CREATE statements, DROP statements) for the version triggers of `scope` on PostgreSQL."""
    create, drop = [], []
    for table in tables:
        create.append(
            f"""CREATE TRIGGER dataversion_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION catalog_dataversion_bump('{scope}')"""
        )
        drop.append(f"DROP TRIGGER IF EXISTS dataversion_bump ON {table}")
    return create, drop


# ?sort=-year, -price, -acquired, -grade (catalog.listing.ordered: DESC NULLS LAST, ties by -id).
PG_INDEXES = [
    (
        "coin_year_desc_idx",
        "catalog_coin (year_start DESC NULLS LAST, year_end DESC NULLS LAST, id DESC)",
    ),
    ("coin_price_desc_idx", "catalog_coin (acquisition_price DESC NULLS LAST, id DESC)"),
    ("coin_acquired_desc_idx", "catalog_coin (acquisition_date DESC NULLS LAST, id DESC)"),
    ("coin_grade_desc_idx", "catalog_coin (grade_band DESC NULLS LAST, id DESC)"),
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    # A plain table (coinstack.dataversion.DataVersion says why), in SQL every engine reads.
    schema_editor.execute(
        "CREATE TABLE catalog_dataversion (scope varchar(20) NOT NULL PRIMARY KEY, token varchar(32) NOT NULL)",
        params=None,
    )
    if vendor not in ("sqlite", "postgresql"):
        return  # no triggers, so no rows: DataVersion.current() is None and nothing is cached
    for scope in ("collection", "market"):
        # Random from the start: two databases (a restored backup, a test database) must never
        # share a token, or one process could serve the other's cached figures.
        schema_editor.execute(
            "INSERT INTO catalog_dataversion (scope, token) VALUES (%s, %s)", [scope, secrets.token_hex(8)]
        )
    if vendor == "sqlite":
        create, _ = sqlite_triggers("collection", COLLECTION_TABLES)
    elif vendor == "postgresql":
        create, _ = pg_triggers("collection", COLLECTION_TABLES)
        create = [PG_FUNCTION, *create]
        create += [f"CREATE INDEX {name} ON {definition}" for name, definition in PG_INDEXES]
    for sql in create:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    drop = []
    if vendor == "sqlite":
        _, drop = sqlite_triggers("collection", COLLECTION_TABLES)
    elif vendor == "postgresql":
        _, drop = pg_triggers("collection", COLLECTION_TABLES)
        drop += ["DROP FUNCTION IF EXISTS catalog_dataversion_bump()"]
        drop += [f"DROP INDEX IF EXISTS {name}" for name, _ in PG_INDEXES]
    for sql in [*drop, "DROP TABLE catalog_dataversion"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_drop_coin_search_text"),
        ("vocab", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="coin", name="coin_category_metal_idx"),
        migrations.RemoveIndex(model_name="coin", name="coin_metal_idx"),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                fields=["category", "metal", "year_start", "year_end"], name="coin_category_metal_year_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(fields=["metal", "category"], name="coin_metal_category_idx"),
        ),
        migrations.RemoveIndex(model_name="coin", name="coin_acquired_idx"),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                fields=["acquisition_date", "acquisition_currency", "acquisition_price"],
                name="coin_acquired_spending_idx",
            ),
        ),
        # ?storage= on PostgreSQL: LIKE 'x%' is served by varchar_pattern_ops (ignored by SQLite,
        # whose filter asks for a prefix range instead: catalog.filters.CoinFilter.filter_storage).
        migrations.RemoveIndex(model_name="coin", name="coin_storage_idx"),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                fields=["storage_location"], name="coin_storage_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
