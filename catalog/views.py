"""Browsing pages of the collection: home, the coin list (filters, facets, search), a coin, series,
statistics.

Every page runs a fixed number of queries whatever the number of rows (pinned in tests): lists use
select_related for the vocabularies and one prefetch for primary images; facet counts are a few
GROUP BY queries (catalog.filters.FacetMixin), never one per choice. The coin list serves HTMX
requests the named partial "catalog/coin_list.html#results" and everything else (history-restore
requests included) the whole page, so every pushed URL renders the same state on reload or with
JavaScript off.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from auctions.models import AuctionLot, LotReference
from catalog import stats as collection_stats
from catalog.choices import Category, GradeService, GradingState, Metal, SlotStatus
from catalog.filters import FACETS, CoinFilter, ListOptionsForm
from catalog.forms import GRADE_CHOICES
from catalog.models import (
    Coin,
    CoinImage,
    DataVersion,
    ProvenanceEvent,
    Reference,
    Series,
    SeriesMembership,
    SeriesSlot,
    cached_on_version,
)
from vocab.models import Denomination, Issuer, Mint

DEFAULT_PER_PAGE = 48
# Facet lists longer than this show their biggest choices (and every selected one).
FACET_LIMIT = 40
# Parameters that do not describe the list's content: dropped from `from=` and export links.
NON_FILTER_PARAMS = ("page",)
LIST_COLUMNS_DEFERRED = (
    "obverse_description",
    "reverse_description",
    "notes",
    "grade_comment",
)

SORT_FIELDS = {
    "year": ("year_start", "year_end"),
    "issuer": ("issuer__name",),
    "price": ("acquisition_price",),
    "acquired": ("acquisition_date",),
    "weight": ("weight_g",),
    "grade": ("grade_band",),
    "inventory": ("inventory_sort",),
}
FACET_LABELS = {
    "category": "Category",
    "metal": "Metal",
    "issuer": "Issuer",
    "mint": "Mint",
    "denomination": "Denomination",
    "grading_state": "Holder",
    "grade_service": "Grading service",
}
CHOICE_LABELS = {
    "category": dict(Category.choices),
    "metal": dict(Metal.choices),
    "grading_state": dict(GradingState.choices),
    "grade_service": dict(GradeService.choices),
}
VOCAB_MODELS = {"issuer": Issuer, "mint": Mint, "denomination": Denomination}


def can_see_private(request: HttpRequest) -> bool:
    """The same rule as the `show_private` context processor, for views that must filter data."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


# Values that say the same as their absence: dropped so one state has one URL.
DEFAULT_VALUES = {("view", "grid"), ("page", "1")}


def clean_query(params: QueryDict, drop: tuple[str, ...] = NON_FILTER_PARAMS) -> str:
    """The query string without empty or default values (a GET form sends every field) nor `drop`."""
    pairs = [
        (key, value)
        for key, values in params.lists()
        if key not in drop
        for value in values
        if value != "" and (key, value) not in DEFAULT_VALUES
    ]
    return urlencode(pairs)


def ordered(queryset: QuerySet, sort: str, searching: bool) -> QuerySet:
    """Apply `sort` ("year", "-price", ...) with missing values last either way; ties by id.

    Without an explicit sort a search is ranked by relevance, anything else by inventory number.
    """
    if not sort:
        if searching:
            return queryset.order_by("search_rank", "inventory_sort", "id")
        return queryset.order_by("inventory_sort", "id")
    descending = sort.startswith("-")
    columns = SORT_FIELDS[sort.lstrip("-")]
    order = [
        F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
        for column in columns
    ]
    return queryset.order_by(*order, "-id" if descending else "id")


