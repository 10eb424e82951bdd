"""Collection statistics for /stats/: counts, spending per year and currency, completeness.

Each figure is one aggregate query whatever the size of the collection. Only the coins still held
count (Coin.objects.held()): a coin sold or given away leaves the figures. Spending is grouped by
currency and never summed across currencies (an earlier system added USD to EUR). Bars are
pre-computed as percentages of the largest value so the template draws SVG without arithmetic.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, IntegerField, Max, Sum
from django.db.models.functions import Cast, ExtractYear, Substr

from catalog.choices import Category, Metal
from catalog.models import Coin, CoinImage, ProvenanceEvent, Reference
from catalog.privacy import public_provenance
from numismatics.years import format_year

TOP_TERMS = 15


def bars(rows: list[tuple[str, int]], link_param: str = "", link_values: list | None = None) -> list[dict]:
    """Rows of (label, value) as bar dicts with `percent` of the largest value (for SVG widths)."""
    largest = max((value for _, value in rows), default=0) or 1
    result = []
    for i, (label, value) in enumerate(rows):
        bar = {"label": label, "value": value, "percent": round(100 * value / largest, 1)}
        if link_param and link_values is not None:
            bar["query"] = f"{link_param}={link_values[i]}"
        result.append(bar)
    return result


def century_label(century: int) -> str:
    """1 -> "1st c. AD", -3 -> "3rd c. BC"."""
    number = abs(century)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix} c. {'BC' if century < 0 else 'AD'}"


def century_of(year: int) -> int:
    """Signed century: AD 1-100 is 1, 1-100 BC is -1 (there is no year 0)."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def _by_category_and_metal() -> tuple[list[dict], list[dict]]:
    """Coins per category and per metal from one GROUP BY over both columns: the index
    coin_category_metal_year_idx holds them, so the table itself is never read."""
    per: dict[str, dict[str, int]] = {"category": defaultdict(int), "metal": defaultdict(int)}
    for category, metal, n in (
        Coin.objects.held().order_by().values_list("category", "metal").annotate(n=Count("id"))
    ):
        per["category"][category] += n
        per["metal"][metal] += n
    return (
        _bars_of(per["category"], "category", dict(Category.choices)),
        _bars_of(per["metal"], "metal", dict(Metal.choices)),
    )


def _bars_of(counts: dict[str, int], column: str, labels: dict) -> list[dict]:
    # Ties in value order, as the GROUP BY gave them before.
    counted = sorted(((v, n) for v, n in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return bars([(labels.get(v, v), n) for v, n in counted], column, [v for v, _ in counted])


def _by_term(relation: str) -> list[dict]:
    # Grouped by the id alone, so the groups come in the order of the (issuer, ...) or (mint)
    # index; the name rides along as an aggregate instead of a second grouping column that would
    # make the database sort every coin.
    rows = (
        Coin.objects.held()
        .filter(**{f"{relation}__isnull": False})
        .order_by()
        .values_list(f"{relation}_id")
        .annotate(name=Max(f"{relation}__name"), n=Count("id"))
        .values_list(f"{relation}_id", "name", "n")
        .order_by("-n", "name")[:TOP_TERMS]
    )
    rows = list(rows)
    return bars([(name, n) for _, name, n in rows], relation, [pk for pk, _, _ in rows])


def _by_century() -> list[dict]:
    # Grouping by year in SQL (a few hundred distinct values at most) and folding into centuries
    # here keeps the BC/AD arithmetic, with no year 0, in one tested Python function.
    per_century: dict[int, int] = defaultdict(int)
    for year, n in (
        Coin.objects.held()
        .filter(year_start__isnull=False)
        .order_by()
        .values_list("year_start")
        .annotate(n=Count("id"))
    ):
        per_century[century_of(year)] += n
    ordered = sorted(per_century.items())
    result = bars([(century_label(c), n) for c, n in ordered])
    for bar, (century, _) in zip(result, ordered, strict=True):
        first = (century - 1) * 100 + 1 if century > 0 else century * 100
        last = century * 100 if century > 0 else (century + 1) * 100 - 1
        bar["query"] = urlencode({"year_from": format_year(first), "year_to": format_year(last)})
    return result


def _spending() -> list[dict]:
    """Acquisitions per year and currency: count and sum, one row per (year, currency).

    Grouped by year in SQL, read from the covering index coin_acquired_spending_idx. ExtractYear
    calls a Python function per row on SQLite (a second for 100,000 coins); there a date is stored
    as 'YYYY-MM-DD' text, so its first four characters are the year, read natively.
    """
    if connection.vendor == "sqlite":
        year = Cast(Substr("acquisition_date", 1, 4), IntegerField())
    else:
        year = ExtractYear("acquisition_date")
    rows = (
        Coin.objects.held()
        .filter(acquisition_date__isnull=False)
        .order_by()
        .annotate(year=year)
        .values_list("year", "acquisition_currency")
        .annotate(n=Count("id"), spent=Sum("acquisition_price"))
    )
    totals: dict[tuple[int, str], dict] = {}
    for year_number, currency, n, spent in rows:
        currency = currency or ""
        item = totals.setdefault((year_number, currency), {"currency": currency, "count": 0, "spent": None})
        item["count"] += n
        if spent is not None:
            item["spent"] = spent if item["spent"] is None else item["spent"] + spent
    by_year: dict[int, list[dict]] = defaultdict(list)
    for (year, _currency), item in sorted(totals.items()):
        by_year[year].append(item)
    largest = max((sum(item["count"] for item in items) for items in by_year.values()), default=0) or 1
    return [
        {
            "year": year,
            "count": sum(item["count"] for item in items),
            "percent": round(100 * sum(item["count"] for item in items) / largest, 1),
            "currencies": items,
        }
        for year, items in sorted(by_year.items())
    ]


def _completeness(include_private: bool) -> dict:
    """Share of coins with images, weight, references, provenance.

    Each "has any" count reads the related table's (coin, ...) index once, instead of probing three
    tables for every coin. Without private access, provenance counts only the events a visitor may
    see: an event that records the owner's own purchase is no earlier history (catalog.privacy).
    """
    counts = Coin.objects.held().aggregate(total=Count("id"), weight=Count("weight_g"))
    counts["images"] = (
        CoinImage.objects.filter(coin__disposal="").order_by().values("coin_id").distinct().count()
    )
    counts["references"] = (
        Reference.objects.filter(coin__disposal="").order_by().values("coin_id").distinct().count()
    )
    events = (
        ProvenanceEvent.objects.all() if include_private else public_provenance(ProvenanceEvent.objects.all())
    )
    counts["provenance"] = events.filter(coin__disposal="").order_by().values("coin_id").distinct().count()
    total = counts["total"] or 0
    labels = {"images": "Images", "weight": "Weight", "references": "References", "provenance": "Provenance"}
    return {
        "total": total,
        "items": [
            {
                "label": label,
                "count": counts[key],
                "percent": round(100 * counts[key] / total, 1) if total else 0,
            }
            for key, label in labels.items()
        ],
    }


def collection_stats(include_private: bool) -> dict:
    """Everything /stats/ shows; spending only for visitors allowed to see private fields."""
    by_category, by_metal = _by_category_and_metal()
    context = {
        "by_category": by_category,
        "by_metal": by_metal,
        "by_issuer": _by_term("issuer"),
        "by_mint": _by_term("mint"),
        "by_century": _by_century(),
        "completeness": _completeness(include_private),
        "top_terms": TOP_TERMS,
    }
    if include_private:
        context["spending"] = _spending()
    return context
