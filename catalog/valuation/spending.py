"""What the whole collection cost, converted into the owner's currency, from the spending per purchase
day and currency that the database keeps (catalog migration 0015, `catalog_spending`).

The conversion is the one catalog.valuation.collection.spent_converted makes over the coins (each
day's sum at the ECB rate of that day, undated purchases at the latest rate, currencies the ECB does
not quote apart), made a year at a time: each (year, currency) subtotal is kept in this process
under the year's fingerprint (its coins, cents and the random mark the triggers replace on every
change of the year), and converted again only when that fingerprint changes. Right after a write a
page then converts the year that changed, not the 33,000 days of 100,000 coins. One query whatever
the size of the collection and whatever is kept: the fingerprints the process has converted go in
as parameters and only the days of the other years come back.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from .rates import RateUnavailable, rate_value

# The kept rows plus the changes PostgreSQL's triggers journal before folding them in (catalog 0015);
# the journal is empty on SQLite.
YEARS = (
    "(SELECT day AS year, currency, n, amount, mark FROM catalog_spending_year UNION ALL "
    "SELECT substr(day, 1, 4), currency, n, amount, mark FROM catalog_spending_journal) AS kept"
)
# The days of the stale years, from either table: a day BETWEEN 'YYYY' AND 'YYYY-12-31' is one of
# the year's; for '' (undated) only ''. Joined in each table so the range reads its primary key.
STALE_DAYS = " UNION ALL ".join(
    f"SELECT t.day, t.currency, t.n, t.amount FROM {table} AS t JOIN stale ON t.currency = stale.currency "  # noqa: S608
    "AND t.day BETWEEN stale.year AND stale.year || '-12-31'"
    for table in ("catalog_spending", "catalog_spending_journal")
)


def kept() -> bool:
    """Whether this database keeps the spending (migration 0015 makes it on SQLite and PostgreSQL)."""
    return connection.vendor in ("sqlite", "postgresql")


@dataclass
class Subtotal:
    """One (year, currency) converted: the sum in the owner's currency (unrounded), the coins in it,
    those undated, and what could not be converted, per currency."""

    converted: Decimal = Decimal(0)
    coins: int = 0
    undated: int = 0
    apart: list[tuple[str, Decimal]] = field(default_factory=list)


# ((database, owner's currency, today), {fingerprint: Subtotal}): the subtotals of the years as they
# stood at the last read, for one database, currency and day (undated purchases take today's rate).
_kept: tuple[tuple, dict[str, Subtotal]] = ((), {})

# One query: every year's fingerprint ('year|currency|coins|cents|mark'), and the days of the years
# whose fingerprint is not among those already converted (%s: that list), per day and currency.
QUERY = f"""WITH years AS (
        SELECT year, currency, SUM(n) AS n, SUM(amount) AS amount, SUM(mark) AS mark FROM {YEARS}
        GROUP BY year, currency
    ),
    stale AS (
        SELECT year, currency FROM years
        WHERE year || '|' || currency || '|' || n || '|' || amount || '|' || mark NOT IN ({{known}})
    )
    SELECT 'year', year, currency, n, amount, mark FROM years
    UNION ALL
    SELECT 'day', day, currency, SUM(n), SUM(amount), 0 FROM ({STALE_DAYS}) AS days
    GROUP BY day, currency"""  # noqa: S608 - constant names; the fingerprints are parameters


def spent_from_kept(mine: str, today: dt.date) -> tuple[Decimal, int, int, list[tuple[str, Decimal]]]:
    """(converted total, coins converted, of them undated, [(currency, amount)] not convertible)."""
    global _kept
    context = (connection.settings_dict["NAME"], mine, today)
    known = _kept[1] if _kept[0] == context else {}
    fingerprints: dict[tuple[str, str], str] = {}
    days = []
    with connection.cursor() as cursor:
        cursor.execute(QUERY.format(known=", ".join(["%s"] * (len(known) + 1))), ["", *known])
        for kind, key, currency, n, amount, mark in cursor.fetchall():
            if kind == "year":
                fingerprints[(key, currency)] = f"{key}|{currency}|{int(n)}|{int(amount)}|{int(mark)}"
            else:
                days.append((key, currency, int(n), int(amount)))
    fresh = _convert(days, mine, today)
    subtotals = {
        fingerprint: known[fingerprint] if fingerprint in known else fresh.get(pair, Subtotal())
        for pair, fingerprint in fingerprints.items()
    }
    _kept = (context, subtotals)
    total, coins, undated, apart = Decimal(0), 0, 0, []
    for subtotal in subtotals.values():
        total += subtotal.converted
        coins += subtotal.coins
        undated += subtotal.undated
        apart += subtotal.apart
    return total, coins, undated, apart


def _convert(days: list[tuple[str, str, int, int]], mine: str, today: dt.date) -> dict[tuple, Subtotal]:
    """The subtotals per (year, currency) of the rows (day, currency, coins, cents)."""
    out: dict[tuple, Subtotal] = {}
    for day, currency, n, cents in days:
        if not n:
            continue  # a day whose coins have all gone
        key = (day[:4], currency)
        subtotal = out.get(key) or out.setdefault(key, Subtotal())
        spent = Decimal(cents).scaleb(-2)
        try:
            if not currency:
                raise RateUnavailable("no currency")
            rate = rate_value(currency, mine, dt.date.fromisoformat(day) if day else today)
        except RateUnavailable:
            subtotal.apart.append((currency, spent))
            continue
        subtotal.converted += spent * rate
        subtotal.coins += n
        subtotal.undated += n if not day else 0
    return out
