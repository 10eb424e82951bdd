"""The full-text indexes as part of verifying a database copy (catalog 0002, auctions 0004).

SQLite keeps its FTS5 indexes inside the database file, and PRAGMA integrity_check does not look
into them (before SQLite 3.44): a damaged index passed. Every FTS5 table is therefore put through
FTS5's own 'integrity-check' (with the content table too, for external-content ones such as the
lot index; from 3.44 the integrity check does it for the others), and the coin index must hold
exactly one entry per coin. A damaged index refuses the copy: the file is damaged, and may be
elsewhere too.

PostgreSQL: a dump holds no index pages (the GIN indexes are built afresh by the restore), but the
coin index is a table of derived rows (catalog_coin_search). The restore rebuilds it from the
restored coins with the function the dump itself brings, and reports how many entries differed.
"""

import sqlite3

from .snapshot import quote
from .sqlite_integrity import quick_check_reads_fts5

# A tsvector's words with their weights, without positions: what a search matches and ranks by.
_WORDS = (
    "(SELECT array_agg(u.lexeme || ':' || array_to_string(ARRAY(SELECT DISTINCT w FROM unnest(u.weights) w "
    "ORDER BY w), '') ORDER BY u.lexeme) FROM unnest({}) u)"
)

# The FTS5 table that indexes a plain table row for row (rowid = the row's id), and that table.
SQLITE_ROW_INDEXES = {"catalog_coin_fts": "catalog_coin"}


def _fts5_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    )
    return sorted(row[0] for row in rows)


def sqlite_problems(conn: sqlite3.Connection) -> list[str]:
    """Problems with the FTS5 indexes of a database copy. The connection must be writable (FTS5 runs
    its check as an INSERT command, though it changes nothing); the caller owns the copy.

    From SQLite 3.44 the quick_check that check_copy runs beside this (sqlite_integrity) runs FTS5's
    own check of every index: for an index that keeps its own copy of the text, all that its
    'integrity-check' does, so such an index is not checked twice (1 s of CPU for the coin index at
    100,000 coins). An index of another table's text (content=...) is, for what only rank = 1
    compares: that table.
    """
    problems = []
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in _fts5_tables(conn):
        name = quote(table)
        if not (f"{table}_content" in names and quick_check_reads_fts5()):
            try:
                # rank = 1: also compare an external-content index with its content table.
                conn.execute(f"INSERT INTO {name}({name}, rank) VALUES ('integrity-check', 1)")  # noqa: S608
            except sqlite3.DatabaseError as exc:
                problems.append(f"the full-text index {table} is damaged ({exc})")
                continue
        source = SQLITE_ROW_INDEXES.get(table)
        if source is None:
            continue
        rows = quote(source)
        unindexed, stray = conn.execute(
            f"""SELECT (SELECT COUNT(*) FROM {rows} WHERE id NOT IN (SELECT rowid FROM {name})),
                       (SELECT COUNT(*) FROM {name} WHERE rowid NOT IN (SELECT id FROM {rows}))"""  # noqa: S608
        ).fetchone()
        if unindexed or stray:
            problems.append(
                f"the full-text index {table} does not match {source} "
                f"({unindexed} rows not indexed, {stray} index entries without a row)"
            )
    return problems


def postgres_rebuild(cursor, schema: str) -> int | None:
    """Rebuild the coin index of `schema` from its coins; the number of entries that differed, or
    None when the schema has no such index (a backup from before catalog 0002).

    Runs inside the restore's transaction, on the schema being restored, before the switch. A backup
    brings its own refresh function and vectors: `document` and `notes_document` before catalog 0012,
    `document` and `private_document` since, refreshed all at once by `refresh_many` since then.
    """
    cursor.execute(
        "SELECT to_regprocedure(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL, "
        "to_regprocedure(%s) IS NOT NULL",
        [
            f"{quote(schema)}.catalog_coin_search_refresh(bigint)",
            f"{quote(schema)}.catalog_coin_search",
            f"{quote(schema)}.catalog_coin_search_refresh_many(bigint[])",
        ],
    )
    has_index, refreshes_many = cursor.fetchone()
    if not has_index:
        return None
    s = quote(schema)
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = 'catalog_coin_search' AND data_type = 'tsvector' ORDER BY ordinal_position",
        [schema],
    )
    vectors = [quote(row[0]) for row in cursor.fetchall()]
    # The refresh function names its tables unqualified: it must see the schema being restored.
    cursor.execute("SELECT pg_catalog.set_config('search_path', %s, true)", [s])
    before = f"SELECT coin_id, {', '.join(vectors)} FROM {s}.catalog_coin_search"  # noqa: S608
    cursor.execute(f"CREATE TEMP TABLE coinstack_search_before ON COMMIT DROP AS {before}")
    cursor.execute(f"DELETE FROM {s}.catalog_coin_search")  # noqa: S608
    if refreshes_many:
        cursor.execute(f"SELECT {s}.catalog_coin_search_refresh_many(ARRAY(SELECT id FROM {s}.catalog_coin))")  # noqa: S608
    else:
        cursor.execute(f"SELECT {s}.catalog_coin_search_refresh(id) FROM {s}.catalog_coin")  # noqa: S608
    # Compared as words and weights, not positions: the references are joined in whatever order the
    # table returns them, which a restore may change without changing what a search finds.
    differs = " OR ".join(
        f"{_WORDS.format(f'a.{v}')} IS DISTINCT FROM {_WORDS.format(f'b.{v}')}" for v in vectors
    )
    cursor.execute(
        f"""SELECT COUNT(*) FROM coinstack_search_before b FULL JOIN {s}.catalog_coin_search a USING (coin_id)
            WHERE a.coin_id IS NULL OR b.coin_id IS NULL OR {differs}"""  # noqa: S608
    )
    return int(cursor.fetchone()[0])
