"""Browsing pages of the collection: home, the coin list, a coin, issuers and mints, series,
statistics.

The coin list and an issuer's or a mint's coins are one listing (catalog.listing); every page runs a
fixed number of queries whatever the number of rows (pinned in tests).
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from auctions import lot_counts
from auctions.models import AuctionLot
from catalog import stats as collection_stats
from catalog import tallies
from catalog.choices import SlotStatus
from catalog.coin_lots import SECTION_COIN_FIELDS, lots_and_value, lots_later
from catalog.listing import LIST_COLUMNS_DEFERRED, CoinListing, build_listing, render_facets, render_listing
from catalog.models import (
    Coin,
    CoinImage,
    ProvenanceEvent,
    Reference,
    Series,
    SeriesMembership,
    SeriesSlot,
)
from catalog.privacy import public_provenance
from catalog.term_groups import group_issuers, group_mints
from coinstack.dataversion import DataVersion, cached_on_version
from coinstack.prefetching import has_rows, prefetch_present, prefetched
from coinstack.prepared import Prepared
from coinstack.privacy import can_see_private
from coinstack.querystring import INTEGER_MAX, read_whole_number
from numismatics.types.legends import compare as legend_compare
from vocab.models import CoinType, Issuer, Mint


@require_safe
def coin_list(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request)
    return render_listing(
        request, "catalog/coin_list.html", listing, {"labels_query": listing.query}, cached=True
    )


@require_safe
def coin_facets(request: HttpRequest) -> HttpResponse:
    """The coin list's facet panel for the same query string (catalog.listing.render_facets)."""
    return render_facets(request, build_listing(request))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    recent = (
        Coin.objects.held()
        .with_vocab()
        .with_primary_image()
        .defer(*LIST_COLUMNS_DEFERRED)
        .order_by(F("acquisition_date").desc(nulls_last=True), "-id")[:8]
        if can_see_private(request)
        else Coin.objects.held()
        .with_vocab()
        .with_primary_image()
        .defer(*LIST_COLUMNS_DEFERRED)
        .order_by("-id")[:8]
    )
    summary = {**_collection_summary(), "demo_coins": Coin.objects.held().filter(is_demo=True).count()}
    context = {
        "summary": summary,
        "demo_coins": summary["demo_coins"],
        "recent": recent,
        "series_count": Series.objects.count(),
        "lot_count": _lot_count(can_see_private(request)),
    }
    return render(request, "catalog/home.html", context)


def _collection_summary() -> dict[str, int]:
    """How many coins the collection holds, and how many issuers and mints they name: read from the
    counts the database keeps (catalog.tallies, one small query); where it keeps none, counted
    (issuers and mints as EXISTS over the small vocabulary tables, each probe one index lookup)."""
    kept = tallies.facet_counts(["issuer", "mint"], {}, id_facets={"issuer", "mint"})
    if kept is not None:
        counts, total = kept
        return {"coins": total, "issuers": len(counts["issuer"]), "mints": len(counts["mint"])}
    held = Coin.objects.held()
    return {
        "coins": held.count(),
        "issuers": Issuer.objects.filter(Exists(held.filter(issuer=OuterRef("pk")))).count(),
        "mints": Mint.objects.filter(Exists(held.filter(mint=OuterRef("pk")))).count(),
    }


def _lot_count(private: bool) -> int:
    """How many lots this visitor may see: from the counts the database keeps (auctions 0009, which
    tell the owner's purchases apart); where it keeps none, counted. The public count tests every
    lot's link to a coin (the owner's purchases are left out), so it is cached under the market's
    data version; the whole table's count is read from an index (8 ms on PostgreSQL at 200,000
    lots, which the kept counts spare)."""
    if lot_counts.kept():
        return sum(n for *_, n in lot_counts.kept_rows(include_purchases=private))
    if private:
        return AuctionLot.objects.count()
    token = DataVersion.current(DataVersion.MARKET)  # read first: see cached_on_version
    return cached_on_version(token, "public-lot-count", AuctionLot.objects.public().count)


# A list's query string, as `from=` carries it: longer than any the list's own links make (every
# filter set, a search at its longest) is not a list we came from.
MAX_FROM_LENGTH = 2000


def _position(request: HttpRequest) -> int:
    """`pos=`: the coin's index in the list it came from; -1 when absent or unreadable (the coin is
    then looked up in the list), never a number the database's OFFSET cannot take."""
    try:
        return read_whole_number(request.GET.get("pos"), minimum=0, maximum=INTEGER_MAX, what="a position")
    except ValidationError:
        return -1


