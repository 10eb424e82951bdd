"""The collection's value for /stats/: the latest snapshot's values summed per currency (the owner's,
unless a manual value is in a currency the ECB does not quote), how many coins are valued from
comparables, by a manual value, or have not enough sales, by category and issuer, the value by month
from the snapshots' history, and beside it what was spent, converted into the same currency at the
ECB rate of each purchase's date. Nothing is ever summed across currencies unconverted.

Seven queries whatever the size of the collection (the tokens, the latest day and the coins, the
spending, and four GROUP BYs), one when cached; the estimates come from the snapshots (manage.py
snapshot_values), not from valuing every coin while the page is drawn.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from catalog import tallies
from catalog.choices import Category
from catalog.models import Coin
from coinstack.dataversion import DataVersion, cached_on_version

from . import spending
from .models import ValueMethod, ValueSnapshot
from .prices import owner_currency
from .rates import RateUnavailable, reference_rate

TOP_ISSUERS = 15
# The snapshots' data-version scope (catalog 0015 keeps it beside 0006's collection and market).
VALUES = "values"
HISTORY_MONTHS = 24


def _per_currency(rows) -> list[dict]:
    """[(currency, amount)] summed per currency, the owner's first."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in rows:
        if amount is not None:
            sums[currency] += amount
    mine = owner_currency()
    return [{"currency": c, "amount": sums[c]} for c in sorted(sums, key=lambda c: (c != mine, c))]


def collection_value() -> dict:
    """Everything the value section shows, cached under the data versions of the collection and of
    the snapshots (catalog 0015's 'values' scope), for this owner's currency and day: a warm /stats/
    reads one token row, not the latest snapshot's 100,000 values four times over (half a second of
    CPU at 100,000 coins)."""
    mine, today = owner_currency(), timezone.localdate()
    # Both tokens in one read, before any figure (cached_on_version says why); None, so nothing is
    # cached, when the database keeps either not.
    version = DataVersion.current_of(DataVersion.COLLECTION, VALUES)
    return cached_on_version(version, repr(("collection_value", mine, today)), _collection_value)


# Every coin, held or not: the held ones from the counts the database keeps (catalog.tallies; COUNT(*)
# over the coins is a scan of the table on PostgreSQL, 6 ms at 100,000 coins), the few disposed ones
# from their partial index (coin_disposed_idx, whose condition is written out so SQLite reads it).
ALL_COINS_KEPT = (
    f"(SELECT COALESCE(SUM(n), 0) FROM {tallies.COUNTS} WHERE facet = 'total')"  # noqa: S608 - constants
    " + (SELECT COUNT(*) FROM catalog_coin WHERE NOT (disposal = ''))"
)
ALL_COINS_COUNTED = "(SELECT COUNT(*) FROM catalog_coin)"


def _collection_value() -> dict:
    all_coins = ALL_COINS_KEPT if tallies.kept() else ALL_COINS_COUNTED
    with connection.cursor() as cursor:
        # The latest snapshot's day and the coins, in one read.
        cursor.execute(f"SELECT (SELECT MAX(taken_on) FROM catalog_valuesnapshot), {all_coins}")  # noqa: S608
        latest, coins = cursor.fetchone()
    if isinstance(latest, str):  # SQLite keeps a date as 'YYYY-MM-DD' text
        latest = dt.date.fromisoformat(latest)
    context = {"currency": owner_currency(), "taken_on": latest, "coins": coins, "spent": spent_converted()}
    if latest is None:
        return context
    day = ValueSnapshot.objects.filter(taken_on=latest).order_by()
    counts = {ValueMethod.ESTIMATE: 0, ValueMethod.MANUAL: 0, ValueMethod.NOT_ENOUGH: 0}
    totals, lows, highs = [], [], []
    for method, currency, n, amount, low, high in day.values_list("method", "currency").annotate(
        n=Count("id"), amount=Sum("amount"), low=Sum("low"), high=Sum("high")
    ):
        counts[method] += n
        totals.append((currency, amount))
        if method == ValueMethod.ESTIMATE:
            lows.append((currency, low))
            highs.append((currency, high))
    context.update(
        {
            "total": _per_currency(totals),
            "estimates_low": _per_currency(lows),
            "estimates_high": _per_currency(highs),
            "estimated": counts[ValueMethod.ESTIMATE],
            "manual": counts[ValueMethod.MANUAL],
            "not_enough": counts[ValueMethod.NOT_ENOUGH],
            "not_valued": max(coins - sum(counts.values()), 0),
            "by_category": _by_category(day),
            "by_issuer": _by_issuer(day),
            "history": _history(latest),
        }
    )
    return context


