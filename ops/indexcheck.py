"""The project's hot queries and what the database planner does with them (`manage.py check_indexes`).

Each query is built with the ORM the way the list and detail pages build it, run through EXPLAIN
QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL), and judged:
- a scan of a whole table that is not small by nature fails (the index it needs is missing);
- a filter ("seek") must be served by an index lookup, not by walking another index in sort order
  and testing every row;
- a sort must read the table in the order of an index;
- LIKE '%text%' cannot use a B-tree index by nature: it is listed with the full-text index that
  serves search instead, and never fails the check.
PostgreSQL prefers sequential scans on the small tables of a test database whatever the indexes, so
the check runs with `SET LOCAL enable_seqscan = off`: a Seq Scan then means no index can serve.
"""

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction

from auctions.models import AuctionLot, LotImage, LotReference
from catalog.models import Coin, CoinImage, Reference, SeriesMembership

SEEK = "seek"  # a filter (equality or range): needs an index lookup on the main table
INDEX = "index"  # a sort: an index (lookup or ordered walk), never a full table scan
NATURE = "nature"  # cannot use a B-tree index by nature (LIKE '%text%')

# Tables that stay small whatever the collection size (vocabularies, houses, series, Django's own):
# a scan of them is cheaper than an index lookup.
SMALL_PREFIXES = ("vocab_", "django_", "auth_")
SMALL_TABLES = {"auctions_auctionhouse", "catalog_series", "catalog_seriesslot"}
PAGE = 50


@dataclass
class HotQuery:
    name: str
    need: str
    build: Callable  # () -> QuerySet, built the way the page builds it
    needs_fts: bool = False  # only explained when the full-text migration is applied
    note: str = ""  # for NATURE queries: what serves them instead


@dataclass
class Result:
    name: str
    sql: str
    plan: list[str]
    ok: bool
    verdict: str


def is_small(table: str) -> bool:
    return table in SMALL_TABLES or table.startswith(SMALL_PREFIXES)


def coin_list(filters: dict | None = None, sort: str = "", private: bool = True):
    """The coin list's queryset as catalog.listing builds it: CoinFilter's own filters (given parsed
    values, so a form change cannot hide a query), then the view's ordering and vocabulary joins."""
    from django.http import QueryDict

    from catalog.filters import CoinFilter
    from catalog.listing import ordered

    filterset = CoinFilter(QueryDict(), queryset=Coin.objects.all(), private=private)
    qs = filterset.queryset
    for name, value in (filters or {}).items():
        qs = filterset.filters[name].filter(qs, value)
    return ordered(qs, sort, searching=bool(filters and "q" in filters)).with_vocab()


def facet_counts(filterset):
    """The GROUP BY a filtered list's facet panel runs (coinstack.filtering.FacetMixin.grouping), over
    the rows its counted_rows gives."""
    return filterset.grouping(filterset.counted_rows(None), list(filterset.facet_columns))


def coin_facets(query: dict):
    from catalog.filters import CoinFilter

    return facet_counts(CoinFilter(query, queryset=Coin.objects.all(), private=True))


def lot_list(filters: dict | None = None):
    """The auction list's queryset as auctions.views.lot_list builds it."""
    from django.db.models import F
    from django.http import QueryDict

    from auctions.filters import LotFilter

    filterset = LotFilter(QueryDict(), queryset=AuctionLot.objects.all())
    qs = filterset.queryset
    for name, value in (filters or {}).items():
        qs = filterset.filters[name].filter(qs, value)
    return qs.with_related().order_by(F("closing_date").desc(nulls_last=True), "-id")


def lot_facets(query: dict):
    from auctions.filters import LotFilter

    return facet_counts(LotFilter(query, queryset=AuctionLot.objects.all()))


def coin_lots(coin_id: int):
    """A coin's lots, as the coin page lists them."""
    from django.db.models import F

    return (
        AuctionLot.objects.with_related()
        .filter(coin_id=coin_id)
        .order_by(F("closing_date").desc(nulls_last=True), "-id")
    )


