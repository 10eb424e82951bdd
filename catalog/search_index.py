"""The coin search's shortcuts through its search index, for the coin list searched and nothing else
(the held coins, no other filter, not an issuer's or a mint's page), right after a write (nothing
cached), without joining every match to its coin: on SQLite its total and its pages in relevance
order from the FTS5 table, on PostgreSQL its total, and its page in relevance order with it, from
catalog_coin_search.

`fts5_search_alone` says when SQLite's apply and gives the MATCH the list runs; `search_total`,
`ranked_page_ids`, `postgres_search_total` and `postgres_ranked_page` answer what the joined queries
would, exactly (tests compare them). Other filters and orders run the joined queries.
"""

from django.db import connection

from catalog.search import FTS5_RANK, PUBLIC_COLUMNS, SEARCH_TABLE, postgres_condition, postgres_rank
from coinstack.search import fts5_match, search_terms, tsquery

# A page whose last position is beyond this is read the joined way: a search is rarely paged so
# deep, and the ids of the coins before it travel as parameters.
MAX_POSITION = 2000
# Matches read beyond the page's last position: room for matches tied in rank with it and for coins
# no longer held among the best, so that one reading of the index nearly always suffices.
MARGIN = 64


def _search_alone(filterset) -> str | None:
    """The list's search text when the search is all that filters it; else None."""
    active = filterset.active_filters()
    if set(active) != {"q"} or filterset.base_is_narrowed():
        return None
    return active["q"]


def fts5_search_alone(filterset, private: bool) -> str | None:
    """The FTS5 MATCH of the list's search when the search is all that filters it, on SQLite; else
    None. The MATCH is the one catalog.search.apply_search runs (a visitor's leaves out the private
    column)."""
    text = _search_alone(filterset)
    if connection.vendor != "sqlite" or text is None:
        return None
    terms = search_terms(text, strip_accents=False)
    return fts5_match(terms, () if private else PUBLIC_COLUMNS) if terms else None


def _postgres_words(filterset) -> list[str] | None:
    """The words of the list's search as to_tsquery joins them, when the search is all that filters
    it, on PostgreSQL; else None."""
    text = _search_alone(filterset)
    terms = search_terms(text) if text is not None and connection.vendor == "postgresql" else []
    return tsquery(terms).split(" & ") if terms else None


# The held coins' test of catalog_coin_search's rows: not among the disposed (coin_disposed_idx's own
# condition, a hashed list of the few).
_HELD = "NOT IN (SELECT id FROM catalog_coin WHERE NOT (disposal = ''))"


def postgres_search_total(filterset, private: bool) -> int | None:
    """How many held coins the list's search finds when the search is all that filters it, on
    PostgreSQL (else None), counted from catalog_coin_search, which holds exactly one row per coin
    (catalog 0012's triggers): its matches (the GIN indexes' bitmap), less the disposed coins
    (coin_disposed_idx, a hashed list of the few). 14 ms for the 16,000 of 100,000 coins matching
    "CAES", where COUNT over the coins joined to their matches reads every coin's row for
    `disposal` (96 ms)."""
    words = _postgres_words(filterset)
    if words is None:
        return None
    condition, params = postgres_condition("s", words, include_private=private)
    with connection.cursor() as cursor:
        # Constant table names; the visitor's words travel as parameters.
        count = f"SELECT count(*) FROM {SEARCH_TABLE} s WHERE {condition} AND s.coin_id {_HELD}"  # noqa: S608
        cursor.execute(count, params)
        return cursor.fetchone()[0]


# Which held coins match, each with its rank: catalog_coin_search alone (exactly one row per coin).
_POSTGRES_MATCHES = (
    f"SELECT coin_id, {{rank}} AS rank FROM {SEARCH_TABLE} WHERE {{condition}} AND coin_id {_HELD}"  # noqa: S608
)
# Their number, and the ids at positions OFFSET .. OFFSET+LIMIT-1 in the list's relevance order (rank,
# then inventory order, then id). Only the matches ranked at or better than the page's last position
# (the `cut`) can be on the page, so only theirs are looked up for their inventory order (an index
# probe each, a few dozen rows): a tie spanning every match still gives the exact page, only
# slower. Matches fewer than the page's end: all of them are candidates (the cut is +infinity).
_POSTGRES_RANKED_PAGE = (
    "WITH matches AS MATERIALIZED ({matches})"
    " SELECT (SELECT count(*) FROM matches), ARRAY("
    "SELECT m.coin_id FROM matches m"
    " WHERE m.rank <= coalesce((SELECT rank FROM matches ORDER BY rank OFFSET %s LIMIT 1), 'Infinity'::real)"
    " ORDER BY m.rank, (SELECT c.inventory_sort FROM catalog_coin c WHERE c.id = m.coin_id), m.coin_id"
    " OFFSET %s LIMIT %s)"
)