def _grouped(rows, label_of) -> list[dict]:
    """rows of (key, currency, n, amount) -> one row per key with its sums per currency, largest
    (in the owner's currency) first."""
    per_key: dict = {}
    for key, currency, n, amount in rows:
        item = per_key.setdefault(key, {"label": label_of(key), "key": key, "count": 0, "pairs": []})
        item["count"] += n
        item["pairs"].append((currency, amount))
    out = []
    for item in per_key.values():
        item["amounts"] = _per_currency(item.pop("pairs"))
        out.append(item)
    mine = owner_currency()

    def in_mine(item):
        return sum((a["amount"] for a in item["amounts"] if a["currency"] == mine), Decimal(0))

    return sorted(out, key=lambda item: (-in_mine(item), str(item["label"])))


def _by_category(day) -> list[dict]:
    labels = dict(Category.choices)
    rows = (
        day.filter(amount__isnull=False)
        .values_list("coin__category", "currency")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    return _grouped(rows, lambda key: labels.get(key, key))


def _by_issuer(day) -> list[dict]:
    rows = list(
        day.filter(amount__isnull=False)
        .values_list("coin__issuer_id", "currency")
        .annotate(name=Max("coin__issuer__name"), n=Count("id"), amount=Sum("amount"))
    )
    names = {pk: name for pk, _currency, name, _n, _amount in rows}
    grouped = _grouped(
        [(pk, currency, n, amount) for pk, currency, _name, n, amount in rows],
        lambda pk: names.get(pk) or "Unattributed",
    )
    return grouped[:TOP_ISSUERS]


def _history(latest: dt.date) -> list[dict]:
    """The value at the end of each month: the sums of the month's last snapshot day, per currency."""
    since = (latest.replace(day=1) - dt.timedelta(days=31 * (HISTORY_MONTHS - 1))).replace(day=1)
    per_day: dict[dt.date, list] = defaultdict(list)
    for taken_on, currency, amount in (
        ValueSnapshot.objects.filter(taken_on__gte=since, amount__isnull=False)
        .order_by()
        .values_list("taken_on", "currency")
        .annotate(amount=Sum("amount"))
    ):
        per_day[taken_on].append((currency, amount))
    last_of_month: dict[tuple[int, int], dt.date] = {}
    for day in sorted(per_day):
        last_of_month[(day.year, day.month)] = day
    mine = owner_currency()
    months = []
    for (_year, _month), day in sorted(last_of_month.items()):
        amounts = _per_currency(per_day[day])
        mine_amount = sum((a["amount"] for a in amounts if a["currency"] == mine), Decimal(0))
        months.append({"month": day, "day": day, "amounts": amounts, "in_owner_currency": mine_amount})
    largest = max((m["in_owner_currency"] for m in months), default=Decimal(0)) or Decimal(1)
    for month in months:
        month["percent"] = round(float(100 * month["in_owner_currency"] / largest), 1)
    return months


def spent_converted(coins=None) -> dict:
    """What the coins (all, or the queryset `coins`) cost, converted into the owner's currency at the
    ECB rate of each purchase's date (undated purchases at the latest rate); prices in a currency the
    ECB does not quote, or of no stated currency, stay apart in their own. The whole collection's is
    read from the spending the database keeps per day (catalog.valuation.spending), with the same
    figures as grouping the coins (_spent_by_scan, which a selection and other databases use)."""
    mine = owner_currency()
    today = timezone.localdate()
    if coins is None and spending.kept():
        total, converted, undated, apart = spending.spent_from_kept(mine, today)
    else:
        total, converted, undated, apart = _spent_by_scan(coins, mine, today)
    return {
        "amount": total.quantize(Decimal("0.01")),
        "currency": mine,
        "coins": converted,
        "undated": undated,
        "apart": _per_currency(apart),
    }


def _spent_by_scan(coins, mine: str, today: dt.date) -> tuple[Decimal, int, int, list[tuple[str, Decimal]]]:
    """(converted total, coins converted, of them undated, [(currency, amount)] not convertible),
    from the coins grouped by purchase date and currency."""
    total = Decimal(0)
    converted = undated = 0
    apart: list[tuple[str, Decimal]] = []
    selected = Coin.objects.all() if coins is None else Coin.objects.filter(pk__in=coins.values("pk"))
    for day, currency, n, spent in (
        selected.filter(acquisition_price__isnull=False)
        .order_by()
        .values_list("acquisition_date", "acquisition_currency")
        .annotate(n=Count("id"), spent=Sum("acquisition_price"))
    ):
        try:
            if not currency:
                raise RateUnavailable("no currency")
            rate = reference_rate(currency, mine, day or today)
        except RateUnavailable:
            apart.append((currency or "", spent))
            continue
        total += spent * rate.rate
        converted += n
        undated += n if day is None else 0
    return total, converted, undated, apart
