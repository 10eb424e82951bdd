"""Auction lots: a filtered list (same HTMX pattern as the coin list) and a lot's page.

Lots are scraped market data: their descriptions are untrusted text, shown escaped (or, for the
HTML version, through the nh3 allow-list of the `sanitize` filter (coinstack/sanitize.py)).
"""

from functools import partial

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from coinstack.active_filters import summarise
from coinstack.dataversion import DataVersion, cached_on_version
from coinstack.jinja2 import render_fragment
from coinstack.listing import (
    clean_query,
    facets_later,
    facets_later_of,
    page_of,
    read_list_request,
    render_list,
)
from coinstack.prefetching import prefetched
from coinstack.prepared import Prepared, PreparedValues
from coinstack.privacy import can_see_private
from coinstack.search import fts5_match, has_words, search_terms
from coinstack.sqlite_from import reading_index

from .filters import (
    LOT_INDEX,
    SEARCH_FACETS_COLUMNS_FILTERS,
    SEARCH_FACETS_INDEX,
    LotFilter,
    LotSortForm,
    ordered_lots,
)
from .models import ROW_VALUES, AuctionHouse, AuctionLot, LotImage, LotReference, LotStatus, lots_of_rows
from .search_page import postgres_search_page

PER_PAGE = 50
# The lot filters that are not facets (facets are named by the panel), as the summary names them.
SUMMARY_LABELS = {
    "q": "Search",
    "reference": "Reference",
    "date_from": "Closing from",
    "date_to": "Closing to",
    "price_min": "Hammer from",
    "price_max": "Hammer to",
    "linked": "Linked",
    "sale": "Sale",
}


def _summary_words(name: str, text: str) -> str | None:
    if name == "q":
        return f"“{text}”"
    if name == "linked":
        return {"yes": "to a coin", "no": "not to a coin"}.get(text)
    if name == "sale":
        return "the chosen sale"  # named by id in the address; naming it would cost a query
    return None


FACET_LABELS = {"house": "Auction house", "currency": "Currency", "status": "Status"}


def _facets(filterset: LotFilter, private: bool) -> tuple[list[dict], int | None]:
    """The facet panel, and the number of lots listed when the counting queries gave it.

    Without private access a chosen house is named only when it has a lot this visitor may see:
    asking for `?house=<id>` must not name the house of a private purchase.
    """
    counts = filterset.facet_counts()
    active = filterset.active_filters()
    chosen_houses = {str(pk) for pk in active.get("house", [])}
    house_names = _house_names(set(counts["house"]) | {int(pk) for pk in chosen_houses}, private)
    houses = sorted(
        (
            {
                "value": str(pk),
                "label": name,
                "count": counts["house"].get(pk, 0),
                "checked": str(pk) in chosen_houses,
            }
            for pk, name in house_names.items()
        ),
        key=lambda option: (-option["count"], option["label"]),
    )
    chosen_currencies = set(active.get("currency", []))
    currencies = [
        {
            "value": code,
            "label": code,
            "count": counts["currency"].get(code, 0),
            "checked": code in chosen_currencies,
        }
        for code in sorted(set(counts["currency"]) | chosen_currencies)
    ]
    chosen_status = set(active.get("status", []))
    statuses = [
        {
            "value": value,
            "label": label,
            "count": counts["status"].get(value, 0),
            "checked": value in chosen_status,
        }
        for value, label in LotStatus.choices
        if counts["status"].get(value) or value in chosen_status
    ]
    facets = [
        {"name": "house", "label": FACET_LABELS["house"], "options": houses},
        {"name": "currency", "label": FACET_LABELS["currency"], "options": currencies},
        {"name": "status", "label": FACET_LABELS["status"], "options": statuses},
    ]
    return facets, filterset.facet_total


