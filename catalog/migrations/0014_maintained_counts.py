"""Counts of coins kept by database triggers, so facet panels and statistics need no scan after a write.

`catalog_coincount` holds, per (facet, category, metal, value), how many coins there are, how many
of them carry a price and the sum of those prices in cents. The facets of the coin list's panel
(category, metal, issuer, mint, denomination, grading state and service, plus the total) are kept
per category and metal, so the unfiltered list and a list filtered by category and metal read their
facet counts from a few hundred rows (catalog.tallies). Statistics-only dimensions (the striking
year and the acquisition year with its currency) are kept once, with empty category and metal; so
is facet 'has': how many coins have at least one reference, and at least one image (kept by
triggers on catalog_reference and catalog_coinimage), for the statistics' completeness.

Every insert, update or delete of a coin changes the counts in the same transaction (a rolled-back
write rolls its counts back too), whichever way it is made (bulk_create, queryset.update(), raw SQL):
- SQLite: AFTER INSERT / UPDATE / DELETE triggers FOR EACH ROW;
- PostgreSQL: statement triggers with transition tables, one grouped change per statement however
  many rows it touched (grouped changes applied once: a bulk import costs the same per row at any size), and TRUNCATE empties it.
A plain table, not a model (like catalog_dataversion): nothing but the triggers writes it, and a test
database flush must not empty it while the coins' own delete triggers are counting down.

The triggers sit on catalog_coin, catalog_reference and catalog_coinimage: a migration that
rebuilds one of them on SQLite must wrap its operations in coinstack.schema_ops.KeepingSQLiteTriggers (as for the full-text and version triggers).
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
from django.db import migrations

TABLE = "catalog_coincount"
KEY = "facet, category, metal, value"

CREATE_TABLE = f"""CREATE TABLE {TABLE} (
    facet varchar(20) NOT NULL,
    category varchar(30) NOT NULL,
    metal varchar(20) NOT NULL,
    value varchar(40) NOT NULL,
    n bigint NOT NULL,
    priced bigint NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT coincount_key PRIMARY KEY ({KEY}),
    CONSTRAINT coincount_not_negative CHECK (n >= 0 AND priced >= 0 AND priced <= n)
)"""


def facet_values(row: str, vendor: str) -> list[tuple[str, str, bool]]:
    """(facet, value expression over `row`, kept per category and metal) for each counted dimension.
    Values are text; a missing value is ''. Facet names are those of catalog.filters.FACETS."""

    def text(column: str) -> str:
        cast = "TEXT" if vendor == "sqlite" else "text"
        return f"COALESCE(CAST({row}.{column} AS {cast}), '')"

    if vendor == "sqlite":
        # A date is stored as 'YYYY-MM-DD' text on SQLite.
        acquired_year = f"substr({row}.acquisition_date, 1, 4)"
    else:
        acquired_year = f"to_char({row}.acquisition_date, 'YYYY')"
    acquired = (
        f"CASE WHEN {row}.acquisition_date IS NULL THEN '' "
        f"ELSE {acquired_year} || '|' || COALESCE({row}.acquisition_currency, '') END"
    )
    return [
        ("total", "''", True),
        ("category", f"{row}.category", True),
        ("metal", f"{row}.metal", True),
        ("issuer", text("issuer_id"), True),
        ("mint", text("mint_id"), True),
        ("denomination", text("denomination_id"), True),
        ("grading_state", f"{row}.grading_state", True),
        ("grade_service", f"{row}.grade_service", True),
        ("weighed", f"CASE WHEN {row}.weight_g IS NULL THEN '' ELSE 'yes' END", False),
        ("year_start", text("year_start"), False),
        ("acquired", acquired, False),
    ]


def deltas(row: str, source: str, sign: int, vendor: str) -> str:
    """A SELECT of (facet, category, metal, value, n, priced, amount) changes for the rows `row` of
    `source` (a FROM clause, or '' for a SQLite trigger's NEW/OLD), each counted `sign` times."""
    cents = f"COALESCE(CAST(ROUND({row}.acquisition_price * 100) AS bigint), 0)"
    priced = f"CASE WHEN {row}.acquisition_price IS NULL THEN 0 ELSE 1 END"
    selects = []
    for facet, value, partitioned in facet_values(row, vendor):
        category, metal = (f"{row}.category", f"{row}.metal") if partitioned else ("''", "''")
        selects.append(
            f"SELECT '{facet}' AS facet, {category} AS category, {metal} AS metal, {value} AS value, "
            f"{sign} AS n, {sign} * {priced} AS priced, {sign} * {cents} AS amount {source}"
        )
    return " UNION ALL ".join(selects)


def upsert(changes: str) -> str:
    """Add the grouped `changes` (a SELECT from deltas) to the counts: existing rows updated, new
    ones inserted. Not one INSERT ... ON CONFLICT: its candidate row (a negative change) would be
    checked against coincount_not_negative before the conflict turned it into an update."""
    grouped = (
        f"SELECT {KEY}, SUM(n) AS n, SUM(priced) AS priced, SUM(amount) AS amount FROM ({changes}) AS d "
        f"GROUP BY {KEY} HAVING SUM(n) <> 0 OR SUM(priced) <> 0 OR SUM(amount) <> 0"
    )
    # No alias for the updated table: SQLite takes none inside a trigger.
    key_of = " AND ".join(f"{TABLE}.{column} = c.{column}" for column in KEY.split(", "))
    return (
        f"UPDATE {TABLE} SET n = {TABLE}.n + c.n, priced = {TABLE}.priced + c.priced, "
        f"amount = {TABLE}.amount + c.amount FROM ({grouped}) AS c WHERE {key_of}; "
        f"INSERT INTO {TABLE} ({KEY}, n, priced, amount) SELECT {KEY}, n, priced, amount "
        f"FROM ({grouped}) AS c WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE {key_of})"
    )


def sqlite_forward() -> list[str]:
    new = deltas("NEW", "", 1, "sqlite")
    old = deltas("OLD", "", -1, "sqlite")
    return [
        f"""CREATE TRIGGER coincount_insert AFTER INSERT ON catalog_coin BEGIN {upsert(new)}; END""",
        f"""CREATE TRIGGER coincount_delete AFTER DELETE ON catalog_coin BEGIN {upsert(old)}; END""",
        # Old and new rows grouped together: an update that changes no counted column writes nothing.
        f"""CREATE TRIGGER coincount_update AFTER UPDATE ON catalog_coin BEGIN
            {upsert(f"{old} UNION ALL {new}")}; END""",
    ]


SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS coincount_insert",
    "DROP TRIGGER IF EXISTS coincount_delete",
    "DROP TRIGGER IF EXISTS coincount_update",
]


