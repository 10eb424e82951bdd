"""What was spent per purchase day and currency, kept by database triggers, for /stats/'s "Spent".

/stats/ converts what every coin cost into the owner's currency at the ECB rate of its purchase
date (catalog.valuation.collection.spent_converted). Grouping the coins by (date, currency) read
every coin: about 45 ms of SQL at 100,000 coins, and 33,000 groups to convert. `catalog_spending`
holds, per (day, currency), how many coins with a price there are and the sum of their prices in
cents; `catalog_spending_year` the same per (year, currency). The page converts the days a year at a
time and keeps each year's converted subtotal until that year's row changes (catalog.valuation.spending).

- day: 'YYYY-MM-DD' ('YYYY' in the years' table), '' for coins without an acquisition date;
  currency: '' when none is stated.
- Every coin with a price counts, disposed ones too: spent_converted has always summed what every
  recorded coin cost (the counts of catalog 0014 are of the coins still held).
- mark: a random number replaced on every change of the row, so a year's mark changes whenever any
  of its days does (its coins and sum alone would not: a purchase moved from March to May leaves them
  unchanged). Random, not a counter, for the reason DataVersion's tokens are:
  a rolled-back change must not leave a later, different state with the same fingerprint.

Kept as catalog 0014 keeps catalog_coincount (its docstring says why each way): SQLite, row triggers
changing the rows in place; PostgreSQL, row triggers appending the days' changes to
`catalog_spending_journal`, folded into both tables once when the writing transaction commits (a
bulk import of undated coins would otherwise update one row thousands of times in one transaction;
coinstack.journal_fold says why at commit); readers add both up. TRUNCATE empties all three. The update trigger fires only when the date,
currency or price changes. Plain tables, not models.

Also kept from here on: how many coins have provenance (catalog_coincount, facet 'has', value
'provenance'), as catalog 0014 keeps those with references and images; see HAS_VALUE below.
And a data-version scope 'values' (coinstack.dataversion; catalog 0006 made the table and the
'collection' scope), whose token triggers on catalog_valuesnapshot replace on every write: /stats/'s
value section caches its figures under the collection's and the snapshots' tokens (see VALUES below).

The triggers sit on catalog_coin, catalog_provenanceevent and catalog_valuesnapshot: a migration that rebuilds either on
SQLite must wrap its operations in coinstack.schema_ops.KeepingSQLiteTriggers.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
import importlib
import secrets

from django.db import migrations

from coinstack.journal_fold import fold_at_commit

# catalog 0014's counts, for the coins with provenance (below): its SQL builders, frozen with it.
counts = importlib.import_module("catalog.migrations.0014_maintained_counts")

TABLE = "catalog_spending"
YEARS = "catalog_spending_year"
JOURNAL = "catalog_spending_journal"
KEY = "day, currency"
COLUMNS = "day varchar(10) NOT NULL, currency varchar(3) NOT NULL, n bigint NOT NULL, amount bigint NOT NULL"
CREATE_TABLES = [
    f"""CREATE TABLE {table} ({COLUMNS}, mark bigint NOT NULL,
    CONSTRAINT {table}_key PRIMARY KEY ({KEY}), CONSTRAINT {table}_not_negative CHECK (n >= 0))"""
    for table in (TABLE, YEARS)
]
CREATE_JOURNAL = f"CREATE TABLE {JOURNAL} ({COLUMNS}, mark bigint NOT NULL)"
COUNTED_COLUMNS = ("acquisition_date", "acquisition_currency", "acquisition_price")

# A fresh random mark below 2**40: a year's sum of marks stays far inside a bigint.
MARK = {
    "sqlite": "(random() & 1099511627775)",
    "postgresql": "floor(random() * 1099511627776)::bigint",
}


def change(row: str, sign: int, vendor: str, source: str = "") -> str:
    """A SELECT of (day, currency, n, amount, mark): the change the coins `row` of `source` make,
    each counted `sign` times; coins without a price make none."""
    if vendor == "sqlite":
        day = f"COALESCE({row}.acquisition_date, '')"  # a date is 'YYYY-MM-DD' text there
    else:
        day = f"COALESCE(to_char({row}.acquisition_date, 'YYYY-MM-DD'), '')"
    cents = f"CAST(ROUND({row}.acquisition_price * 100) AS bigint)"
    return (
        f"SELECT {day} AS day, COALESCE({row}.acquisition_currency, '') AS currency, {sign} AS n, "
        f"{sign} * {cents} AS amount, {MARK[vendor]} AS mark {source} "
        f"WHERE {row}.acquisition_price IS NOT NULL"
    )


def per_year(changes: str) -> str:
    """The same changes, keyed by the year ('YYYY', '' for undated) instead of the day."""
    return f"SELECT substr(day, 1, 4) AS day, currency, n, amount, mark FROM ({changes}) AS y"


def sqlite_apply(changes: str, sign: int, table: str) -> str:
    """One row's change in one statement: added by an UPSERT, subtracted by an UPDATE (the row exists:
    its coin was counted; an UPSERT's candidate row would fail spending_not_negative first)."""
    if sign > 0:
        return (
            f"INSERT INTO {table} ({KEY}, n, amount, mark) SELECT {KEY}, n, amount, mark FROM ({changes}) "
            f"AS c WHERE true ON CONFLICT ({KEY}) DO UPDATE SET n = {table}.n + excluded.n, "
            f"amount = {table}.amount + excluded.amount, mark = excluded.mark"
        )
    return (
        f"UPDATE {table} SET n = {table}.n + c.n, amount = {table}.amount + c.amount, mark = c.mark "
        f"FROM ({changes}) AS c WHERE {table}.day = c.day AND {table}.currency = c.currency"
    )