def _house_names(ids: set[int], private: bool) -> dict[int, str]:
    """{id: name} of the houses `ids`; without private access only those with a lot this visitor
    may see (asking for `?house=<id>` must not name the house of a private purchase)."""
    if not ids:
        return {}
    houses = AuctionHouse.objects.filter(id__in=ids)
    if not private:
        houses = houses.filter(Exists(AuctionLot.objects.public().filter(house_id=OuterRef("pk"))))
    return dict(houses.values_list("id", "name"))


def _chosen_facets(filterset: LotFilter, private: bool) -> list[dict]:
    """The facets with only their chosen options, named as _facets names them, without counting:
    what a page whose counts come later shows of them (hidden inputs, the "active filters" line).
    A query only when a house is chosen."""
    active = filterset.active_filters()
    houses = _house_names({int(pk) for pk in active.get("house", [])}, private)
    statuses = dict(LotStatus.choices)
    chosen = {
        "house": sorted(((str(pk), name) for pk, name in houses.items()), key=lambda option: option[1]),
        "currency": [(code, code) for code in sorted(set(active.get("currency", [])))],
        "status": [(value, statuses[value]) for value in active.get("status", []) if value in statuses],
    }
    return [
        {
            "name": name,
            "label": FACET_LABELS[name],
            "options": [
                {"value": value, "label": label, "count": None, "checked": True} for value, label in options
            ],
        }
        for name, options in chosen.items()
    ]


def _match_count(filterset: LotFilter, private: bool) -> int:
    """The number of lots listed (a search's, or a filter's the kept counts do not serve), without
    the facet counts that otherwise give it.

    With private access and the search alone, every lot is listed and the FTS5 table holds exactly
    one row per lot (auctions 0004's triggers): its match count is the total (1.9 ms for the 38,000
    of 200,000 lots matching "denarius", where COUNT over the lots joined to their matches takes
    39 ms). Otherwise (public lots: the owner's purchases left out; or other filters) a COUNT, on
    SQLite read from the index the facet counts read (10-12 ms instead of 39-43)."""
    active = filterset.active_filters()
    if connection.vendor == "sqlite" and private and set(active) == {"q"} and has_words(active["q"]):
        terms = search_terms(active["q"], strip_accents=False)
        with connection.cursor() as cursor:
            # The table name is a constant; the visitor's words travel as the parameter.
            cursor.execute(
                f"SELECT count(*) FROM {LOT_INDEX.fts5_table} WHERE {LOT_INDEX.fts5_table} MATCH %s",  # noqa: S608
                [fts5_match(terms)],
            )
            return cursor.fetchone()[0]
    queryset = filterset.qs
    if connection.vendor == "sqlite" and set(active) <= SEARCH_FACETS_COLUMNS_FILTERS:
        queryset = reading_index(queryset, SEARCH_FACETS_INDEX)
    return queryset.count()


def _filter_errors(filterset: LotFilter) -> list[str]:
    """The filters that could not be read (and were left out), named."""
    return [
        f"{filterset.form.fields[name].label or name}: {error}"
        for name, messages in filterset.errors.items()
        for error in messages
    ]


def _errors(read, filterset: LotFilter, sorting: LotSortForm) -> list[str]:
    """What the page could not read and left out: the page number, filters, the order."""
    return (
        read.errors
        + _filter_errors(filterset)
        + [f"Sort: {error}" for error in sorting.errors.get("sort", [])]
    )


def _rows(lots: list) -> SafeString:
    """The list's rows (a Jinja2 fragment: coinstack/jinja2.py says why); "" for no lots."""
    return render_fragment("auctions/lot_rows.jinja", {"lots": lots}) if lots else SafeString("")


def _state(filterset: LotFilter, private: bool) -> str:
    return repr(("lot-facets", private, sorted(filterset.active_filters().items())))