def pg_forward() -> list[str]:
    new = deltas("r", "FROM coincount_new AS r", 1, "postgresql")
    old = deltas("r", "FROM coincount_old AS r", -1, "postgresql")
    function = f"""CREATE FUNCTION catalog_coincount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {upsert(new)};
            ELSIF TG_OP = 'DELETE' THEN
                {upsert(old)};
            ELSIF TG_OP = 'UPDATE' THEN
                {upsert(f"{old} UNION ALL {new}")};
            ELSE
                DELETE FROM {TABLE};
            END IF;
            RETURN NULL;
        END
        $$"""
    # A trigger with transition tables serves one event only, hence one per event.
    return [
        function,
        """CREATE TRIGGER coincount_insert AFTER INSERT ON catalog_coin
            REFERENCING NEW TABLE AS coincount_new
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_apply()""",
        """CREATE TRIGGER coincount_delete AFTER DELETE ON catalog_coin
            REFERENCING OLD TABLE AS coincount_old
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_apply()""",
        """CREATE TRIGGER coincount_update AFTER UPDATE ON catalog_coin
            REFERENCING OLD TABLE AS coincount_old NEW TABLE AS coincount_new
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_apply()""",
        """CREATE TRIGGER coincount_truncate AFTER TRUNCATE ON catalog_coin
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_apply()""",
    ]


PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS coincount_insert ON catalog_coin",
    "DROP TRIGGER IF EXISTS coincount_delete ON catalog_coin",
    "DROP TRIGGER IF EXISTS coincount_update ON catalog_coin",
    "DROP TRIGGER IF EXISTS coincount_truncate ON catalog_coin",
    "DROP FUNCTION IF EXISTS catalog_coincount_apply()",
]


# Child tables whose coins are counted once each: facet 'has', value -> table.
HAS_TABLES = {"references": "catalog_reference", "images": "catalog_coinimage"}


def has_change(value: str, n: str, source: str = "", where: str = "") -> str:
    """A deltas-shaped SELECT changing the count of coins that have a `value` (references, images)."""
    return (
        f"SELECT 'has' AS facet, '' AS category, '' AS metal, '{value}' AS value, {n} AS n, "
        f"0 AS priced, 0 AS amount {source} {f'WHERE {where}' if where else ''}"
    )


