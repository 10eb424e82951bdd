"""The coin list's facet counts per striking year, kept by database triggers, for date-range filters.

`/coins/?year_from=-100&year_to=400` listed the coins whose dates overlap the range and counted its
facet panel with a GROUP BY over every one of them: about 200 ms at 100,000 coins, and each range is
a state of its own, so the data-version cache seldom helped (a tenth of the load test's requests
were such ranges, four tenths of its CPU). `catalog_coinyearcount` holds, per facet value of the
panel (the facets of catalog 0014's counts kept per category and metal, 'total' among them), how many
coins still held there are per year at each edge of their dates:

- edge 'f' counts a coin at its last year, E = COALESCE(year_end, year_start): `year_from=F` lets
  through exactly the coins with E >= F (catalog.filters.CoinFilter.filter_year_from);
- edge 't' counts it at its first year, S = COALESCE(year_start, year_end): `year_to=T` lets
  through the coins with S <= T;
- undated coins are in neither (both filters leave them out).

Both filters with F <= T: a coin with S > T also has E >= S > T >= F, so the coins let through are
those with E >= F less those with S > T; catalog.tallies adds that up from two ranges of rows.
That rests on no coin starting after its end: the CHECK constraint coin_years_ordered
(coinstack.constraints) refuses such a coin however it is written.

Kept as catalog 0014 keeps catalog_coincount (its docstring says why each way): SQLite, row triggers
changing the counts in place; PostgreSQL, row triggers appending to `catalog_coinyearcount_journal`,
folded in once at commit (coinstack.journal_fold); readers add both up; TRUNCATE empties both. The
update trigger fires only when a counted column changes. Plain tables, not models. The triggers sit
on catalog_coin: a migration that rebuilds it on SQLite must wrap its operations in
coinstack.schema_ops.KeepingSQLiteTriggers.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
import importlib

from django.db import migrations

from coinstack.journal_fold import fold_at_commit, fold_statement

# catalog 0014's counted facets, frozen with it.
counts = importlib.import_module("catalog.migrations.0014_maintained_counts")

TABLE = "catalog_coinyearcount"
JOURNAL = "catalog_coinyearcount_journal"
# A reader sums, per facet value, a range of years at one edge: in this order the key's index
# hands the rows over already grouped (no sort); on SQLite the table is that index (WITHOUT ROWID),
# so the counts are read from it alone. 4 ms for a range at 100,000 coins, where the same rows
# keyed by year first took 12 ms to group.
KEY = "edge, facet, value, year"
COLUMNS = (
    "edge char(1) NOT NULL, year integer NOT NULL, facet varchar(20) NOT NULL, value varchar(40) NOT NULL"
)
CREATE_TABLE = f"""CREATE TABLE {TABLE} ({COLUMNS}, n bigint NOT NULL,
    CONSTRAINT coinyearcount_key PRIMARY KEY ({KEY}), CONSTRAINT coinyearcount_not_negative CHECK (n >= 0))"""
WITHOUT_ROWID = {"sqlite": " WITHOUT ROWID", "postgresql": ""}
CREATE_JOURNAL = f"CREATE TABLE {JOURNAL} ({COLUMNS}, n bigint NOT NULL)"
COUNTED_COLUMNS = (
    "category",
    "metal",
    "issuer_id",
    "mint_id",
    "denomination_id",
    "grading_state",
    "grade_service",
    "year_start",
    "year_end",
    "disposal",
)


def changes(row: str, sign: int, vendor: str, source: str = "") -> str:
    """A SELECT of (edge, year, facet, value, n): the changes the coins `row` of `source` make (a FROM
    clause, or '' for a trigger's NEW/OLD), each counted `sign` times."""
    held = f"{row}.disposal = ''"
    edges = {
        "f": f"COALESCE({row}.year_end, {row}.year_start)",
        "t": f"COALESCE({row}.year_start, {row}.year_end)",
    }
    return " UNION ALL ".join(
        f"SELECT '{edge}' AS edge, {year} AS year, '{facet}' AS facet, {value} AS value, {sign} AS n {source} "
        f"WHERE {held} AND {year} IS NOT NULL"
        for edge, year in edges.items()
        for facet, value, panel in counts.facet_values(row, vendor)
        if panel
    )


def sqlite_apply(rows: str, sign: int) -> str:
    """One coin's changes in one statement: added by an UPSERT, subtracted by an UPDATE (the rows
    exist: the coin was counted; an UPSERT's negative candidate row would fail the CHECK first)."""
    if sign > 0:
        return (
            f"INSERT INTO {TABLE} ({KEY}, n) SELECT {KEY}, n FROM ({rows}) AS c WHERE true "
            f"ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + excluded.n"
        )
    key_of = " AND ".join(f"{TABLE}.{column} = c.{column}" for column in KEY.split(", "))
    return f"UPDATE {TABLE} SET n = {TABLE}.n + c.n FROM ({rows}) AS c WHERE {key_of}"


def sqlite_forward() -> list[str]:
    new = sqlite_apply(changes("NEW", 1, "sqlite"), 1)
    old = sqlite_apply(changes("OLD", -1, "sqlite"), -1)
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COUNTED_COLUMNS)
    return [
        f"CREATE TRIGGER coinyearcount_insert AFTER INSERT ON catalog_coin BEGIN {new}; END",
        f"CREATE TRIGGER coinyearcount_delete AFTER DELETE ON catalog_coin BEGIN {old}; END",
        f"CREATE TRIGGER coinyearcount_update AFTER UPDATE ON catalog_coin WHEN {changed} BEGIN {old}; {new}; END",
    ]


SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS coinyearcount_{op}" for op in ("insert", "delete", "update")]


def pg_forward() -> list[str]:
    def journal(rows: str) -> str:
        return f"INSERT INTO {JOURNAL} ({KEY}, n) SELECT {KEY}, n FROM ({rows}) AS c"

    apply = f"""CREATE FUNCTION catalog_coinyearcount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {TABLE};
                DELETE FROM {JOURNAL};
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {journal(changes("OLD", -1, "postgresql"))};
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                {journal(changes("NEW", 1, "postgresql"))};
            END IF;
            RETURN NULL;
        END
        $$"""
    old = ", ".join(f"OLD.{column}" for column in COUNTED_COLUMNS)
    new = ", ".join(f"NEW.{column}" for column in COUNTED_COLUMNS)
    fold = fold_statement(TABLE, JOURNAL, KEY, "n")
    return [
        apply,
        """CREATE TRIGGER coinyearcount_insert AFTER INSERT OR DELETE ON catalog_coin
            FOR EACH ROW EXECUTE FUNCTION catalog_coinyearcount_apply()""",
        f"""CREATE TRIGGER coinyearcount_update AFTER UPDATE ON catalog_coin FOR EACH ROW
            WHEN (({old}) IS DISTINCT FROM ({new}))
            EXECUTE FUNCTION catalog_coinyearcount_apply()""",
        """CREATE TRIGGER coinyearcount_truncate AFTER TRUNCATE ON catalog_coin
            FOR EACH STATEMENT EXECUTE FUNCTION catalog_coinyearcount_apply()""",
        *fold_at_commit("catalog_coinyearcount_fold", "coinyearcount_fold", JOURNAL, fold),
    ]


PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS coinyearcount_fold ON {JOURNAL}",
    "DROP FUNCTION IF EXISTS catalog_coinyearcount_fold()",
    "DROP TRIGGER IF EXISTS coinyearcount_insert ON catalog_coin",
    "DROP TRIGGER IF EXISTS coinyearcount_update ON catalog_coin",
    "DROP TRIGGER IF EXISTS coinyearcount_truncate ON catalog_coin",
    "DROP FUNCTION IF EXISTS catalog_coinyearcount_apply()",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return  # no table: the date-range facets are counted with GROUP BYs, as before
    schema_editor.execute(CREATE_TABLE + WITHOUT_ROWID[vendor], params=None)
    schema_editor.execute(CREATE_JOURNAL, params=None)
    # The counts of the coins already there, then the triggers that keep them.
    schema_editor.execute(
        f"INSERT INTO {TABLE} ({KEY}, n) SELECT {KEY}, SUM(n) FROM "
        f"({changes('r', 1, vendor, 'FROM catalog_coin AS r')}) AS c GROUP BY {KEY}",
        params=None,
    )
    for sql in sqlite_forward() if vendor == "sqlite" else pg_forward():
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    for sql in [
        *(SQLITE_BACKWARD if vendor == "sqlite" else PG_BACKWARD),
        f"DROP TABLE {JOURNAL}",
        f"DROP TABLE {TABLE}",
    ]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0018_fold_counts_at_commit")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