def _with_row_images(lots: list[AuctionLot]) -> list[AuctionLot]:
    """`lots`, each with `row_image`, the first of its images (by position) or None, as its row
    shows it: one query for the page, without Django's prefetch machinery, which cost more than
    the query on every page rendered."""
    first: dict[int, LotImage] = {}
    images = LotImage.objects.filter(lot_id__in=[lot.pk for lot in lots]).only("lot", "url", "image")
    for image in images.order_by("lot_id", "position", "id"):
        first.setdefault(image.lot_id, image)
    for lot in lots:
        lot.row_image = first.get(lot.pk)
    return lots


# A search matching at least this many lots finds its page by reading the lots in the list's order
# and probing the matches (auctions.filters.search_lots), when that order has an index.
PROBE_FROM_MATCHES = 2000
PROBED_SORTS = ("", "-date", "-hammer")


def _probe_pays(matches: int | None, sort: str, page: int) -> bool:
    """Whether a search's page is found faster by walking the order's index and probing the
    matches than by sorting all of them: many matches (the walk to a page is then short), an order
    an index gives, and a page in the first half (a walk to the end reads every lot)."""
    if matches is None or matches < PROBE_FROM_MATCHES or sort not in PROBED_SORTS:
        return False
    return page * PER_PAGE * 2 <= matches


# A searched page's lots as values, by their ids (compiled once per number of ids).
_LOT_ROWS = PreparedValues(
    lambda ids: AuctionLot.objects.filter(pk__in=ids).order_by().values_list(*ROW_VALUES)
)


@require_safe
def lot_list(request: HttpRequest) -> HttpResponse:
    private = can_see_private(request)
    read = read_list_request(request.GET)
    # Without private access the lots where the owner bought coins are not listed, counted, searched
    # or faceted at all (AuctionLotQuerySet.public).
    filterset = LotFilter(read.params, queryset=AuctionLot.objects.all(), request=request, private=private)
    # Facets, the count and a search page's ids are cached under the market's data version: any
    # write to lots, their references or houses changes it (database triggers, auctions 0004), so
    # nothing cached is ever stale. The token is read before any query that fills the cache.
    token = DataVersion.current(DataVersion.MARKET)
    state = _state(filterset, private)
    searching = bool(filterset.active_filters().get("q"))
    # A text search's counts, and those of a filter the kept lot counts do not serve (a date or
    # price range, a sale, a reference: GROUP BYs over the lots it lets through), wait.
    later = facets_later(request, token, state, counted=filterset.counts_wait())
    sorting = LotSortForm(read.params)
    # On PostgreSQL a search's page is read with its total, by one statement (auctions.search_page):
    # the pages read so far, by their first position.
    read_with_total: dict[int, list[int]] = {}
    by_one_statement = searching and connection.vendor == "postgresql"

    def read_page(offset: int) -> int:
        total, read_with_total[offset] = postgres_search_page(filterset.qs, sorting.chosen, offset, PER_PAGE)
        return total

    if later:
        # Right after a write, a search or a filter the kept counts do not serve: its results first,
        # the facet counts in a second request (lot_facets). The total is still needed (the pager,
        # whether probing pays), and cheap.
        facets = _chosen_facets(filterset, private)
        if by_one_statement:
            count = partial(read_page, (read.page - 1) * PER_PAGE)  # the page asked for, with it
        else:
            count = partial(_match_count, filterset, private)
        total = cached_on_version(token, repr((state, "total")), count)
    else:
        facets, total = cached_on_version(token, state, lambda: _facets(filterset, private))
    if searching and not by_one_statement and _probe_pays(total, sorting.chosen, read.page):
        filterset.probe_search = True
        matching = ordered_lots(filterset.queryset_without(None), sorting.chosen)
    else:
        matching = ordered_lots(filterset.qs, sorting.chosen)
    # A search matches tens of thousands of lots in no useful order: sorting them with their
    # house, sale and coin joined costs twice as much as sorting their ids. So a search pages
    # through ids first and then fetches the page's lots (one more query, none per row).
    # A row shows what ROW_VALUES reads; the coin is not joined (a row links to it by the lot's
    # coin_id alone).
    listed = matching.values_list("pk", flat=True) if searching else matching.values_list(*ROW_VALUES)
    paginator = Paginator(listed, PER_PAGE)
    if total is not None:
        paginator.count = total  # added up by the facet counts: no COUNT(*) over the lots
    page = page_of(paginator, read.page)
    key = repr((state, "page", sorting.chosen, page.number))
    if searching:

        def page_ids() -> list[int]:
            if not by_one_statement:
                return list(page.object_list)
            offset = page.start_index() - 1 if paginator.count else 0
            if offset not in read_with_total:
                read_page(offset)
            return read_with_total[offset]

        ids = cached_on_version(token, key, page_ids)

        def page_lots() -> list:
            found = {lot.pk: lot for lot in lots_of_rows(_LOT_ROWS.rows(ids))}
            return _with_row_images([found[pk] for pk in ids if pk in found])
    else:

        def page_lots() -> list:
            return _with_row_images(lots_of_rows(page.object_list))

    # The page's rows as markup, under the same token: a repeated page reads no lot at all.
    rows = cached_on_version(token, repr((key, "rows")), lambda: _rows(page_lots()))
    query = clean_query(read.params)
    context = {
        "filterset": filterset,
        "filter_form": filterset.form,
        "page": page,
        "rows": rows,
        "facets": facets,
        "facets_later": facets_later_of(request, query, page.number, facets) if later else None,
        "query": query,
        "errors": _errors(read, filterset, sorting),
        "notes": read.notes,
        "list_url": request.path,
        "sort": sorting.chosen,
        "filter_summary": summarise(
            query, filterset.active_filters(), facets, SUMMARY_LABELS, _summary_words
        ),
        "sort_choices": sorting.sort_choices(),
    }
    return render_list(request, "auctions/lot_list.html", context, params=read.params)