def sqlite_has_forward() -> list[str]:
    """Row triggers: +1 when a coin gets its first row in the table, -1 when it loses its last."""
    statements = []
    for value, table in HAS_TABLES.items():
        gained = has_change(value, "1", where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = NEW.coin_id AND id <> NEW.id)")
        lost = has_change(value, "-1", where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = OLD.coin_id)")
        name = f"coincount_has_{value}"
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {upsert(gained)}; END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {upsert(lost)}; END",
            f"""CREATE TRIGGER {name}_update AFTER UPDATE OF coin_id ON {table}
                WHEN OLD.coin_id IS NOT NEW.coin_id BEGIN {upsert(f"{lost} UNION ALL {gained}")}; END""",
        ]
    return statements


def sqlite_has_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS coincount_has_{value}_{op}"
        for value in HAS_TABLES
        for op in ("insert", "delete", "update")
    ]


def pg_has_forward() -> list[str]:
    """Statement triggers: the coins of the touched rows that had none before / have none after."""
    statements = []
    for value, table in HAS_TABLES.items():
        new, old = "has_new", "has_old"
        gained = has_change(
            value,
            "COUNT(DISTINCT n.coin_id)",
            f"FROM {new} AS n",
            f"NOT EXISTS (SELECT 1 FROM {table} AS r WHERE r.coin_id = n.coin_id "
            f"AND r.id NOT IN (SELECT id FROM {new}))",
        )
        lost = has_change(
            value,
            "-COUNT(DISTINCT o.coin_id)",
            f"FROM {old} AS o",
            f"NOT EXISTS (SELECT 1 FROM {table} AS r WHERE r.coin_id = o.coin_id)",
        )
        # An update may move rows between coins: each coin touched, counted now minus before.
        has_now = f"EXISTS (SELECT 1 FROM {table} AS r WHERE r.coin_id = c.coin_id)"
        had = (
            f"EXISTS (SELECT 1 FROM {table} AS r WHERE r.coin_id = c.coin_id AND r.id NOT IN "
            f"(SELECT id FROM {new})) OR EXISTS (SELECT 1 FROM {old} AS o WHERE o.coin_id = c.coin_id)"
        )
        moved = has_change(
            value,
            f"COUNT(*) FILTER (WHERE {has_now}) - COUNT(*) FILTER (WHERE {had})",
            f"FROM (SELECT coin_id FROM {old} UNION SELECT coin_id FROM {new}) AS c",
        )
        function = f"catalog_coincount_has_{value}"
        statements += [
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        {upsert(gained)};
                    ELSIF TG_OP = 'DELETE' THEN
                        {upsert(lost)};
                    ELSIF TG_OP = 'UPDATE' THEN
                        {upsert(moved)};
                    ELSE
                        DELETE FROM {TABLE} WHERE facet = 'has' AND value = '{value}';
                    END IF;
                    RETURN NULL;
                END
                $$""",
            f"""CREATE TRIGGER coincount_has_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS {new}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER coincount_has_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS {old}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER coincount_has_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS {old} NEW TABLE AS {new}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER coincount_has_truncate AFTER TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        ]
    return statements


def pg_has_backward() -> list[str]:
    drop = []
    for value, table in HAS_TABLES.items():
        drop += [f"DROP TRIGGER IF EXISTS coincount_has_{op} ON {table}" for op in ("insert", "delete", "update", "truncate")]
        drop.append(f"DROP FUNCTION IF EXISTS catalog_coincount_has_{value}()")
    return drop


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return  # no table: catalog.tallies then counts with GROUP BYs, as before
    schema_editor.execute(CREATE_TABLE, params=None)
    # The counts of the coins already there, then the triggers that keep them.
    for sql in upsert(deltas("r", "FROM catalog_coin AS r", 1, vendor)).split("; "):
        schema_editor.execute(sql, params=None)
    for value, table in HAS_TABLES.items():
        for sql in upsert(has_change(value, "COUNT(DISTINCT coin_id)", f"FROM {table}")).split("; "):
            schema_editor.execute(sql, params=None)
    if vendor == "sqlite":
        triggers = sqlite_forward() + sqlite_has_forward()
    else:
        triggers = pg_forward() + pg_has_forward()
    for sql in triggers:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    if vendor == "sqlite":
        drop = SQLITE_BACKWARD + sqlite_has_backward()
    else:
        drop = PG_BACKWARD + pg_has_backward()
    for sql in [*drop, f"DROP TABLE {TABLE}"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_reference_provenance_origin")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