def postgres_ranked_page(filterset, private: bool, offset: int, limit: int) -> tuple[int, list[int]] | None:
    """(total, ids) of the list's search when the search is all that filters it, on PostgreSQL (else
    None): how many held coins it finds, and the ids at positions offset .. offset+limit-1 in
    relevance order, by one statement that reads each match once.

    The list's joined query ranks every match joined to its coin row (for its inventory order and
    whether it is held) and postgres_search_total reads every match again to count them: 13 and 55
    ms for the 16,000 of 100,000 coins matching "CAES". Here each match is read once, ranked from
    catalog_coin_search alone, and counted from that reading (about 30 ms). A page past the last
    match is empty, with the total.
    """
    words = _postgres_words(filterset)
    if words is None:
        return None
    condition, params = postgres_condition(SEARCH_TABLE, words, include_private=private)
    rank, rank_params = postgres_rank(words, include_private=private)
    matches = _POSTGRES_MATCHES.format(rank=rank, condition=condition)
    with connection.cursor() as cursor:
        # Constant SQL; the visitor's words, the positions and the page size travel as parameters.
        cursor.execute(
            _POSTGRES_RANKED_PAGE.format(matches=matches),
            [*rank_params, *params, offset + limit - 1, offset, limit],
        )
        total, ids = cursor.fetchone()
    return total, list(ids)


def search_total(match: str) -> int:
    """How many held coins `match` finds: the FTS5 table holds exactly one row per coin (catalog
    0002's triggers), so its matches, less the disposed coins among them (read from
    coin_disposed_idx, catalog's index of the few disposed coins): 1 ms for the 16,000 of 100,000
    coins matching "CAES", where COUNT over the coins joined to their matches takes 19 ms (each
    match's row read for `disposal`)."""
    with connection.cursor() as cursor:
        # Constant table and index names; the visitor's words travel as the parameter. The WHERE
        # repeats coin_disposed_idx's own condition, as SQLite needs to read a partial index.
        cursor.execute(
            "SELECT (SELECT count(*) FROM catalog_coin_fts WHERE catalog_coin_fts MATCH %s)"
            " - (SELECT count(*) FROM catalog_coin INDEXED BY coin_disposed_idx"
            " WHERE NOT (disposal = '')"
            " AND id IN (SELECT rowid FROM catalog_coin_fts WHERE catalog_coin_fts MATCH %s))",
            [match, match],
        )
        return cursor.fetchone()[0]


def ranked_page_ids(match: str, offset: int, limit: int) -> list[int] | None:
    """The ids of the held coins at positions offset .. offset+limit-1 of the search `match` in the
    list's relevance order (FTS5's rank, then inventory order, then id), or None when this way cannot
    tell (a page too deep, too many ties or disposed coins among the best): the caller then runs the
    joined query.

    The joined query reads the coin row of every match for its inventory order and whether it is
    held, then sorts them all (16,000 rows for "CAES" at 100,000 coins: about 50 ms). Here the best
    matches by rank come from the FTS5 table alone (SQLite keeps only the best while it ranks) and
    only their coins are read. Exact: every match ranked better than the last one read was read
    (the reading is the best by rank), so the held coins among those are complete; when there are
    enough of them for the page, no coin ranked at or after the last one read can come before them.
    """
    wanted = offset + limit
    if wanted > MAX_POSITION:
        return None
    reading = wanted + MARGIN
    with connection.cursor() as cursor:
        # Constant table name and rank; the MATCH and the limit travel as parameters.
        best_first = f"SELECT rowid, {FTS5_RANK} FROM catalog_coin_fts WHERE catalog_coin_fts MATCH %s"  # noqa: S608
        cursor.execute(f"{best_first} ORDER BY 2 LIMIT %s", [match, reading])
        best = cursor.fetchall()
        if not best:
            return []
        rank_of = dict(best)
        placeholders = ", ".join(["%s"] * len(rank_of))
        # The held coins among them, with their inventory order (disposal = '' written out, as
        # Coin.objects.held() does).
        cursor.execute(
            f"SELECT id, inventory_sort FROM catalog_coin WHERE id IN ({placeholders}) AND disposal = ''",  # noqa: S608
            list(rank_of),
        )
        held = cursor.fetchall()
    if len(best) == reading:
        # Matches ranked like the last one read may not all have been read: only those ranked
        # better are surely complete.
        last = best[-1][1]
        held = [row for row in held if rank_of[row[0]] < last]
        if len(held) < wanted:
            return None
    held.sort(key=lambda row: (rank_of[row[0]], row[1], row[0]))
    return [pk for pk, _ in held[offset:wanted]]