def sqlite_forward() -> list[str]:
    new, old = change("NEW", 1, "sqlite"), change("OLD", -1, "sqlite")
    new = f"{sqlite_apply(new, 1, TABLE)}; {sqlite_apply(per_year(new), 1, YEARS)}"
    old = f"{sqlite_apply(old, -1, TABLE)}; {sqlite_apply(per_year(old), -1, YEARS)}"
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED_COLUMNS)
    return [
        f"CREATE TRIGGER spending_insert AFTER INSERT ON catalog_coin BEGIN {new}; END",
        f"CREATE TRIGGER spending_delete AFTER DELETE ON catalog_coin BEGIN {old}; END",
        f"CREATE TRIGGER spending_update AFTER UPDATE ON catalog_coin WHEN {changed} BEGIN {old}; {new}; END",
    ]


SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS spending_{op}" for op in ("insert", "delete", "update")]


def pg_forward() -> list[str]:
    def journal(changes: str) -> str:
        columns = f"{KEY}, n, amount, mark"
        return f"INSERT INTO {JOURNAL} ({columns}) SELECT {columns} FROM ({changes}) AS c"

    apply = f"""CREATE FUNCTION catalog_spending_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {TABLE};
                DELETE FROM {YEARS};
                DELETE FROM {JOURNAL};
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {journal(change("OLD", -1, "postgresql"))};
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                {journal(change("NEW", 1, "postgresql"))};
            END IF;
            RETURN NULL;
        END
        $$"""

    def fold_into(table: str, group: str) -> str:
        # Existing rows updated, new ones inserted (not one INSERT ... ON CONFLICT: its candidate
        # row, a negative change, would fail the CHECK first).
        match = "t.day = g.day AND t.currency = g.currency"
        return f"""{table}_g AS (SELECT {group} AS day, currency, SUM(n) AS n, SUM(amount) AS amount
                FROM moved GROUP BY {group}, currency),
            {table}_updated AS (
                UPDATE {table} AS t SET n = t.n + g.n, amount = t.amount + g.amount,
                    mark = {MARK["postgresql"]} FROM {table}_g AS g WHERE {match} RETURNING t.day, t.currency
            ),
            {table}_inserted AS (
                INSERT INTO {table} ({KEY}, n, amount, mark)
                SELECT {KEY}, n, amount, {MARK["postgresql"]} FROM {table}_g AS g
                WHERE NOT EXISTS (SELECT 1 FROM {table}_updated AS t WHERE {match}) RETURNING 1
            )"""

    # One statement: the rows deleted are exactly the rows added (catalog 0014), into the days and
    # into the years.
    fold = f"""WITH moved AS (DELETE FROM {JOURNAL} RETURNING *),
                {fold_into(TABLE, "day")},
                {fold_into(YEARS, "substr(day, 1, 4)")}
                SELECT (SELECT count(*) FROM {TABLE}_inserted) + (SELECT count(*) FROM {YEARS}_inserted)
                INTO STRICT folded"""
    old = ", ".join(f"OLD.{column}" for column in COUNTED_COLUMNS)
    new = ", ".join(f"NEW.{column}" for column in COUNTED_COLUMNS)
    return [
        apply,
        """CREATE TRIGGER spending_insert AFTER INSERT OR DELETE ON catalog_coin
            FOR EACH ROW EXECUTE FUNCTION catalog_spending_apply()""",
        f"""CREATE TRIGGER spending_update AFTER UPDATE ON catalog_coin FOR EACH ROW
            WHEN (({old}) IS DISTINCT FROM ({new}))
            EXECUTE FUNCTION catalog_spending_apply()""",
        """CREATE TRIGGER spending_truncate AFTER TRUNCATE ON catalog_coin
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_spending_apply()""",
        *fold_at_commit("catalog_spending_fold", "spending_fold", JOURNAL, fold, declare="folded bigint;"),
    ]


PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS spending_fold ON {JOURNAL}",
    "DROP FUNCTION IF EXISTS catalog_spending_fold()",
    "DROP TRIGGER IF EXISTS spending_insert ON catalog_coin",
    "DROP TRIGGER IF EXISTS spending_update ON catalog_coin",
    "DROP TRIGGER IF EXISTS spending_truncate ON catalog_coin",
    "DROP FUNCTION IF EXISTS catalog_spending_apply()",
]


# The coins that have at least one provenance event, kept in catalog_coincount as facet 'has', value
# 'provenance', exactly as catalog 0014 keeps those with references and images (its sqlite_has_forward
# and pg_has_forward say how): /stats/ then reads the curator's provenance share from the counts, not
# from every event. A visitor's share leaves out the events of the owner's purchases, which depend
# on the lots too: it still reads the events.
HAS_VALUE, HAS_TABLE = "provenance", "catalog_provenanceevent"


def sqlite_has_provenance() -> list[str]:
    gained = counts.has_change(
        HAS_VALUE,
        "1",
        where=f"NOT EXISTS (SELECT 1 FROM {HAS_TABLE} WHERE coin_id = NEW.coin_id AND id <> NEW.id)",
    )
    lost = counts.has_change(
        HAS_VALUE, "-1", where=f"NOT EXISTS (SELECT 1 FROM {HAS_TABLE} WHERE coin_id = OLD.coin_id)"
    )
    add, subtract = counts.sqlite_row_changes(gained, 1), counts.sqlite_row_changes(lost, -1)
    name = f"coincount_has_{HAS_VALUE}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {HAS_TABLE} BEGIN {add}; END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {HAS_TABLE} BEGIN {subtract}; END",
        f"""CREATE TRIGGER {name}_update AFTER UPDATE OF coin_id ON {HAS_TABLE}
            WHEN OLD.coin_id IS NOT NEW.coin_id BEGIN {subtract}; {add}; END""",
    ]