def hot_queries() -> list[HotQuery]:
    """Every query a list or detail page runs per request, with the index need each one has."""
    day = datetime.date(2020, 1, 1)
    queries = [
        HotQuery("coin list (default order: inventory)", INDEX, lambda: coin_list()),
        HotQuery("coin list ?issuer=", SEEK, lambda: coin_list({"issuer": [1]})),
        HotQuery("coin list ?mint=", SEEK, lambda: coin_list({"mint": [1]})),
        HotQuery("coin list ?denomination=", SEEK, lambda: coin_list({"denomination": [1]})),
        HotQuery(
            "coin list ?category=&metal=",
            SEEK,
            lambda: coin_list({"category": ["roman_imperial"], "metal": ["silver"]}),
        ),
        HotQuery(
            "coin list ?category=&metal=&sort=-year (latest first)",
            SEEK,
            lambda: coin_list({"category": ["roman_imperial"], "metal": ["silver"]}, sort="-year"),
        ),
        HotQuery("coin list ?metal=", SEEK, lambda: coin_list({"metal": ["silver"]})),
        HotQuery(
            "coin list ?year_from=&year_to= (range overlap)",
            SEEK,
            lambda: coin_list({"year_from": -27, "year_to": 14}),
        ),
        HotQuery("coin list ?grading_state=slabbed", SEEK, lambda: coin_list({"grading_state": ["slabbed"]})),
        HotQuery("coin list ?storage=", SEEK, lambda: coin_list({"storage": "SlabBox1"})),
        HotQuery(
            "coin facet counts ?grade_min= (the panel's GROUP BY; SQLite: coin_facets_idx)",
            INDEX,
            lambda: coin_facets({"grade_min": "50"}),
        ),
        *(
            HotQuery(f"coin list ?sort={sort}", INDEX, lambda sort=sort: coin_list(sort=sort))
            for sort in ("year", "-year", "price", "-price", "-acquired", "weight", "-grade", "inventory")
        ),
        HotQuery(
            "coin search ?q= (full text, visitor)",
            SEEK,
            lambda: coin_list({"q": "augustus"}, private=False),
            needs_fts=True,
        ),
        HotQuery(
            "coin search ?q= (full text, signed in: private words too)",
            SEEK,
            lambda: coin_list({"q": "augustus"}),
            needs_fts=True,
        ),
        HotQuery(
            "coin legend contains (LIKE '%text%', what full text replaces)",
            NATURE,
            lambda: coin_list().filter(obverse_legend__icontains="AVGVSTVS"),
        ),
        HotQuery(
            "coin list primary images (prefetch)",
            SEEK,
            lambda: CoinImage.objects.filter(is_primary=True, coin_id__in=[1, 2, 3]),
        ),
        HotQuery("coin page: references", SEEK, lambda: Reference.objects.filter(coin_id=1)),
        HotQuery(
            "coin page: series memberships",
            SEEK,
            lambda: SeriesMembership.objects.filter(coin_id=1).select_related("series", "slot"),
        ),
        HotQuery("coin page: its lots", SEEK, lambda: coin_lots(1)),
        HotQuery(
            "references by citation (other coins of this type)",
            SEEK,
            lambda: Reference.objects.filter(system="RIC", volume="I", number="207"),
        ),
        HotQuery(
            "lot references by citation (comparable lots)",
            SEEK,
            lambda: LotReference.objects.filter(system="RIC", volume="I", number="207"),
        ),
        HotQuery(
            "lot by URL (scraper upsert)", SEEK, lambda: AuctionLot.objects.filter(url="https://x.test/1")
        ),
        HotQuery("lot list (default order: closing date)", INDEX, lambda: lot_list()),
        HotQuery(
            "lot facet counts ?price_min= (the panel's GROUP BY; SQLite: lot_facets_idx)",
            INDEX,
            lambda: lot_facets({"price_min": "1000"}),
        ),
        HotQuery("lots by sale (?sale=)", SEEK, lambda: lot_list({"sale": [1]})),
        HotQuery("lots by currency (?currency=)", SEEK, lambda: lot_list({"currency": ["GBP"]})),
        HotQuery(
            "lots by sale, in lot order (sale page, scrape_sale)",
            SEEK,
            lambda: AuctionLot.objects.filter(sale_id=1).order_by("lot_number"),
        ),
        HotQuery(
            "lots by house and date (?house=&date_from=)",
            SEEK,
            lambda: lot_list({"house": [1], "date_from": day}),
        ),
        HotQuery(
            "lot image by SHA-256 (download dedup)", SEEK, lambda: LotImage.objects.filter(sha256="0" * 64)
        ),
        HotQuery("lot search ?q= (full text)", SEEK, lambda: lot_list({"q": "denarius"}), needs_fts=True),
        HotQuery(
            "lots by reference (?reference=: citations by upper-cased citation and by trigram text)",
            SEEK,
            lambda: lot_list({"reference": "RIC II 118"}),
            needs_fts=True,
        ),
    ]
    return queries