def _neighbours(request: HttpRequest, coin: Coin) -> dict:
    """Previous/next coins within the list the visitor came from (`?from=<its query>&pos=<index>`)."""
    raw = request.GET.get("from")
    if raw is None or len(raw) > MAX_FROM_LENGTH:
        return {}
    listing = build_listing(request, data=QueryDict(raw))
    raw = listing.query  # as the list reads it: a shortened search shortened, empty values dropped
    ids = listing.queryset.values_list("pk", flat=True)
    position = _position(request)
    window: list[int] = []
    if position >= 0:
        start = max(position - 1, 0)
        window = list(ids[start : position + 2])
        index = position - start
        if not (index < len(window) and window[index] == coin.pk):
            window, position = [], -1
    if position < 0:
        # The list changed since the link was made (or no position came): look the coin up.
        window = list(ids[:5000])
        if coin.pk not in window:
            return {"from_query": raw}
        position = window.index(coin.pk)
        start = max(position - 1, 0)
        window = window[start : position + 2]
        index = position - start
    else:
        index = position - max(position - 1, 0)
    previous_id = window[index - 1] if index > 0 else None
    next_id = window[index + 1] if index + 1 < len(window) else None
    return {
        "from_query": raw,
        "previous": {"id": previous_id, "pos": position - 1} if previous_id else None,
        "next": {"id": next_id, "pos": position + 1} if next_id else None,
    }


# The coin page's own queries, compiled once (coinstack.prepared): the coin with its vocabulary and
# whether it has images, provenance and series memberships (most coins lack one or two of them, and
# a relation without rows needs no query: prefetch_present); its references with their types.
_PAGE_COIN = Prepared(
    lambda pk: (
        Coin.objects.with_vocab()
        .annotate(**has_rows(Coin, "images", "provenance", "series_memberships"))
        .filter(pk=pk)
    )
)
_PAGE_REFERENCES = Prepared(
    lambda pk: Reference.objects.filter(coin_id=pk).select_related("type").order_by("position", "id")
)
# The lots endpoint's: the coin's fields the value reads, its references without their types.
_SECTION_COIN = Prepared(
    lambda pk: Coin.objects.select_related("issuer", "denomination").only(*SECTION_COIN_FIELDS).filter(pk=pk)
)
_SECTION_REFERENCES = Prepared(lambda pk: Reference.objects.filter(coin_id=pk).order_by("position", "id"))


def _coin_or_404(prepared: Prepared, pk: int) -> Coin:
    coin = prepared.first(pk)
    if coin is None:
        raise Http404("No coin with that number.")
    return coin


@require_safe
def coin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    private = can_see_private(request)
    # Read first (see cached_on_version): the lots and value section is cached under it.
    token = DataVersion.current_of(DataVersion.COLLECTION, DataVersion.MARKET)
    # The page links an event's lot by its id alone: the lot's own columns are not read.
    provenance = ProvenanceEvent.objects.order_by("order", "id")
    coin = _coin_or_404(_PAGE_COIN, pk)
    references = _PAGE_REFERENCES.all(coin.pk)
    prefetched(coin, "references", references)
    prefetch_present(
        coin,
        Prefetch("images", queryset=CoinImage.objects.order_by("-is_primary", "position", "id")),
        # Without private access, not the events that record the owner's purchase.
        Prefetch("provenance", queryset=provenance if private else public_provenance(provenance)),
        Prefetch(
            "series_memberships",
            queryset=SeriesMembership.objects.select_related("series", "slot").order_by("series__name"),
        ),
    )
    images = list(coin.images.all())
    later = lots_later(request, coin.pk, private=private, token=token)
    context = {
        "coin": coin,
        "primary_image": images[0] if images else None,
        "other_images": images[1:],
        "references": references,
        "lots_later": later,
        "lots_and_value": None
        if later
        else lots_and_value(request, coin, references, private=private, token=token),
        "type_panels": type_panels(coin, references),
        **_neighbours(request, coin),
    }
    return render(request, "catalog/coin_detail.html", context)


@require_safe
def coin_lots(request: HttpRequest, pk: int) -> HttpResponse:
    """The coin page's lots and value section alone (catalog.coin_lots): what the page's placeholder
    asks for when the section was not cached; rendering it caches it for the page's next visit."""
    private = can_see_private(request)
    token = DataVersion.current_of(DataVersion.COLLECTION, DataVersion.MARKET)
    coin = _coin_or_404(_SECTION_COIN, pk)
    references = _SECTION_REFERENCES.all(coin.pk)
    prefetched(coin, "references", references)
    return HttpResponse(lots_and_value(request, coin, references, private=private, token=token))


