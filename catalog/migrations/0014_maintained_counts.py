"""Counts of coins kept by database triggers, so facet panels and statistics need no scan after a write.

`catalog_coincount` holds, per (facet, category, metal, value), how many coins still held (not sold
or given away: catalog 0011's `disposal` is empty) there are, how many
of them carry a price and the sum of those prices in cents. The facets of the coin list's panel
(category, metal, issuer, mint, denomination, grading state and service, plus the total) are kept
per category and metal, so the unfiltered list and a list filtered by category and metal read their
facet counts from a few hundred rows (catalog.tallies). Statistics-only dimensions (the striking
year and the acquisition year with its currency) are kept once, with empty category and metal; so
is facet 'has': how many coins have at least one reference, and at least one image (kept by
triggers on catalog_reference and catalog_coinimage), for the statistics' completeness.

Every insert, update or delete of a coin changes the counts in the same transaction (a rolled-back
write rolls its counts back too), whichever way it is made (bulk_create, queryset.update(), raw SQL):
- SQLite: AFTER INSERT / UPDATE / DELETE triggers FOR EACH ROW, each count changed in place;
- PostgreSQL: row triggers that append the changes to `catalog_coincount_journal`, folded into the
  counts by a write every 2,000 journal rows (pg_row_changes says why); readers add both up.
  TRUNCATE empties both.
On both, the update trigger fires only when a counted column changes.
A plain table, not a model (like catalog_dataversion): nothing but the triggers writes it, and a test
database flush must not empty it while the coins' own delete triggers are counting down.

The triggers sit on catalog_coin, catalog_reference and catalog_coinimage: a migration that
rebuilds one of them on SQLite must wrap its operations in coinstack.schema_ops.KeepingSQLiteTriggers
(as for the full-text and version triggers).
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


JOURNAL = "catalog_coincount_journal"
# Changes not yet added to the counts (PostgreSQL only; empty on SQLite): readers add the two up.
CREATE_JOURNAL = f"""CREATE TABLE {JOURNAL} (
    facet varchar(20) NOT NULL,
    category varchar(30) NOT NULL,
    metal varchar(20) NOT NULL,
    value varchar(40) NOT NULL,
    n bigint NOT NULL,
    priced bigint NOT NULL,
    amount bigint NOT NULL
)"""
# Journal rows past which a write folds the journal into the counts.
FOLD_AFTER = 2000


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
            f"{sign} AS n, {sign} * {priced} AS priced, {sign} * {cents} AS amount {source} "
            # Only the coins still held are counted: the lists and statistics leave out a coin
            # sold or given away (Coin.objects.held()), so the counts they read do too.
            f"WHERE {row}.disposal = ''"
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


def sqlite_row_changes(changes: str, sign: int) -> str:
    """One row's changes in one statement: added by an UPSERT when positive, subtracted by an
    UPDATE when negative (the row exists: its coin was counted), each change computed once."""
    if sign > 0:
        return (
            f"INSERT INTO {TABLE} ({KEY}, n, priced, amount) SELECT {KEY}, n, priced, amount "
            f"FROM ({changes}) AS c WHERE c.n <> 0 OR c.priced <> 0 OR c.amount <> 0 "
            f"ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + excluded.n, "
            f"priced = {TABLE}.priced + excluded.priced, amount = {TABLE}.amount + excluded.amount"
        )
    key_of = " AND ".join(f"{TABLE}.{column} = c.{column}" for column in KEY.split(", "))
    return (
        f"UPDATE {TABLE} SET n = {TABLE}.n + c.n, priced = {TABLE}.priced + c.priced, "
        f"amount = {TABLE}.amount + c.amount FROM ({changes}) AS c WHERE {key_of}"
    )


def sqlite_forward() -> list[str]:
    new = deltas("NEW", "", 1, "sqlite")
    old = deltas("OLD", "", -1, "sqlite")
    return [
        f"CREATE TRIGGER coincount_insert AFTER INSERT ON catalog_coin BEGIN {sqlite_row_changes(new, 1)}; END",
        f"CREATE TRIGGER coincount_delete AFTER DELETE ON catalog_coin BEGIN {sqlite_row_changes(old, -1)}; END",
        # Only when a counted column changes: saving a coin's notes writes no count.
        f"""CREATE TRIGGER coincount_update AFTER UPDATE ON catalog_coin
            WHEN {" OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED_COLUMNS.split(", "))}
            BEGIN {sqlite_row_changes(old, -1)}; {sqlite_row_changes(new, 1)}; END""",
    ]


SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS coincount_insert",
    "DROP TRIGGER IF EXISTS coincount_delete",
    "DROP TRIGGER IF EXISTS coincount_update",
]


def pg_row_changes(changes: str, sign: int) -> str:
    """The changes of one row (NEW or OLD in a row trigger), appended to the journal.

    Not added to the counts directly: PostgreSQL keeps every version of a row updated in one
    transaction until it ends, so the thousands of updates a bulk import would make to one count
    (the total, say) would each walk all the versions before it (measured: 7 ms per coin at 2,000
    coins in one transaction, growing with every coin)."""
    return (
        f"INSERT INTO {JOURNAL} ({KEY}, n, priced, amount) SELECT {KEY}, n, priced, amount "
        f"FROM ({changes}) AS c WHERE c.n <> 0 OR c.priced <> 0 OR c.amount <> 0"
    )


key_match = " AND ".join(f"t.{column} = g.{column}" for column in KEY.split(", "))
PG_FOLD = f"""CREATE FUNCTION catalog_coincount_fold() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT count(*) FROM (SELECT 1 FROM {JOURNAL} LIMIT {FOLD_AFTER + 1}) AS j) > {FOLD_AFTER} THEN
            -- One statement, so the rows deleted are exactly the rows added (a concurrent commit in
            -- between cannot slip a row past the count); each count updated once per fold.
            WITH moved AS (DELETE FROM {JOURNAL} RETURNING *),
            g AS (
                SELECT {KEY}, SUM(n) AS n, SUM(priced) AS priced, SUM(amount) AS amount FROM moved
                GROUP BY {KEY} HAVING SUM(n) <> 0 OR SUM(priced) <> 0 OR SUM(amount) <> 0
            ),
            updated AS (
                UPDATE {TABLE} AS t SET n = t.n + g.n, priced = t.priced + g.priced,
                    amount = t.amount + g.amount
                FROM g WHERE {key_match} RETURNING t.facet, t.category, t.metal, t.value
            )
            INSERT INTO {TABLE} AS t ({KEY}, n, priced, amount)
            SELECT {KEY}, n, priced, amount FROM g
            WHERE NOT EXISTS (SELECT 1 FROM updated AS t WHERE {key_match})
            ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + excluded.n, priced = t.priced + excluded.priced,
                amount = t.amount + excluded.amount;
        END IF;
        RETURN NULL;
    END
    $$"""


# On PostgreSQL too the triggers fire per row, with plain statements whose plans PL/pgSQL keeps:
# the generator and the importer write one row per statement, so a statement trigger would run its
# query over the transition tables once per row anyway.
COUNTED_COLUMNS = (
    "category, metal, issuer_id, mint_id, denomination_id, grading_state, grade_service, weight_g, "
    "year_start, acquisition_date, acquisition_currency, acquisition_price, disposal"
)


def pg_forward() -> list[str]:
    new = deltas("NEW", "", 1, "postgresql")
    old = deltas("OLD", "", -1, "postgresql")
    function = f"""CREATE FUNCTION catalog_coincount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {TABLE};
                DELETE FROM {JOURNAL};
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {pg_row_changes(old, -1)};
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                {pg_row_changes(new, 1)};
            END IF;
            RETURN NULL;
        END
        $$"""
    return [
        function,
        """CREATE TRIGGER coincount_insert AFTER INSERT OR DELETE ON catalog_coin
            FOR EACH ROW EXECUTE FUNCTION catalog_coincount_apply()""",
        # Only when a counted column changes: saving a coin's notes writes no count.
        f"""CREATE TRIGGER coincount_update AFTER UPDATE ON catalog_coin FOR EACH ROW
            WHEN ((OLD.{COUNTED_COLUMNS.replace(", ", ", OLD.")}) IS DISTINCT FROM
                  (NEW.{COUNTED_COLUMNS.replace(", ", ", NEW.")}))
            EXECUTE FUNCTION catalog_coincount_apply()""",
        """CREATE TRIGGER coincount_truncate AFTER TRUNCATE ON catalog_coin
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_apply()""",
        PG_FOLD,
        f"""CREATE TRIGGER coincount_fold AFTER INSERT ON {JOURNAL}
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coincount_fold()""",
    ]


PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS coincount_fold ON {JOURNAL}",
    "DROP FUNCTION IF EXISTS catalog_coincount_fold()",
    "DROP TRIGGER IF EXISTS coincount_insert ON catalog_coin",
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
        gained = has_change(
            value,
            "1",
            where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = NEW.coin_id AND id <> NEW.id)",
        )
        lost = has_change(
            value, "-1", where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = OLD.coin_id)"
        )
        name = f"coincount_has_{value}"
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {sqlite_row_changes(gained, 1)}; END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {sqlite_row_changes(lost, -1)}; END",
            f"""CREATE TRIGGER {name}_update AFTER UPDATE OF coin_id ON {table}
                WHEN OLD.coin_id IS NOT NEW.coin_id
                BEGIN {sqlite_row_changes(lost, -1)}; {sqlite_row_changes(gained, 1)}; END""",
        ]
    return statements


def sqlite_has_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS coincount_has_{value}_{op}"
        for value in HAS_TABLES
        for op in ("insert", "delete", "update")
    ]


def pg_has_forward() -> list[str]:
    """Row triggers fired BEFORE each row: there, unlike in an AFTER row trigger (which runs once
    the whole statement is done), the rows an INSERT or DELETE of several rows handled before this
    one are visible and the row itself not yet (inserted) or still (deleted), so the first row a
    coin gets and the last it loses are told apart as on SQLite."""
    statements = []
    for value, table in HAS_TABLES.items():
        gained = has_change(
            value, "1", where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = NEW.coin_id)"
        )
        lost = has_change(
            value,
            "-1",
            where=f"NOT EXISTS (SELECT 1 FROM {table} WHERE coin_id = OLD.coin_id AND id <> OLD.id)",
        )
        function = f"catalog_coincount_has_{value}"
        statements += [
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        DELETE FROM {TABLE} WHERE facet = 'has' AND value = '{value}';
                        DELETE FROM {JOURNAL} WHERE facet = 'has' AND value = '{value}';
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        {pg_row_changes(lost, -1)};
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') THEN
                        {pg_row_changes(gained, 1)};
                    END IF;
                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    RETURN NEW;  -- a BEFORE trigger returning NULL would skip the row
                END
                $$""",
            f"""CREATE TRIGGER coincount_has_insert BEFORE INSERT OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER coincount_has_update BEFORE UPDATE OF coin_id ON {table} FOR EACH ROW
                WHEN (OLD.coin_id IS DISTINCT FROM NEW.coin_id) EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER coincount_has_truncate AFTER TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        ]
    return statements


def pg_has_backward() -> list[str]:
    drop = []
    for value, table in HAS_TABLES.items():
        drop += [
            f"DROP TRIGGER IF EXISTS coincount_has_{op} ON {table}" for op in ("insert", "update", "truncate")
        ]
        drop.append(f"DROP FUNCTION IF EXISTS catalog_coincount_has_{value}()")
    return drop


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return  # no table: catalog.tallies then counts with GROUP BYs, as before
    schema_editor.execute(CREATE_TABLE, params=None)
    schema_editor.execute(CREATE_JOURNAL, params=None)
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
    for sql in [*drop, f"DROP TABLE {JOURNAL}", f"DROP TABLE {TABLE}"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_import_batches")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
