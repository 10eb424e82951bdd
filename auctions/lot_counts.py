"""Reading the lot counts that database triggers keep (auctions migration 0009, `auctions_lotcount`).

The lot list's facet panel (house, currency, status) and its total, unfiltered or filtered by those
three facets only, come from here in one query over a few dozen rows, instead of GROUP BYs over
every lot: right after a write (when the data-version cache is empty) the list then costs what it
shows, not what the market holds. Any other filter (a search, dates, prices, a sale, a reference,
linked or not) needs the lots themselves: auctions.filters.LotFilter falls back to its GROUP BYs.
"""

from collections import defaultdict

from django.db import connection

# The counts plus the changes PostgreSQL's triggers journal before folding them in (migration 0009
# says why); the journal is empty on SQLite.
COUNTS = (
    "(SELECT status, house, currency, purchase, n FROM auctions_lotcount UNION ALL "
    "SELECT status, house, currency, purchase, n FROM auctions_lotcount_journal) AS kept"
)
# The filters whose values partition the counts, with the position of their column in a row.
FACET_COLUMNS = {"status": 0, "house": 1, "currency": 2}


def kept() -> bool:
    """Whether this database keeps the counts (migration 0009 makes them on SQLite and PostgreSQL)."""
    return connection.vendor in ("sqlite", "postgresql")


def kept_rows(include_purchases: bool) -> list[tuple[str, int | None, str, int]]:
    """(status, house id or None, currency, n) for every kept count above zero; the lots where the
    owner bought a coin only with `include_purchases` (a visitor with private access)."""
    where = "" if include_purchases else "WHERE purchase = 0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, house, currency, SUM(n) FROM {COUNTS} {where} "  # noqa: S608 - constant text
            "GROUP BY status, house, currency HAVING SUM(n) > 0"
        )
        return [
            (status, int(house) if house else None, currency, int(n)) for status, house, currency, n in cursor
        ]


def serves(active: dict) -> bool:
    """Whether facet_counts answers for these active filters (the three facets' alone)."""
    return kept() and all(name in FACET_COLUMNS for name in active)


def facet_counts(
    names: list[str], active: dict, *, include_purchases: bool
) -> tuple[dict[str, dict], int] | None:
    """({facet: {value: count}}, total) for the lot list's facets `names`, each counting the lots
    that every OTHER active filter lets through (as FacetMixin.facet_counts would count them), and
    the number of lots every active filter lets through; None when a filter other than the three
    facets is active, or the database keeps no counts."""
    if not serves(active):
        return None
    chosen = {name: {str(value) for value in values} for name, values in active.items()}
    counts: dict[str, dict] = {name: defaultdict(int) for name in names}
    total = 0
    for row in kept_rows(include_purchases):
        # Which chosen filters this row fails: a facet counts the rows failing none but its own.
        failing = [
            name for name, values in chosen.items() if str(row[FACET_COLUMNS[name]] or "") not in values
        ]
        n = row[3]
        if not failing:
            total += n
        for name in names:
            value = row[FACET_COLUMNS[name]]
            if value not in (None, "") and (not failing or failing == [name]):
                counts[name][value] += n
    return {name: dict(values) for name, values in counts.items()}, total
