"""Auction lots: a filtered list (same HTMX pattern as the coin list) and a lot's page.

Lots are scraped market data: their descriptions are untrusted text, shown escaped (or, for the
HTML version, through the nh3 allow-list of the `sanitize` filter (coinstack/sanitize.py)).
"""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from catalog.models import CoinImage
from coinstack.active_filters import summarise
from coinstack.dataversion import DataVersion, cached_on_version
from coinstack.jinja2 import render_fragment
from coinstack.listing import clean_query, page_of, read_list_request, render_list
from coinstack.privacy import can_see_private

from .filters import LotFilter, LotSortForm, ordered_lots
from .models import AuctionHouse, AuctionLot, LotImage, LotReference, LotStatus

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


LIST_DEFERRED = ("description", "description_html", "references_text")


def _facets(filterset: LotFilter, private: bool) -> tuple[list[dict], int | None]:
    """The facet panel, and the number of lots listed when the counting queries gave it.

    Without private access a chosen house is named only when it has a lot this visitor may see:
    asking for `?house=<id>` must not name the house of a private purchase.
    """
    counts = filterset.facet_counts()
    active = filterset.active_filters()
    chosen_houses = {str(pk) for pk in active.get("house", [])}
    house_ids = set(counts["house"]) | {int(pk) for pk in chosen_houses}
    houses = AuctionHouse.objects.filter(id__in=house_ids)
    if not private:
        houses = houses.filter(Exists(AuctionLot.objects.public().filter(house_id=OuterRef("pk"))))
    house_names = dict(houses.values_list("id", "name")) if house_ids else {}
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
        {"name": "house", "label": "Auction house", "options": houses},
        {"name": "currency", "label": "Currency", "options": currencies},
        {"name": "status", "label": "Status", "options": statuses},
    ]
    return facets, filterset.facet_total


def _rows(lots: list) -> SafeString:
    """The list's rows (a Jinja2 fragment: coinstack/jinja2.py says why); "" for no lots."""
    return render_fragment("auctions/lot_rows.jinja", {"lots": lots}) if lots else SafeString("")


def _state(filterset: LotFilter, private: bool) -> str:
    return repr(("lot-facets", private, sorted(filterset.active_filters().items())))


def _shown(queryset: QuerySet) -> QuerySet:
    """What a row of the list shows: house and sale joined, images prefetched, no long text. The
    coin is not joined: a row links to it by the lot's coin_id alone."""
    return (
        queryset.select_related("house", "sale__house")
        .prefetch_related(Prefetch("images", queryset=LotImage.objects.order_by("position", "id")))
        .defer(*LIST_DEFERRED)
    )


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
    facets, total = cached_on_version(token, state, lambda: _facets(filterset, private))
    sorting = LotSortForm(read.params)
    searching = bool(filterset.active_filters().get("q"))
    if searching and _probe_pays(total, sorting.chosen, read.page):
        filterset.probe_search = True
        matching = ordered_lots(filterset.queryset_without(None), sorting.chosen)
    else:
        matching = ordered_lots(filterset.qs, sorting.chosen)
    # A search matches tens of thousands of lots in no useful order: sorting them with their
    # house, sale and coin joined costs twice as much as sorting their ids. So a search pages
    # through ids first and then fetches the page's lots (one more query, none per row).
    paginator = Paginator(matching.values_list("pk", flat=True) if searching else _shown(matching), PER_PAGE)
    if total is not None:
        paginator.count = total  # added up by the facet counts: no COUNT(*) over the lots
    page = page_of(paginator, read.page)
    key = repr((state, "page", sorting.chosen, page.number))
    if searching:
        ids = cached_on_version(token, key, lambda: list(page.object_list))

        def page_lots() -> list:
            found = _shown(AuctionLot.objects.all()).in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
    else:

        def page_lots() -> list:
            return list(page.object_list)

    # The page's rows as markup, under the same token: a repeated page reads no lot at all.
    rows = cached_on_version(token, repr((key, "rows")), lambda: _rows(page_lots()))
    errors = read.errors + [
        f"{filterset.form.fields[name].label or name}: {error}"
        for name, messages in filterset.errors.items()
        for error in messages
    ]
    errors += [f"Sort: {error}" for error in sorting.errors.get("sort", [])]
    context = {
        "filterset": filterset,
        "filter_form": filterset.form,
        "page": page,
        "rows": rows,
        "facets": facets,
        "query": clean_query(read.params),
        "errors": errors,
        "notes": read.notes,
        "list_url": request.path,
        "sort": sorting.chosen,
        "filter_summary": summarise(
            clean_query(read.params), filterset.active_filters(), facets, SUMMARY_LABELS, _summary_words
        ),
        "sort_choices": sorting.sort_choices(),
    }
    return render_list(request, "auctions/lot_list.html", context, params=read.params)


@require_safe
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(
        AuctionLot.objects.visible(can_see_private(request))
        .select_related("house", "sale", "sale__house", "coin", "coin__issuer", "coin__denomination")
        .prefetch_related(
            Prefetch("images", queryset=LotImage.objects.order_by("position", "id")),
            Prefetch("references", queryset=LotReference.objects.order_by("position", "id")),
            Prefetch(
                "coin__images", queryset=CoinImage.objects.filter(is_primary=True), to_attr="primary_images"
            ),
        ),
        pk=pk,
    )
    return render(request, "auctions/lot_detail.html", {"lot": lot, "images": list(lot.images.all())})
