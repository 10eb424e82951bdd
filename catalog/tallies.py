"""Reading the coin counts that database triggers keep (catalog migration 0014, `catalog_coincount`).

The coin list's facet panel and total, unfiltered or filtered by category and metal only, and the
statistics' counts per category, metal, issuer, mint, striking year and acquisition year come from
here in one small query, instead of GROUP BYs over every coin: right after a write (when the
data-version cache is empty) a page then costs what it shows, not what the collection holds.

Counts are kept per (category, metal) for the panel's facets, so the panel with a category or metal
filter on sums the rows of the chosen categories and metals; and per year at each edge of the coins'
dates (catalog 0019), so the panel of a date range sums two ranges of years. Every other filter needs
the coins themselves (catalog.filters.CoinFilter falls back to its GROUP BYs).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

TABLE = "catalog_coincount"
# The counts plus the changes PostgreSQL's triggers journal before folding them in (migration 0014
# says why). SQLite keeps no journal (its triggers change the counts in place), so there the counts
# are read alone, which lets the facet panel's query read coincount_value_idx (catalog 0022) in its
# (facet, value) order and group it without a sort.
COUNTS = (
    "(SELECT facet, category, metal, value, n, priced, amount FROM catalog_coincount UNION ALL "
    "SELECT facet, category, metal, value, n, priced, amount FROM catalog_coincount_journal) AS kept"
)
SQLITE_COUNTS = "catalog_coincount AS kept"


def _counts() -> str:
    return SQLITE_COUNTS if connection.vendor == "sqlite" else COUNTS


# The filters whose values partition the counts: with no other filter active the counts serve.
PARTITION_FILTERS = ("category", "metal")


def kept() -> bool:
    """Whether this database keeps the counts (migration 0014 makes them on SQLite and PostgreSQL)."""
    return connection.vendor in ("sqlite", "postgresql")


def serves(active: dict) -> bool:
    """Whether the kept counts answer the facet panel of these active filters (facet_counts or
    facet_counts_in_years), told without reading them."""
    return _partition_serves(active) or _years_serve(active)


def _partition_serves(active: dict) -> bool:
    return kept() and all(name in PARTITION_FILTERS for name in active)


def facet_counts(names: list[str], active: dict, id_facets: set[str]) -> tuple[dict[str, dict], int] | None:
    """({facet: {value: count}}, total) for the coin list's facets `names`, each counting the coins
    that every OTHER active filter lets through, as CoinFilter.facet_counts would; None when an
    active filter is not one the counts are kept by. `id_facets` hold ids (ints), others text."""
    if not _partition_serves(active):
        return None
    placeholders = ", ".join(["%s"] * (len(names) + 1))
    where = [f"facet IN ({placeholders})"]
    params: list = ["total", *names]
    for name in PARTITION_FILTERS:
        chosen = [str(value) for value in active.get(name, [])]
        if chosen:
            # A facet's own filter does not narrow its own counts.
            where.append(f"(facet = %s OR {name} IN ({', '.join(['%s'] * len(chosen))}))")
            params += [name, *chosen]
    sql = (
        f"SELECT facet, value, SUM(n) FROM {_counts()} WHERE {' AND '.join(where)} "  # noqa: S608 - constant names
        "GROUP BY facet, value HAVING SUM(n) > 0"
    )
    return _panel_counts(sql, params, names, id_facets)


def _panel_counts(
    sql: str, params: list, names: list[str], id_facets: set[str]
) -> tuple[dict[str, dict], int]:
    """({facet: {value: count}}, total) from a query of (facet, value, count) rows: the facets
    `names` (values without a count or empty left out), the total from facet 'total'."""
    counts: dict[str, dict] = {name: {} for name in names}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, n in cursor.fetchall():
            if facet == "total":
                total += n
            elif n and value != "" and facet in counts:
                counts[facet][int(value) if facet in id_facets else value] = n
    return counts, total


# catalog 0019's counts per year at each edge of the coins' dates, and PostgreSQL's journal of them.
YEAR_TABLES = ("catalog_coinyearcount", "catalog_coinyearcount_journal")
YEAR_FILTERS = ("year_from", "year_to")


def _years_serve(active: dict) -> bool:
    if not kept() or not active or any(name not in YEAR_FILTERS for name in active):
        return False
    start, end = active.get("year_from"), active.get("year_to")
    return start is None or end is None or start <= end


def facet_counts_in_years(
    names: list[str], active: dict, id_facets: set[str]
) -> tuple[dict[str, dict], int] | None:
    """What facet_counts() gives, for a list filtered by a date range only (year_from, year_to or
    both): the coins that end at or after year_from, less those that start after year_to (catalog
    0019 says why that is exact), read from the counts per year. None when other filters are
    active or when the range is reversed (year_from after year_to lets through the coins spanning
    it, which that difference does not count)."""
    if not _years_serve(active):
        return None
    start, end = active.get("year_from"), active.get("year_to")
    # (sign, condition, bound): each range summed per facet value on its own, so each is read
    # in the key's order and grouped without a sort (an OR of the two was four times slower).
    if start is not None and end is not None:
        ranges = [("", "edge = 'f' AND year >= %s", start), ("-", "edge = 't' AND year > %s", end)]
    elif start is not None:
        ranges = [("", "edge = 'f' AND year >= %s", start)]
    else:
        ranges = [("", "edge = 't' AND year <= %s", end)]
    parts, params = [], []
    for table in YEAR_TABLES:
        for sign, condition, bound in ranges:
            parts.append(
                f"SELECT facet, value, {sign}SUM(n) AS n FROM {table} "  # noqa: S608 - constant names
                f"WHERE {condition} GROUP BY facet, value"
            )
            params.append(bound)
    sql = f"SELECT facet, value, SUM(n) FROM ({' UNION ALL '.join(parts)}) AS c GROUP BY facet, value"  # noqa: S608
    return _panel_counts(sql, params, names, id_facets)


@dataclass
class Tally:
    """How many coins have one value of a dimension; of them how many carry a price, and the sum of
    those prices in cents (spending)."""

    n: int = 0
    priced: int = 0
    amount: int = 0


def all_tallies() -> dict[str, dict[str, Tally]]:
    """{dimension: {value: Tally}} over the whole collection, in one query: the statistics page's
    counts. Dimensions: total, category, metal, issuer, mint, denomination, grading_state,
    grade_service, weighed ('yes' or ''), year_start, acquired ('YYYY|CUR' or ''), has ('references',
    'images', 'provenance' (catalog 0015): how many coins have at least one)."""
    out: dict[str, dict[str, Tally]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT facet, value, SUM(n), SUM(priced), SUM(amount) FROM {_counts()} "  # noqa: S608
            "GROUP BY facet, value HAVING SUM(n) > 0"
        )
        for facet, value, n, priced, amount in cursor.fetchall():
            out[facet][value] = Tally(int(n), int(priced), int(amount))
    return out


def tallies_by_scan() -> dict[str, dict[str, Tally]]:
    """What all_tallies() reads, counted from the coins themselves: for a database that keeps no
    counts, and the measure the kept counts are tested against."""
    from django.db.models import CharField, Count, F, IntegerField, Sum, Value
    from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, Round, Substr

    from catalog.models import Coin

    if connection.vendor == "sqlite":  # a date is 'YYYY-MM-DD' text there (catalog.stats says why)
        year = Substr("acquisition_date", 1, 4)
    else:
        year = Cast(ExtractYear("acquisition_date"), CharField())
    as_text = {"issuer": "issuer_id", "mint": "mint_id", "denomination": "denomination_id"}
    expressions = {
        "total": Value(""),
        "category": F("category"),
        "metal": F("metal"),
        **{name: Coalesce(Cast(column, CharField()), Value("")) for name, column in as_text.items()},
        "grading_state": F("grading_state"),
        "grade_service": F("grade_service"),
        "year_start": Coalesce(Cast("year_start", CharField()), Value("")),
    }
    out: dict[str, dict[str, Tally]] = defaultdict(dict)

    def count(dimension: str, queryset, expression) -> None:
        rows = (
            queryset.order_by()
            .annotate(key=expression)
            .values("key")
            .annotate(
                n=Count("id"),
                priced=Count("acquisition_price"),
                amount=Sum(Cast(Round(F("acquisition_price") * 100), IntegerField())),
            )
        )
        for row in rows:
            tally = out[dimension].setdefault(str(row["key"]), Tally())
            tally.n += row["n"]
            tally.priced += row["priced"]
            tally.amount += row["amount"] or 0

    coins = Coin.objects.all()
    for dimension, expression in expressions.items():
        count(dimension, coins, expression)
    count("weighed", coins.filter(weight_g__isnull=False), Value("yes"))
    count("weighed", coins.filter(weight_g__isnull=True), Value(""))
    dated = coins.filter(acquisition_date__isnull=False)
    count("acquired", dated, Concat(year, Value("|"), Coalesce("acquisition_currency", Value(""))))
    count("acquired", coins.filter(acquisition_date__isnull=True), Value(""))
    from catalog.models import CoinImage, ProvenanceEvent, Reference

    having_rows = (
        ("references", Reference.objects),
        ("images", CoinImage.objects),
        ("provenance", ProvenanceEvent.objects),
    )
    for value, rows in having_rows:
        having = rows.aggregate(n=Count("coin_id", distinct=True))["n"]
        if having:
            out["has"][value] = Tally(having)
    return out


def current_tallies() -> dict[str, dict[str, Tally]]:
    """The statistics' counts: kept by the database where it keeps them, else counted."""
    return all_tallies() if kept() else tallies_by_scan()