@require_safe
def series_list(request: HttpRequest) -> HttpResponse:
    series = Series.objects.with_progress().order_by("name")
    return render(request, "catalog/series_list.html", {"series_list": series})


@require_safe
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    memberships = Prefetch(
        "memberships",
        queryset=SeriesMembership.objects.select_related(
            "coin", "coin__issuer", "coin__denomination"
        ).order_by("id"),
    )
    slots = list(
        SeriesSlot.objects.filter(series=series)
        .select_related("issuer", "type")
        .prefetch_related(
            memberships,
            Prefetch(
                "memberships__coin__images",
                queryset=CoinImage.objects.filter(is_primary=True),
                to_attr="primary_images",
            ),
        )
        .order_by("number")
    )
    by_type = coins_of_types([slot.type_id for slot in slots if slot.type_id])
    cells = []
    filled = 0
    for slot in slots:
        members = list(slot.memberships.all())
        # A slot for a type holds the coins of that type too (their references resolve to it).
        present = {m.coin_id for m in members}
        members += [r for r in by_type.get(slot.type_id, ()) if r.coin_id not in present]
        status = slot.status_from(members)
        if members:
            filled += 1
        cells.append({"slot": slot, "members": members, "status": status, "label": SlotStatus(status).label})
    unslotted = list(
        SeriesMembership.objects.filter(series=series, slot__isnull=True)
        .select_related("coin", "coin__issuer", "coin__denomination")
        .order_by("id")
    )
    total = len(slots)
    context = {
        "series": series,
        "cells": cells,
        "filled": filled,
        "total": total,
        "percent": round(100 * filled / total) if total else 0,
        "unslotted": unslotted,
    }
    return render(request, "catalog/series_detail.html", context)


def coins_of_types(type_ids: list[int]) -> dict[int, list[Reference]]:
    """type id -> the references (one per coin, with the coin and its primary image) that resolve
    to it, not counting cf.; two queries whatever the number of types, none without types."""
    if not type_ids:
        return {}
    references = (
        Reference.objects.filter(type_id__in=type_ids, is_cf=False)
        .select_related("coin", "coin__issuer", "coin__denomination")
        .prefetch_related(
            Prefetch(
                "coin__images", queryset=CoinImage.objects.filter(is_primary=True), to_attr="primary_images"
            )
        )
        .order_by("coin_id", "position")
    )
    out: dict[int, list[Reference]] = {}
    for reference in references:
        listed = out.setdefault(reference.type_id, [])
        if all(r.coin_id != reference.coin_id for r in listed):
            listed.append(reference)
    return out


def type_panels(coin: Coin, references: list[Reference]) -> list[dict]:
    """The coin's types for its page: each linked type with its canonical legends beside the coin's,
    the letters that differ marked, and a verdict (same, shortened, a variant, a different legend)."""
    panels = []
    seen = set()
    for reference in sorted(references, key=lambda r: (r.is_cf, not r.is_attribution, r.position)):
        coin_type = reference.type
        if coin_type is None or coin_type.pk in seen:
            continue
        seen.add(coin_type.pk)
        sides = []
        for side, own, canonical in (
            ("Obverse", coin.obverse_legend, coin_type.obverse_legend),
            ("Reverse", coin.reverse_legend, coin_type.reverse_legend),
        ):
            sides.append(
                {
                    "side": side,
                    "own": own,
                    "canonical": canonical,
                    "difference": legend_compare(own, canonical) if own and canonical else None,
                }
            )
        panels.append({"type": coin_type, "reference": reference, "sides": sides})
    return panels


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    private = can_see_private(request)
    # Read first: see cached_on_version. What a public visitor sees of provenance depends on the lots
    # too (a purchase lot's events are left out), so their figures change with either version.
    scopes = (DataVersion.COLLECTION,) if private else (DataVersion.COLLECTION, DataVersion.MARKET)
    token = DataVersion.current_of(*scopes)
    context = cached_on_version(
        token, repr(("stats", private)), lambda: collection_stats.rendered_stats(include_private=private)
    )
    return render(request, "catalog/stats.html", context)


# --- issuers and mints: the term, its nomisma link, and its coins (the coin list, pre-filtered) ---


TERM_PAGES = {
    "issuer": ("Issuers", "catalog:issuer_detail"),
    "mint": ("Mints", "catalog:mint_detail"),
}