@dataclass
class CoinListing:
    """Everything a coin list page (the list itself, an issuer's or a mint's page) renders."""

    filterset: CoinFilter
    options: ListOptionsForm
    queryset: QuerySet
    sort: str
    view: str
    per_page: int
    page: Page | None = None
    facets: list[dict] = field(default_factory=list)
    query: str = ""
    hidden_facets: tuple[str, ...] = ()

    @property
    def errors(self) -> list[str]:
        messages = []
        for name, errors in list(self.filterset.errors.items()) + list(self.options.errors.items()):
            label = self.filterset.form.fields[name].label if name in self.filterset.form.fields else name
            messages.extend(f"{label or name}: {error}" for error in errors)
        return messages


def build_listing(
    request: HttpRequest,
    base: QuerySet | None = None,
    *,
    data: QueryDict | None = None,
    hidden_facets: tuple[str, ...] = (),
) -> CoinListing:
    """Validate the GET filters and build the ordered, filtered queryset (nothing is run yet)."""
    private = can_see_private(request)
    data = request.GET if data is None else data
    base = Coin.objects.all() if base is None else base
    filterset = CoinFilter(data, queryset=base, request=request, private=private)
    options = ListOptionsForm(data, private=private)
    options.is_valid()
    sort = options.cleaned_data.get("sort") or ""
    view = options.cleaned_data.get("view") or "grid"
    per_page = options.cleaned_data.get("per_page") or DEFAULT_PER_PAGE
    queryset = ordered(filterset.qs, sort, searching=_is_ranked(filterset.qs))
    return CoinListing(
        filterset=filterset,
        options=options,
        queryset=queryset,
        sort=sort,
        view=view,
        per_page=per_page,
        query=clean_query(data),
        hidden_facets=hidden_facets,
    )


def _is_ranked(queryset: QuerySet) -> bool:
    """Whether the search annotated a relevance rank (it does not when q has no words)."""
    return "search_rank" in queryset.query.extra_select or "search_rank" in queryset.query.annotations


def _shown(queryset: QuerySet) -> QuerySet:
    """What a card or a table row shows: vocabularies joined, the primary image prefetched."""
    return queryset.with_vocab().with_primary_image().defer(*LIST_COLUMNS_DEFERRED)