def shape(query: HotQuery):
    """The form of a hot query whose plan answers "is there an index for it", on any database size.

    A filter is explained on its main table alone, without ORDER BY, LIMIT or joins: on a small
    database both planners walk whatever index gives the order or feeds a join and filter every
    row (cheapest for a handful of rows, costed the same as a lookup on an empty table), which hides
    whether the filter has an index at all (DISTINCT is dropped for the same reason). A sort is
    explained as one page of the main table; its joins to the small vocabulary tables are
    primary-key lookups that do not decide the order.
    """
    qs = query.build()
    if query.need == SEEK:
        qs = qs.select_related(None).prefetch_related(None).order_by()
        # django-filter's multiple-choice filters add DISTINCT (over every column); on a small table
        # PostgreSQL then walks the primary key to feed it, hiding the filter's own index.
        qs.query.distinct = False
        return qs
    if query.need == INDEX:
        if not qs.query.values_select:  # a GROUP BY (values().annotate()) selects no related rows
            qs = qs.select_related(None)
        return qs[:PAGE]
    return qs[:PAGE]


def fts_tables(using: str = "default") -> list[str]:
    """Full-text tables (SQLite FTS5) or GIN indexes (PostgreSQL) that serve coin and lot search and
    the lot references' text (the trigram ones, auctions 0010)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND (name LIKE %s OR name LIKE %s)",
                ["catalog%", "auctions%"],
            )
            return sorted(
                name
                for name, sql in cursor.fetchall()
                if "VIRTUAL TABLE" in (sql or "").upper() and "FTS" in (sql or "").upper()
            )
        cursor.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE (tablename LIKE %s OR tablename IN (%s, %s)) AND indexdef ILIKE %s",
            ["catalog_coin%", "auctions_auctionlot", "auctions_lotreference", "%using gin%"],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _sqlite_aliases(sql: str) -> dict[str, str]:
    """Plans name joined tables by their alias (T3, U0); map aliases back to tables."""
    aliases = {}
    for table, alias in re.findall(r'"(\w+)"\s+(?:AS\s+)?"?([A-Z]\d+)"?', sql):
        aliases[alias] = table
    return aliases


def judge_sqlite(plan: list[str], main: str, need: str, sql: str) -> tuple[bool, str]:
    aliases = _sqlite_aliases(sql)
    seek = False
    walked = ""
    for line in plan:
        match = re.match(r"(SCAN|SEARCH) (\S+)(.*)", line.strip())
        if not match:
            continue
        op, name, rest = match.groups()
        if name.startswith("(") or name == "CONSTANT":
            continue  # a subquery's result or a constant row, not a table
        table = aliases.get(name, name)
        if is_small(table):
            continue
        if op == "SCAN" and "USING" not in rest and "VIRTUAL TABLE" not in rest:
            return False, f"FULL SCAN of {table}: no index serves this query"
        if "AUTOMATIC" in rest:
            return False, f"builds a temporary index on {table} at every run: no index serves this query"
        if table == main:
            if op == "SEARCH" or "VIRTUAL TABLE INDEX" in rest:
                seek = True
            else:
                walked = rest.strip()
    if need == SEEK and not seek:
        return (
            False,
            f"walks all of {main} ({walked or 'in table order'}) and tests every row: "
            "no index serves the filter",
        )
    return True, "uses an index (lookup)" if seek else f"reads {main} in index order ({walked})"


_PG_NODE = re.compile(
    r"(?P<kind>Parallel Seq Scan|Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan)"
    r"(?: Backward)?(?: using (?P<index>\S+))? on (?P<table>\S+)"
)


def judge_postgres(plan: list[str], main: str, need: str) -> tuple[bool, str]:
    nodes = []  # [kind, index, table, has_index_cond]
    for line in plan:
        match = _PG_NODE.search(line)
        if match:
            nodes.append([match["kind"], match["index"], match["table"], False])
        elif nodes and ("Index Cond:" in line or "Recheck Cond:" in line):
            nodes[-1][3] = True
    seek = False
    walked = ""
    for kind, index, table, cond in nodes:
        if "Seq Scan" in kind and not is_small(table):
            return False, f"FULL SCAN (Seq Scan) of {table}: no index serves this query"
        if table == main:
            if kind == "Bitmap Heap Scan" or cond:
                seek = True
            elif index:
                walked = f"walks {index}"
    if need == SEEK and not seek:
        return (
            False,
            f"walks all of {main} ({walked or 'no index condition'}) and tests every row: "
            "no index serves the filter",
        )
    return True, "uses an index (lookup)" if seek else f"reads {main} in index order ({walked})"


def explain(using: str, sql: str, params) -> list[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A fresh statement text each time: Python's sqlite3 caches prepared statements by
            # text, and a cached EXPLAIN is not re-planned after an index is created or dropped.
            cursor.execute(f"EXPLAIN QUERY PLAN /* {uuid.uuid4().hex} */ " + sql, params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def check(using: str = "default") -> list[Result]:
    """Explain every hot query on `using`; the caller decides what failures mean (exit status)."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ValueError(f"check_indexes knows SQLite and PostgreSQL, not {connection.vendor}")
    fts = fts_tables(using)
    results = []
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        for query in hot_queries():
            if query.needs_fts and not fts:
                continue  # full-text search arrives with a later migration; nothing to explain yet
            try:
                # A savepoint per query: on PostgreSQL one failed EXPLAIN would abort the rest.
                with transaction.atomic(using=using):
                    results.append(judge(query, using, fts))
            except Exception as exc:  # a page's query that cannot even be built is a failure to show
                results.append(Result(query.name, "", [], False, f"could not build or explain it: {exc}"))
    return results