def _term_list(request: HttpRequest, kind: str, terms_and_groups, key: tuple = ()) -> HttpResponse:
    """An index of terms in groups. Terms without coins (an authority recorded but not collected,
    most of the vocabulary) are hidden unless `?all=1` asks for every term.

    The body is rendered once per data version (the terms and their coins are the collection's
    tables; `key` adds what else it depends on): a few hundred terms grouped and rendered cost
    20-30 ms, and the pages are visited far more often than the vocabulary changes."""
    title, detail_url = TERM_PAGES[kind]
    show_all = request.GET.get("all") == "1"
    token = DataVersion.current(DataVersion.COLLECTION)  # read first: see cached_on_version

    def body() -> str:
        terms, groups = terms_and_groups()
        shown = terms if show_all else [term for term in terms if term.coin_count]
        context = {
            "groups": groups(shown),
            "title": title,
            "detail_url": detail_url,
            "kind": kind,
            "show_all": show_all,
            "shown": len(shown),
            "hidden": len(terms) - len(shown),
            "total": len(terms),
        }
        return render_to_string("catalog/term_list_body.html", context, request)

    html = cached_on_version(token, repr(("term-list", kind, show_all, *key)), body)
    return render(request, "catalog/term_list.html", {"title": title, "body": html})


@require_safe
def issuer_list(request: HttpRequest) -> HttpResponse:
    return _term_list(
        request,
        "issuer",
        lambda: (list(Issuer.objects.annotate(coin_count=Count("coins")).order_by()), group_issuers),
    )


@require_safe
def mint_list(request: HttpRequest) -> HttpResponse:
    # The regions come from the coin types, which no data version covers: their number and last id
    # (one index read) are part of the key, so loading types renders the page again.
    types = CoinType.objects.aggregate(n=Count("id"), last=Max("id"))
    return _term_list(
        request,
        "mint",
        lambda: (
            list(Mint.objects.annotate(coin_count=Count("coins")).order_by()),
            lambda shown: group_mints(shown, mint_regions()),
        ),
        key=(types["n"], types["last"]),
    )


def mint_regions() -> dict[int, str]:
    """mint id -> the region (a nomisma id) most of the mint's catalogue types give it: the
    vocabulary keeps no region of its own, the type tables (vocab.CoinType) do. One query."""
    rows = (
        CoinType.objects.filter(mint__isnull=False)
        .exclude(region_nomisma="")
        .values("mint_id", "region_nomisma")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("mint_id", "region_nomisma", "n")
    )
    best: dict[int, tuple[int, str]] = {}
    for mint_id, region, n in rows:
        if mint_id not in best or (n, region) > best[mint_id]:
            best[mint_id] = (n, region)
    return {mint_id: region for mint_id, (_, region) in best.items()}


def _issuer_listing(request: HttpRequest, pk: int) -> tuple[Issuer, CoinListing]:
    issuer = get_object_or_404(Issuer, pk=pk)
    return issuer, build_listing(request, Coin.objects.filter(issuer_id=issuer.pk), hidden_facets=("issuer",))


def _mint_listing(request: HttpRequest, pk: int) -> tuple[Mint, CoinListing]:
    mint = get_object_or_404(Mint, pk=pk)
    return mint, build_listing(request, Coin.objects.filter(mint_id=mint.pk), hidden_facets=("mint",))


@require_safe
def issuer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issuer, listing = _issuer_listing(request, pk)
    context = {
        "term": issuer,
        "kind": "issuer",
        "labels_query": _with_term("issuer", issuer.pk, listing.query),
    }
    return render_listing(request, "catalog/term_detail.html", listing, context, cached=True)


@require_safe
def issuer_facets(request: HttpRequest, pk: int) -> HttpResponse:
    """An issuer's coins' facet panel for the same query string (catalog.listing.render_facets)."""
    return render_facets(request, _issuer_listing(request, pk)[1])


@require_safe
def mint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mint, listing = _mint_listing(request, pk)
    context = {"term": mint, "kind": "mint", "labels_query": _with_term("mint", mint.pk, listing.query)}
    return render_listing(request, "catalog/term_detail.html", listing, context, cached=True)


@require_safe
def mint_facets(request: HttpRequest, pk: int) -> HttpResponse:
    """A mint's coins' facet panel for the same query string (catalog.listing.render_facets)."""
    return render_facets(request, _mint_listing(request, pk)[1])


def _with_term(name: str, pk: int, query: str) -> str:
    """A term page's query string as the coin list reads it: the term becomes a filter (for the
    labels of the coins shown)."""
    params = QueryDict(query, mutable=True)
    params.setlist(name, [str(pk)])
    return params.urlencode()
