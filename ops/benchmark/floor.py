"""The floor: the rows a list page shows, fetched by ONE raw SQL query through Python's sqlite3.

No ORM, no template, no middleware: what is left is what SQLite itself needs to find the rows.
page_p50 / floor_p50 says how much the application adds on top; a large ratio points at Python
work (model instances, templates, extra queries), a small one at the query plan.

The floor copies ORDER BY, LIMIT and OFFSET from the page's own main query (captured during the
untimed runs), so both fetch the same rows in the same order; when that clause names a join the
floor does not have, it falls back to the model's default ordering and says so.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .stats import summarize_ms

# The columns a coin list row shows: number, attribution, date, metal, weight, grade, thumbnail.
_SELECT = """
SELECT "catalog_coin"."id", "catalog_coin"."inventory_number", "catalog_coin"."category",
       "catalog_coin"."metal", "catalog_coin"."year_start", "catalog_coin"."year_end",
       "catalog_coin"."is_circa", "catalog_coin"."date_text", "catalog_coin"."weight_g",
       "catalog_coin"."diameter_mm", "catalog_coin"."grade",
       "vocab_issuer"."name", "vocab_mint"."name", "vocab_denomination"."name",
       "primary_image"."thumbnail", "primary_image"."image", "primary_image"."source_url"
FROM "catalog_coin"
LEFT JOIN "vocab_issuer" ON "vocab_issuer"."id" = "catalog_coin"."issuer_id"
LEFT JOIN "vocab_mint" ON "vocab_mint"."id" = "catalog_coin"."mint_id"
LEFT JOIN "vocab_denomination" ON "vocab_denomination"."id" = "catalog_coin"."denomination_id"
LEFT JOIN "catalog_coinimage" AS "primary_image"
       ON "primary_image"."coin_id" = "catalog_coin"."id" AND "primary_image"."is_primary"
"""

DEFAULT_ORDER = '"catalog_coin"."inventory_sort" ASC, "catalog_coin"."id" ASC'
DEFAULT_LIMIT = 50

_LIMIT = re.compile(r"\sLIMIT\s+(\d+)(?:\s+OFFSET\s+(\d+))?\s*$", re.IGNORECASE)
_ORDER = re.compile(r"\sORDER BY\s+(.+?)\s+LIMIT\s+\d+", re.IGNORECASE | re.DOTALL)


def fts_table(conn: sqlite3.Connection) -> str | None:
    """The name of the coin full-text index (an FTS5 virtual table), if a migration created one."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'catalog%' "
        "AND lower(sql) LIKE '%virtual table%fts%'"
    ).fetchall()
    return rows[0][0] if rows else None


@dataclass(frozen=True)
class Filter:
    """What a floor query adds to the plain list: joins, a WHERE clause, extra columns."""

    where: str = ""
    params: tuple = ()
    join: str = ""
    select: str = ""
    source: str = "none"


def search_filter(conn: sqlite3.Connection, term: str) -> Filter:
    """A legend search: FTS MATCH (with its bm25 rank, which the page sorts on) when the index
    exists, as catalog/search.py does it for a logged-in user; else a LIKE scan of the legends."""
    table = fts_table(conn)
    if table:
        # A prefix query: "CAES" must find CAESAR, as a collector typing a legend expects.
        # The table name comes from sqlite_master, not from a user.
        return Filter(
            where=f'"{table}" MATCH ?',
            params=(f'"{term.casefold()}"*',),
            join=f'JOIN "{table}" ON "{table}".rowid = "catalog_coin"."id"',
            select=f', "{table}"."rank" AS "search_rank"',
            source=f"fts:{table}",
        )
    like = f"%{term}%"
    return Filter(
        where='("catalog_coin"."obverse_legend" LIKE ? OR "catalog_coin"."reverse_legend" LIKE ?)',
        params=(like, like),
        source="like",
    )


def main_query(captured_sql: list[str]) -> str | None:
    """The page's row query: the first SELECT from catalog_coin with a page-sized LIMIT."""
    for sql in captured_sql:
        if 'FROM "catalog_coin"' not in sql:
            continue
        match = _LIMIT.search(sql)
        if match and int(match.group(1)) > 21:  # 21 is get()'s MultipleObjectsReturned probe
            return sql
    return None


def order_limit(captured_sql: list[str]) -> tuple[str, int, int, str]:
    """ORDER BY clause, LIMIT and OFFSET of the page's main query, and where they came from."""
    sql = main_query(captured_sql)
    if sql is None:
        return DEFAULT_ORDER, DEFAULT_LIMIT, 0, "default (page query not found)"
    limit_match = _LIMIT.search(sql)
    limit, offset = int(limit_match.group(1)), int(limit_match.group(2) or 0)
    order_match = _ORDER.search(sql)
    order = order_match.group(1) if order_match else DEFAULT_ORDER
    return order, limit, offset, "page"


def floor_sql(flt: Filter, order: str, limit: int, offset: int) -> str:
    head, _, tail = _SELECT.partition("FROM")
    sql = f"{head.rstrip()}{flt.select}\nFROM{tail} {flt.join}"
    if flt.where:
        sql += f" WHERE {flt.where}"
    return f"{sql} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"


def connect(db_path: Path) -> sqlite3.Connection:
    """A read connection with the same cache settings the app's connections get (settings.py)."""
    conn = sqlite3.connect(Path(db_path).resolve())
    conn.execute("PRAGMA cache_size=-32000")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def filter_for(kind: str, conn: sqlite3.Connection) -> Filter:
    if kind == "list":
        return Filter()
    if kind == "filtered":
        return Filter(
            where=('"catalog_coin"."metal" = \'silver\' AND "catalog_coin"."category" = \'roman_imperial\''),
            source="metal+category",
        )
    if kind == "search":
        return search_filter(conn, "CAES")
    raise ValueError(f"unknown floor kind {kind!r}")


def measure_floor(db_path: Path, kind: str, captured_sql: list[str], repeat: int) -> dict:
    """p50/p95 of the raw query standing for a page, after one warm-up run."""
    with connect(db_path) as conn:
        flt = filter_for(kind, conn)
        params = flt.params
        order, limit, offset, order_source = order_limit(captured_sql)
        sql = floor_sql(flt, order, limit, offset)
        try:
            conn.execute(sql, params).fetchall()
        except sqlite3.Error:
            # The page's ORDER BY named a join alias this query lacks: fall back, and say so.
            order, order_source = DEFAULT_ORDER, f"default (page ORDER BY not usable: {order[:80]})"
            sql = floor_sql(flt, order, limit, offset)
            conn.execute(sql, params).fetchall()
        timings = []
        rows = 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(conn.execute(sql, params).fetchall())
            timings.append(time.perf_counter() - started)
    return {
        **summarize_ms(timings),
        "rows": rows,
        "limit": limit,
        "offset": offset,
        "order": order,
        "order_source": order_source,
        "where": flt.source,
        "sql": sql,
    }