def paginate(
    listing: CoinListing,
    page_number: str | None,
    count: int | None = None,
    *,
    token: str | None = None,
    state: str = "",
) -> None:
    """Fetch one page of coins, with vocabularies joined and primary images prefetched.

    `count`, when known (added up by the facet counts), spares the paginator its COUNT(*) query.
    With a data-version `token`, the ids of the page (for this `state`, order and page size) are
    cached under it: a repeated page fetches its coins by id instead of ranking every match of a
    search or walking a deep OFFSET again. The coins themselves are always read fresh.
    """
    paginator = Paginator(_shown(listing.queryset), listing.per_page)
    if count is not None:
        paginator.count = count  # a cached_property: setting it is what computing it would do
    try:
        page = paginator.page(page_number or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    listing.page = page
    if token is None:
        return
    key = repr((state, "page", listing.sort, listing.per_page, page.number))
    missed = []

    def page_ids() -> list[int]:
        missed.append(True)
        return [coin.pk for coin in page.object_list]  # runs the page query, kept for rendering

    ids = cached_on_version(token, key, page_ids)
    if not missed:
        found = _shown(Coin.objects.all()).in_bulk(ids)
        page.object_list = [found[pk] for pk in ids if pk in found]


def compute_facets(listing: CoinListing) -> None:
    """Facet choices with their counts, for the filter panel.

    Counting is CoinFilter.facet_counts (a few GROUP BYs, see FacetMixin); then one query per
    vocabulary facet fetches the names of the choices shown (the biggest FACET_LIMIT and any chosen).
    """
    listing.facets = facets_and_total(listing)[0]


def facets_and_total(listing: CoinListing) -> tuple[list[dict], int | None]:
    """The facet panel and, when the counting queries gave it, the number of coins listed."""
    names = [name for name in FACETS if name not in listing.hidden_facets]
    counts = listing.filterset.facet_counts(names)
    active = listing.filterset.active_filters()
    selected = {name: active.get(name, []) for name in names}  # lists of chosen values
    facets = []
    for name in names:
        chosen = {str(value) for value in selected[name]}
        facet_counts = counts[name]
        if name in VOCAB_MODELS:
            top = sorted(facet_counts.items(), key=lambda item: -item[1])[:FACET_LIMIT]
            ids = {value for value, _ in top} | {int(value) for value in chosen}
            labels = (
                dict(VOCAB_MODELS[name].objects.filter(id__in=ids).order_by().values_list("id", "name"))
                if ids
                else {}
            )
            options = [
                {
                    "value": str(pk),
                    "label": label,
                    "count": facet_counts.get(pk, 0),
                    "checked": str(pk) in chosen,
                }
                for pk, label in labels.items()
            ]
            options.sort(key=lambda option: (-option["count"], option["label"]))
        else:
            options = [
                {
                    "value": value,
                    "label": label,
                    "count": facet_counts.get(value, 0),
                    "checked": value in chosen,
                }
                for value, label in CHOICE_LABELS[name].items()
                if facet_counts.get(value) or value in chosen
            ]
        facets.append(
            {
                "name": name,
                "label": FACET_LABELS[name],
                "options": options,
                "more": max(0, len(facet_counts) - len(options)),
            }
        )
    return facets, listing.filterset.facet_total


def listing_state(listing: CoinListing, private: bool) -> str:
    """What the facet panel and the count depend on, besides the data: the base queryset (an
    issuer's page lists that issuer's coins), the valid filters, private access, hidden facets."""
    active = sorted(listing.filterset.active_filters().items())
    base = str(listing.filterset.queryset.query)
    return repr(("coin-facets", private, listing.hidden_facets, base, active))


def paginate_cached(request: HttpRequest, listing: CoinListing) -> None:
    """Facets, count and the page's coin ids from the cache of the collection's data version
    (computed on a miss), then the page's coins. Any write to the collection's tables changes the
    version (database triggers, catalog 0006), so nothing cached is ever stale."""
    token = DataVersion.current(DataVersion.COLLECTION)  # before any query that fills the cache
    state = listing_state(listing, can_see_private(request))
    listing.facets, total = cached_on_version(token, state, lambda: facets_and_total(listing))
    paginate(listing, request.GET.get("page"), count=total, token=token, state=state)


def render_listing(
    request: HttpRequest,
    template: str,
    listing: CoinListing,
    context: dict | None = None,
    *,
    cached: bool = False,
) -> HttpResponse:
    """The whole page, or for an HTMX request the results partial (with facet counts swapped
    out-of-band); history-restore requests get the whole page, as a fresh load would.

    `cached`: facet counts, the total and the page's ids come from the data-version cache
    (paginate_cached); the coins themselves are always read fresh.
    """
    if cached:
        paginate_cached(request, listing)
    else:
        paginate(listing, request.GET.get("page"))
        compute_facets(listing)
    context = {
        **(context or {}),
        "listing": listing,
        "filter_form": listing.filterset.form,
        "list_url": request.path,
        "series_choices": Series.objects.order_by("name").values_list("slug", "name"),
        "grade_words": [word for word, _ in GRADE_CHOICES if word],
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    if partial:
        response = render(request, "catalog/coin_list.html#results", {**context, "oob": True})
        query = clean_query(request.GET, drop=())
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


# --- pages --------------------------------------------------------------------------------------


@require_safe
def coin_list(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request)
    return render_listing(request, "catalog/coin_list.html", listing, cached=True)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    recent = (
        Coin.objects.with_vocab()
        .with_primary_image()
        .defer(*LIST_COLUMNS_DEFERRED)
        .order_by(F("acquisition_date").desc(nulls_last=True), "-id")[:8]
        if can_see_private(request)
        else Coin.objects.with_vocab().with_primary_image().defer(*LIST_COLUMNS_DEFERRED).order_by("-id")[:8]
    )
    # "How many issuers have coins" as EXISTS over the small vocabulary table: each probe is one
    # index lookup, where COUNT(DISTINCT issuer_id) over 100,000 coins costs tens of milliseconds.
    summary = {
        "coins": Coin.objects.count(),
        "issuers": Issuer.objects.filter(Exists(Coin.objects.filter(issuer=OuterRef("pk")))).count(),
        "mints": Mint.objects.filter(Exists(Coin.objects.filter(mint=OuterRef("pk")))).count(),
    }
    context = {
        "summary": summary,
        "recent": recent,
        "series_count": Series.objects.count(),
        "lot_count": AuctionLot.objects.count(),
    }
    return render(request, "catalog/home.html", context)


def _neighbours(request: HttpRequest, coin: Coin) -> dict:
    """Previous/next coins within the list the visitor came from (`?from=<its query>&pos=<index>`)."""
    raw = request.GET.get("from")
    if raw is None:
        return {}
    data = QueryDict(raw)
    listing = build_listing(request, data=data)
    ids = listing.queryset.values_list("pk", flat=True)
    try:
        position = int(request.GET.get("pos", ""))
    except ValueError:
        position = -1
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


@require_safe
def coin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coin = get_object_or_404(
        Coin.objects.with_vocab().prefetch_related(
            Prefetch("images", queryset=CoinImage.objects.order_by("-is_primary", "position", "id")),
            Prefetch("references", queryset=Reference.objects.order_by("position", "id")),
            Prefetch(
                "provenance",
                queryset=ProvenanceEvent.objects.select_related("auction_lot").order_by("order", "id"),
            ),
            Prefetch(
                "series_memberships",
                queryset=SeriesMembership.objects.select_related("series", "slot").order_by("series__name"),
            ),
        ),
        pk=pk,
    )
    images = list(coin.images.all())
    references = list(coin.references.all())
    linked_lots = list(
        AuctionLot.objects.with_related()
        .select_related("sale__house")
        .filter(coin_id=coin.pk)
        .order_by(F("closing_date").desc(nulls_last=True), "-id")
    )
    context = {
        "coin": coin,
        "primary_image": images[0] if images else None,
        "other_images": images[1:],
        "references": references,
        "linked_lots": linked_lots,
        "comparable_lots": comparable_lots(coin, references),
        **_neighbours(request, coin),
    }
    return render(request, "catalog/coin_detail.html", context)


def comparable_lots(coin: Coin, references: list[Reference], limit: int = 24) -> list[AuctionLot]:
    """Other lots citing the same type as one of the coin's references: (system, volume, number).

    `cf.` references are near matches, not the type itself, so they do not count.
    """
    citations = {(r.system, r.volume, r.number) for r in references if r.system and r.number and not r.is_cf}
    if not citations:
        return []
    match = Q()
    for system, volume, number in citations:
        match |= Q(system=system, volume=volume, number=number)
    lot_ids = LotReference.objects.filter(match, is_cf=False).values("lot_id")
    return list(
        AuctionLot.objects.with_related()
        .select_related("sale__house")
        .filter(pk__in=lot_ids)
        .exclude(coin_id=coin.pk)
        .order_by(F("closing_date").desc(nulls_last=True), "-id")[:limit]
    )


@require_safe
def series_list(request: HttpRequest) -> HttpResponse:
    series = Series.objects.annotate(
        slot_count=Count("slots", distinct=True),
        filled_count=Count("slots", filter=Q(slots__memberships__isnull=False), distinct=True),
        coin_count=Count("memberships", distinct=True),
    ).order_by("name")
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
        .select_related("issuer")
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
    cells = []
    filled = 0
    for slot in slots:
        members = list(slot.memberships.all())
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


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    private = can_see_private(request)
    token = DataVersion.current(DataVersion.COLLECTION)  # read first: see cached_on_version
    context = cached_on_version(
        token, repr(("stats", private)), lambda: collection_stats.collection_stats(include_private=private)
    )
    return render(request, "catalog/stats.html", context)
