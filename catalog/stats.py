"""Collection statistics for /stats/: counts, spending per year and currency, completeness.

Only the coins still held count: a coin sold or given away leaves the figures (the kept counts and
the queries below both leave disposed coins out). Counts per category, metal, issuer, mint, striking
year and acquisition year and currency are read from the counts the database keeps (catalog.tallies:
one small query, no scan after a write); the "has any" shares are one aggregate query each, whatever
the size of the collection. Spending is grouped by currency and never summed across currencies (an
earlier system added USD to EUR). Bars are pre-computed as percentages of the largest value so the
template draws SVG without arithmetic.
"""

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q

from catalog.choices import Category, Metal
from catalog.models import Coin, CoinImage, ProvenanceEvent, Reference
from catalog.privacy import public_provenance
from catalog.tallies import Tally, current_tallies
from coinstack.jinja2 import render_fragment
from numismatics.years import format_year
from vocab.models import Issuer, Mint

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


def _by_category_and_metal(tallies: dict[str, dict[str, Tally]]) -> tuple[list[dict], list[dict]]:
    return (
        _bars_of(_counts(tallies["category"]), "category", dict(Category.choices)),
        _bars_of(_counts(tallies["metal"]), "metal", dict(Metal.choices)),
    )


def _counts(tallied: dict[str, Tally]) -> dict[str, int]:
    return {value: tally.n for value, tally in tallied.items()}


def _bars_of(counts: dict[str, int], column: str, labels: dict) -> list[dict]:
    # Ties in value order, as the GROUP BY gave them before.
    counted = sorted(((v, n) for v, n in counts.items() if v), key=lambda item: (-item[1], item[0]))
    return bars([(labels.get(v, v), n) for v, n in counted], column, [v for v, _ in counted])


def _by_term(model, relation: str, tallies: dict[str, dict[str, Tally]]) -> list[dict]:
    """The TOP_TERMS issuers or mints with most coins, ties by name; one query for the names."""
    counts = {int(pk): n for pk, n in _counts(tallies[relation]).items() if pk}
    names = dict(model.objects.filter(id__in=counts).order_by().values_list("id", "name")) if counts else {}
    rows = sorted(
        ((pk, names[pk], n) for pk, n in counts.items() if pk in names), key=lambda row: (-row[2], row[1])
    )[:TOP_TERMS]
    return bars([(name, n) for _, name, n in rows], relation, [pk for pk, _, _ in rows])


def _by_century(tallies: dict[str, dict[str, Tally]]) -> list[dict]:
    # Counted per year by the database; folding into centuries here keeps the BC/AD arithmetic,
    # with no year 0, in one tested Python function.
    per_century: dict[int, int] = defaultdict(int)
    for year, tally in tallies["year_start"].items():
        if year:
            per_century[century_of(int(year))] += tally.n
    ordered = sorted(per_century.items())
    result = bars([(century_label(c), n) for c, n in ordered])
    for bar, (century, _) in zip(result, ordered, strict=True):
        first = (century - 1) * 100 + 1 if century > 0 else century * 100
        last = century * 100 if century > 0 else (century + 1) * 100 - 1
        bar["query"] = urlencode({"year_from": format_year(first), "year_to": format_year(last)})
    return result


def _spending(tallies: dict[str, dict[str, Tally]]) -> list[dict]:
    """Acquisitions per year and currency: count and sum (None when no coin of them has a price),
    from the counts kept per 'YYYY|currency' (prices summed in cents, so exactly)."""
    by_year: dict[int, list[dict]] = defaultdict(list)
    for key, tally in sorted(tallies["acquired"].items()):
        if not key:
            continue  # coins without an acquisition date
        year, _, currency = key.partition("|")
        spent = Decimal(tally.amount).scaleb(-2) if tally.priced else None
        by_year[int(year)].append({"currency": currency, "count": tally.n, "spent": spent})
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


def _completeness(include_private: bool, tallies: dict[str, dict[str, Tally]]) -> dict:
    """Share of coins with images, weight, references, provenance.

    The coins, those weighed and those with images, references or provenance are counted by the
    database (catalog.tallies). Without private access, provenance counts only the events a visitor
    may see: an event that records the owner's own purchase is no earlier history (catalog.privacy);
    that share depends on the lots too, so it reads the events' (coin, ...) index once, as
    COUNT(DISTINCT coin_id) (a subquery of DISTINCT rows costs SQLite about half as much again).
    """
    weighed = tallies["weighed"].get("yes")
    counts = {"total": sum(_counts(tallies["total"]).values()), "weight": weighed.n if weighed else 0}
    # 'has' is kept over every coin; the disposed ones (few, found through coin_disposed_idx) are
    # taken off here, so the shares are of the coins still held like every other figure. Never by
    # joining every row to its coin: SQLite's plan for that read every reference and looked up each
    # one's coin (150 ms at 100,000 coins, 70 ms for the events).
    disposed_coins = Coin.objects.exclude(disposal="").values("pk")
    having = {"images": CoinImage.objects, "references": Reference.objects}
    if include_private:
        having["provenance"] = ProvenanceEvent.objects
    for key, rows in having.items():
        kept = tallies["has"].get(key)
        gone = rows.filter(coin__in=disposed_coins).aggregate(n=Count("coin_id", distinct=True))["n"]
        counts[key] = (kept.n if kept else 0) - gone
    if not include_private:
        # What a visitor may see depends on the lots too: coins with such events, less those of
        # them disposed of, in one read of the events' (coin, ...) index.
        provenance = public_provenance(ProvenanceEvent.objects.all()).aggregate(
            n=Count("coin_id", distinct=True),
            gone=Count("coin_id", distinct=True, filter=Q(coin__in=disposed_coins)),
        )
        counts["provenance"] = provenance["n"] - provenance["gone"]
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
    counted = current_tallies()
    by_category, by_metal = _by_category_and_metal(counted)
    context = {
        "by_category": by_category,
        "by_metal": by_metal,
        "by_issuer": _by_term(Issuer, "issuer", counted),
        "by_mint": _by_term(Mint, "mint", counted),
        "by_century": _by_century(counted),
        "completeness": _completeness(include_private, counted),
        "top_terms": TOP_TERMS,
    }
    if include_private:
        context["spending"] = _spending(counted)
    return context


def rendered_stats(include_private: bool) -> dict:
    """collection_stats with its counts and spending already drawn as HTML (counts_html,
    spending_html): cached with the figures under the data version, a warm /stats/ then renders the
    value section and the frame, not 30 years of spending and six charts (half its CPU at 100,000
    coins). Nothing in them depends on the request."""
    context = collection_stats(include_private)
    # Jinja2 fragments (coinstack/jinja2.py): 35 bars and 30 years of spending in several
    # currencies drawn by Django's engine were 10 of a cold /stats/'s 27 ms; Jinja2 takes 5.
    context["counts_html"] = render_fragment("catalog/stats_counts.jinja", context)
    context["spending_html"] = render_fragment("catalog/stats_spending.jinja", context)
    return context