def pg_has_provenance() -> list[str]:
    gained = counts.has_change(
        HAS_VALUE, "1", where=f"NOT EXISTS (SELECT 1 FROM {HAS_TABLE} WHERE coin_id = NEW.coin_id)"
    )
    lost = counts.has_change(
        HAS_VALUE,
        "-1",
        where=f"NOT EXISTS (SELECT 1 FROM {HAS_TABLE} WHERE coin_id = OLD.coin_id AND id <> OLD.id)",
    )
    function = f"catalog_coincount_has_{HAS_VALUE}"
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    DELETE FROM {counts.TABLE} WHERE facet = 'has' AND value = '{HAS_VALUE}';
                    DELETE FROM {counts.JOURNAL} WHERE facet = 'has' AND value = '{HAS_VALUE}';
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    {counts.pg_row_changes(lost, -1)};
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    {counts.pg_row_changes(gained, 1)};
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;  -- a BEFORE trigger returning NULL would skip the row
            END
            $$""",
        f"""CREATE TRIGGER coincount_has_insert BEFORE INSERT OR DELETE ON {HAS_TABLE}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER coincount_has_update BEFORE UPDATE OF coin_id ON {HAS_TABLE} FOR EACH ROW
            WHEN (OLD.coin_id IS DISTINCT FROM NEW.coin_id) EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER coincount_has_truncate AFTER TRUNCATE ON {HAS_TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


def has_provenance_backward(vendor: str) -> list[str]:
    if vendor == "sqlite":
        drop = [
            f"DROP TRIGGER IF EXISTS coincount_has_{HAS_VALUE}_{op}" for op in ("insert", "delete", "update")
        ]
    else:
        drop = [
            f"DROP TRIGGER IF EXISTS coincount_has_{op} ON {HAS_TABLE}"
            for op in ("insert", "update", "truncate")
        ]
        drop.append(f"DROP FUNCTION IF EXISTS catalog_coincount_has_{HAS_VALUE}()")
    where = f"facet = 'has' AND value = '{HAS_VALUE}'"
    return [*drop, f"DELETE FROM {counts.TABLE} WHERE {where}", f"DELETE FROM {counts.JOURNAL} WHERE {where}"]


# The snapshots' data version: named apart from catalog 0006's dataversion_* triggers, which cover
# the collection's tables (catalog/tests/test_data_version.py lists them); the same bump otherwise.
VALUES, VALUES_TABLE = "values", "catalog_valuesnapshot"


def values_version_forward(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER valueversion_{op} AFTER {op.upper()} ON {VALUES_TABLE} BEGIN
                INSERT INTO catalog_dataversion (scope, token) VALUES ('{VALUES}', lower(hex(randomblob(8))))
                ON CONFLICT (scope) DO UPDATE SET token = excluded.token;
            END"""
            for op in ("insert", "update", "delete")
        ]
    return [
        f"""CREATE TRIGGER valueversion_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {VALUES_TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_dataversion_bump('{VALUES}')"""
    ]


def values_version_backward(vendor: str) -> list[str]:
    if vendor == "sqlite":
        drop = [f"DROP TRIGGER IF EXISTS valueversion_{op}" for op in ("insert", "update", "delete")]
    else:
        drop = [f"DROP TRIGGER IF EXISTS valueversion_bump ON {VALUES_TABLE}"]
    return [*drop, f"DELETE FROM catalog_dataversion WHERE scope = '{VALUES}'"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return  # no table: spent_converted then groups the coins themselves, as before
    for sql in [*CREATE_TABLES, CREATE_JOURNAL]:
        schema_editor.execute(sql, params=None)
    # What the coins already there cost, per day and per year, then the triggers that keep it.
    changes = change("r", 1, vendor, "FROM catalog_coin AS r")
    for table, rows in ((TABLE, changes), (YEARS, per_year(changes))):
        schema_editor.execute(
            f"INSERT INTO {table} ({KEY}, n, amount, mark) SELECT {KEY}, SUM(n), SUM(amount), {MARK[vendor]} "
            f"FROM ({rows}) AS c GROUP BY {KEY}",
            params=None,
        )
    for sql in sqlite_forward() if vendor == "sqlite" else pg_forward():
        schema_editor.execute(sql, params=None)
    # The coins with provenance now, then the triggers that keep the count.
    having = counts.has_change(HAS_VALUE, "COUNT(DISTINCT coin_id)", f"FROM {HAS_TABLE}")
    for sql in counts.upsert(having).split("; "):
        schema_editor.execute(sql, params=None)
    for sql in sqlite_has_provenance() if vendor == "sqlite" else pg_has_provenance():
        schema_editor.execute(sql, params=None)
    # Random from the start, as catalog 0006's tokens are (it says why).
    schema_editor.execute(
        "INSERT INTO catalog_dataversion (scope, token) VALUES (%s, %s)", [VALUES, secrets.token_hex(8)]
    )
    for sql in values_version_forward(vendor):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    drop = (SQLITE_BACKWARD if vendor == "sqlite" else PG_BACKWARD) + has_provenance_backward(vendor)
    drop += values_version_backward(vendor)
    for sql in [*drop, f"DROP TABLE {JOURNAL}", f"DROP TABLE {YEARS}", f"DROP TABLE {TABLE}"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_maintained_counts")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