@require_safe
def lot_facets(request: HttpRequest) -> HttpResponse:
    """The lot list's facet panel for the same query string (the `facets` partial the list renders),
    counted and cached exactly as the list counts and caches it: what fills the placeholder of a
    search shown before its counts (coinstack.listing.facets_later). Unreadable filters are left
    out, as the list leaves them out, and named under the panel."""
    private = can_see_private(request)
    read = read_list_request(request.GET)
    filterset = LotFilter(read.params, queryset=AuctionLot.objects.all(), request=request, private=private)
    token = DataVersion.current(DataVersion.MARKET)
    facets, _ = cached_on_version(token, _state(filterset, private), lambda: _facets(filterset, private))
    context = {"facets": facets, "facet_errors": _filter_errors(filterset)}
    return render(request, "auctions/lot_list.html#facets", context)


# The lot page's queries, compiled once (coinstack.prepared): the lot with its house, sale and coin
# (for a visitor, not the owner's purchases), its images and its references.
_PAGE_LOT = {
    private: Prepared(
        lambda pk, private=private: (
            AuctionLot.objects.visible(private)
            .select_related("house", "sale", "sale__house", "coin", "coin__issuer", "coin__denomination")
            .filter(pk=pk)
        )
    )
    for private in (True, False)
}
_LOT_IMAGES = Prepared(lambda pk: LotImage.objects.filter(lot_id=pk).order_by("position", "id"))
_LOT_REFERENCES = Prepared(lambda pk: LotReference.objects.filter(lot_id=pk).order_by("position", "id"))


@require_safe
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _PAGE_LOT[can_see_private(request)].first(pk)
    if lot is None:
        raise Http404("No lot with that number.")
    images = _LOT_IMAGES.all(lot.pk)
    prefetched(lot, "images", images)
    prefetched(lot, "references", _LOT_REFERENCES.all(lot.pk))
    return render(request, "auctions/lot_detail.html", {"lot": lot, "images": images})