def judge(query: HotQuery, using: str, fts: list[str]) -> Result:
    qs = shape(query).using(using)
    sql, params = qs.query.sql_with_params()
    main = qs.model._meta.db_table
    if query.needs_fts and connections[using].vendor == "postgresql":
        # On empty tables PostgreSQL walks primary keys into a join rather than open a GIN index
        # (both cost the same to it). With plain index scans off, only an index condition can find
        # rows, so the plan shows whether the search's condition matches a GIN index.
        with connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = explain(using, sql, params)
            cursor.execute("SET LOCAL enable_indexscan = on")
    else:
        plan = explain(using, sql, params)
    if query.need == NATURE:
        served = f"served instead by the full-text index {', '.join(fts)}" if fts else "no full-text index"
        note = query.note or served
        return Result(query.name, str(qs.query), plan, True, f"cannot use a B-tree index by nature; {note}")
    if query.needs_fts:
        ok, verdict = judge_fts(plan, fts)
    elif connections[using].vendor == "sqlite":
        ok, verdict = judge_sqlite(plan, main, query.need, sql)
    else:
        ok, verdict = judge_postgres(plan, main, query.need)
    return Result(query.name, str(qs.query), plan, ok, verdict)


def judge_fts(plan: list[str], fts: list[str]) -> tuple[bool, str]:
    """A search must be answered by the full-text index: FTS5's virtual table, or a GIN index scan."""
    for line in plan:
        for name in fts:
            if re.search(rf"\b{re.escape(name)}\b", line) and (
                "VIRTUAL TABLE INDEX" in line or "Index Scan" in line
            ):
                return True, f"uses the full-text index {name}"
    return False, f"does not use the full-text index ({', '.join(fts)}): every coin's text is tested"
