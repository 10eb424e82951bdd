"""The coin-listing engine that the coin list, an issuer's and a mint's pages share.

A request goes down once: the view asks `build_listing` for the validated filters and the ordered
queryset (catalog.filters), then `render_listing` fetches one page, the facet counts (a few GROUP BY
queries, never one per choice, cached under the collection's data version) and renders. Every page
runs a fixed number of queries whatever the number of rows (pinned in tests): a page's coins are read
with their vocabularies and primary images by one query (`_shown_coins`), and the facet panel's
vocabulary names by one more (`vocabulary_names`).
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.safestring import SafeString

from catalog.cards import coin_cards_markup, coin_rows_markup
from catalog.choices import Category, GradeService, GradingState, Metal
from catalog.filter_summary import coin_filter_summary
from catalog.filters import FACETS, CoinFilter, ListOptionsForm
from catalog.forms import GRADE_CHOICES
from catalog.models import Coin, CoinImage, Series
from catalog.search_index import (
    fts5_search_alone,
    postgres_ranked_page,
    postgres_search_total,
    ranked_page_ids,
    search_total,
)
from coinstack.dataversion import DataVersion, cached_on_version
from coinstack.listing import (
    FacetsLater,
    clean_query,
    facets_later,
    facets_later_of,
    page_of,
    read_list_request,
    render_list,
)
from coinstack.prepared import PreparedValues
from coinstack.privacy import can_see_private
from coinstack.rows import built, in_model_order, take
from coinstack.sqlite_from import reading_index
from vocab.models import Denomination, Issuer, Mint

DEFAULT_PER_PAGE = 48
# Facet lists longer than this show their biggest choices (and every selected one).
FACET_LIMIT = 40
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
    # The query string as read (a too long search shortened), the page asked for, and what reading
    # them had to say: notes (a shortened search) and errors (an unreadable page number).
    params: QueryDict | None = None
    page_number: int = 1
    notes: list[str] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)
    # The page's coins as cards or table rows (markup; see paginate).
    shown: str = ""
    # Set when the page leaves its facet counts to the facets endpoint (paginate_cached): `facets`
    # then holds the chosen options alone, for the "active filters" line.
    facets_later: FacetsLater | None = None
    # Which coins the list starts from, for the cache keys (listing_state): "" for the whole
    # collection, else the SQL of the narrower base (an issuer's or a mint's coins).
    scope: str = ""
    # (offset, ids) of the page a PostgreSQL search read with its total (_total_alone), for
    # _page_ids to use rather than read the matches again.
    ranked_page: tuple[int, list[int]] | None = None

    @property
    def errors(self) -> list[str]:
        return self.input_errors + self._named(
            list(self.filterset.errors.items()) + list(self.options.errors.items())
        )

    @property
    def filter_errors(self) -> list[str]:
        """The filters left out (not the page number, order or view): what the facet counts lack."""
        return self._named(list(self.filterset.errors.items()))

    def _named(self, errors: list[tuple[str, list[str]]]) -> list[str]:
        messages = []
        for name, field_errors in errors:
            label = self.filterset.form.fields[name].label if name in self.filterset.form.fields else name
            messages.extend(f"{label or name}: {error}" for error in field_errors)
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
    read = read_list_request(request.GET if data is None else data)
    data = read.params
    # The whole collection's scope is named without compiling its query: SQL for the coin table's
    # sixty columns, compiled anew on every list request only to name the cache key, was 2 % of the
    # server's CPU under the load test.
    scope = "" if base is None else str(base.query)
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
        params=data,
        page_number=read.page,
        notes=read.notes,
        input_errors=read.errors,
        scope=scope,
    )


def _is_ranked(queryset: QuerySet) -> bool:
    """Whether the search annotated a relevance rank (it does not when q has no words)."""
    return "search_rank" in queryset.query.extra_select or "search_rank" in queryset.query.annotations


# What a card (coin_cards.jinja) and a table row (coin_rows.jinja) read of a coin, its issuer, its
# denomination and its primary image. A field read but not listed here is missing from the page's
# objects and costs a query per coin (the query-count pins catch it).
CARD_FIELDS = in_model_order(
    Coin,
    "id",
    "inventory_number",
    "category",
    "metal",
    "grade",
    "year_start",
    "year_end",
    "is_circa",
    "date_text",
    "weight_g",
    "acquisition_price",
    "acquisition_currency",
)
CARD_ISSUER_FIELDS = in_model_order(Issuer, "id", "name", "reign_start", "reign_end")
CARD_DENOMINATION_FIELDS = in_model_order(Denomination, "id", "name")
CARD_IMAGE_FIELDS = in_model_order(
    CoinImage, "id", "image", "thumbnail", "source_url", "kind", "is_primary", "position"
)


# A page's coins as values (the query compiled once per number of ids: coinstack.prepared).
_CARD_ROWS = PreparedValues(
    lambda ids: (
        Coin.objects.filter(pk__in=ids)
        .annotate(primary_image=FilteredRelation("images", condition=Q(images__is_primary=True)))
        .order_by()
        .values_list(
            *CARD_FIELDS,
            *(f"issuer__{name}" for name in CARD_ISSUER_FIELDS),
            *(f"denomination__{name}" for name in CARD_DENOMINATION_FIELDS),
            *(f"primary_image__{name}" for name in CARD_IMAGE_FIELDS),
        )
    )
)


def _shown_coins(ids: list[int]) -> list[Coin]:
    """The coins of `ids` in their order, with what a card or a table row shows: issuer and
    denomination, and each coin's primary image in `primary_images` (as
    CoinQuerySet.with_primary_image gives it), all read by one query.

    The rows come as values (the primary image by a LEFT JOIN: a coin has at most one, constraint
    coinimage_one_primary) and become instances as coinstack.rows builds them: select_related's and
    prefetch's machinery, and a second query for the images, cost 4 of the 9 ms that reading a
    page's 48 coins took on PostgreSQL right after a write (2 of 4 on SQLite)."""
    rows = _CARD_ROWS.rows(ids)
    found: dict[int, Coin] = {}
    # A page's coins share a few denominations and often an issuer: each is built once, and the
    # cards only read them.
    issuers: dict[int, Issuer] = {}
    denominations: dict[int, Denomination] = {}
    for row in rows:
        values = iter(row)
        coin = Coin.from_db(DEFAULT_DB_ALIAS, CARD_FIELDS, take(values, CARD_FIELDS))
        # Setting a foreign key's object sets its id too, and caches it as select_related would.
        coin.issuer = built(issuers, Issuer, CARD_ISSUER_FIELDS, take(values, CARD_ISSUER_FIELDS))
        coin.denomination = built(
            denominations, Denomination, CARD_DENOMINATION_FIELDS, take(values, CARD_DENOMINATION_FIELDS)
        )
        primary = built({}, CoinImage, CARD_IMAGE_FIELDS, take(values, CARD_IMAGE_FIELDS))
        if primary is not None:
            primary.coin_id = coin.pk
        coin.primary_images = [primary] if primary is not None else []
        found[coin.pk] = coin
    return [found[pk] for pk in ids if pk in found]


def paginate(
    listing: CoinListing,
    page_number: int,
    count: int | None = None,
    *,
    token: str | None = None,
    state: str = "",
    private: bool = False,
) -> None:
    """Fetch one page of coins: first the page's ids, then those coins with vocabularies joined and
    their primary images (_shown_coins).

    The ids query carries the list's filters, order and OFFSET but reads no more than the ordering
    index (a deferred join): a deep page skips tens of thousands of index entries, never rows joined
    to their vocabularies. `count`, when known (added up by the facet counts), spares the paginator
    its COUNT(*) query. With a data-version `token`, the page's ids (for this `state`, order and
    page size) are cached under it: a repeated page neither ranks every match of a search nor walks
    its OFFSET again; nor are its coins read and rendered again (`listing.shown`, the page's cards or
    table rows as markup, `private` when the owner's columns show).
    """
    paginator = Paginator(listing.queryset.values_list("pk", flat=True), listing.per_page)
    if count is not None:
        paginator.count = count  # a cached_property: setting it is what computing it would do
    page = page_of(paginator, page_number)
    listing.page = page
    key = repr((state, "page", listing.sort, listing.per_page, page.number))
    ids = cached_on_version(token, key, lambda: _page_ids(listing, page, private))
    page.object_list = ids
    # The page's cards (or table rows) as markup, under the same token: a repeated page reads no
    # coin at all. Their links carry the list's query and positions; the table shows the owner's
    # columns to the owner: both are in the key.
    shown_key = repr((key, "shown", listing.view, listing.query, private))
    listing.shown = cached_on_version(token, shown_key, lambda: _rendered_page(listing, ids, private))


def _page_ids(listing: CoinListing, page: Page, private: bool) -> list[int]:
    """The page's coin ids: for a search alone in relevance order, from the search index first (on
    SQLite catalog.search_index.ranked_page_ids, on PostgreSQL postgres_ranked_page, or the page
    it read with the total), else from the list's query."""
    if not listing.sort and _is_ranked(listing.queryset):
        offset = page.start_index() - 1 if page.paginator.count else 0
        match = fts5_search_alone(listing.filterset, private)
        if match is not None:
            ids = ranked_page_ids(match, offset, listing.per_page)
            if ids is not None:
                return ids
        elif listing.ranked_page is not None and listing.ranked_page[0] == offset:
            return listing.ranked_page[1]
        else:
            read = postgres_ranked_page(listing.filterset, private, offset, listing.per_page)
            if read is not None:
                return read[1]
    walked = _walked_page_ids(listing, page)
    return list(page.object_list) if walked is None else walked


# The held coins in inventory order (catalog 0017), walked for a filtered list's page in that order.
HELD_INVENTORY_INDEX = "coin_held_inventory_idx"
# How many held coins a page's walk reads at most, and how many coins a filter must let through for
# the walk to be tried: fewer are found by the filter's own index and sorted as cheaply.
WALK_WINDOW = 4000
WALK_FROM_COUNT = 2000


def _walked_page_ids(listing: CoinListing, page: Page) -> list[int] | None:
    """On SQLite, the ids of a filtered list's page in inventory order, read from the first
    WALK_WINDOW held coins in that order; None when this way does not apply or cannot tell (the
    caller then runs the list's own query).

    Without statistics SQLite reads the coins a filter lets through by that filter's index and sorts
    them all for the page: a denomination's 20,000 coins, or every silver coin for "silver, VF or
    better" (19-45 ms at 100,000 coins right after a write). When a filter lets many coins through
    (its count is known before the page is read), the page's coins are among the first held coins
    in inventory order: their ids come from coin_held_inventory_idx alone, and only those coins are
    tested (0.1-0.2 ms). Exact: the window is the start of the list's order, so the matches in it
    are the list's first ones; when it holds fewer than the page needs, None, unless those are the
    list's last ones (the count says so).
    """
    count = page.paginator.count
    offset = page.start_index() - 1 if count else 0
    wanted = offset + listing.per_page
    if (
        connection.vendor != "sqlite"
        or listing.sort
        or _is_ranked(listing.queryset)
        or listing.filterset.base_is_narrowed()
        or not listing.filterset.held_only  # disposed coins listed too: not the window's order
        or not listing.filterset.active_filters()
        or count < WALK_FROM_COUNT
        or wanted > WALK_WINDOW // 2
    ):
        return None
    window = reading_index(Coin.objects.held().order_by("inventory_sort", "id"), HELD_INVENTORY_INDEX).values(
        "pk"
    )[:WALK_WINDOW]
    # NOT INDEXED: the window's coins are read by primary key, not the whole filter by its index.
    in_window = reading_index(listing.queryset.filter(pk__in=window), None)
    ids = list(in_window.values_list("pk", flat=True)[offset:wanted])
    if len(ids) == listing.per_page or len(ids) == count - offset:
        return ids
    return None


def _rendered_page(listing: CoinListing, ids: list[int], private: bool) -> SafeString:
    """The page's coins, read with what a card or row shows, rendered as cards or table rows."""
    coins = _shown_coins(ids)
    start = listing.page.start_index() - 1
    if listing.view == "table":
        return coin_rows_markup(coins, listing.query, start, show_private=private)
    return coin_cards_markup(coins, listing.query, start)


def compute_facets(listing: CoinListing) -> None:
    """Facet choices with their counts, for the filter panel.

    Counting is CoinFilter.facet_counts (a few GROUP BYs, see FacetMixin); then one query fetches the
    names of the vocabulary facets' choices shown (the biggest FACET_LIMIT and any chosen).
    """
    listing.facets = facets_and_total(listing)[0]


def vocabulary_names(wanted: dict[str, set[int]]) -> dict[str, dict[int, str]]:
    """{facet: {id: name}} of the vocabulary terms `wanted` per facet (issuer, mint, denomination),
    read by one query (a UNION ALL of the three tables) where a query per facet was three round
    trips. The SQL is written from the models' metadata: the ORM's union of three querysets cost
    more to build and compile (2.5 ms on SQLite, 3.9 on PostgreSQL, cold list pages) than the
    database takes to answer it."""
    names: dict[str, dict[int, str]] = {name: {} for name in wanted}
    facets = [(name, sorted(ids)) for name, ids in wanted.items() if ids]
    if not facets:
        return names
    quote = connection.ops.quote_name
    parts = []
    for position, (name, ids) in enumerate(facets):
        meta = VOCAB_MODELS[name]._meta
        key, label = quote(meta.pk.column), quote(meta.get_field("name").column)
        placeholders = ", ".join(["%s"] * len(ids))
        # Names and the facet's position from the models and this loop; the ids travel as parameters.
        table = quote(meta.db_table)
        parts.append(f"SELECT {position}, {key}, {label} FROM {table} WHERE {key} IN ({placeholders})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [pk for _name, ids in facets for pk in ids])
        for position, pk, label in cursor.fetchall():
            names[facets[position][0]][pk] = label
    return names


def facets_and_total(listing: CoinListing) -> tuple[list[dict], int | None]:
    """The facet panel and, when the counting queries gave it, the number of coins listed."""
    names = [name for name in FACETS if name not in listing.hidden_facets]
    counts = listing.filterset.facet_counts(names)
    active = listing.filterset.active_filters()
    selected = {name: {str(value) for value in active.get(name, [])} for name in names}  # chosen values
    # The vocabulary choices shown: the biggest FACET_LIMIT of each facet and any chosen.
    shown = {
        name: {value for value, _ in sorted(counts[name].items(), key=lambda item: -item[1])[:FACET_LIMIT]}
        | {int(value) for value in selected[name]}
        for name in names
        if name in VOCAB_MODELS
    }
    vocabulary = vocabulary_names(shown)
    facets = []
    for name in names:
        chosen = selected[name]
        facet_counts = counts[name]
        if name in VOCAB_MODELS:
            labels = vocabulary[name]
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


def chosen_facets(listing: CoinListing) -> list[dict]:
    """The panel's facets with only their chosen options, named as facets_and_total names them,
    without counting anything: what a page whose counts come later shows of them. One query for the
    vocabulary facets' choices (none for a plain search)."""
    active = listing.filterset.active_filters()
    vocabulary = vocabulary_names(
        {
            name: {int(value) for value in active.get(name, [])}
            for name in VOCAB_MODELS
            if name not in listing.hidden_facets
        }
    )
    facets = []
    for name in FACETS:
        if name in listing.hidden_facets:
            continue
        chosen = [str(value) for value in active.get(name, [])]
        if not chosen:
            options = []
        elif name in VOCAB_MODELS:
            labels = vocabulary[name]
            options = [
                {"value": str(pk), "label": label} for pk, label in sorted(labels.items(), key=lambda i: i[1])
            ]
        else:
            options = [
                {"value": value, "label": label}
                for value, label in CHOICE_LABELS[name].items()
                if value in chosen
            ]
        for option in options:
            option.update(count=None, checked=True)
        facets.append({"name": name, "label": FACET_LABELS[name], "options": options, "more": 0})
    return facets


def listing_state(listing: CoinListing, private: bool) -> str:
    """What the facet panel and the count depend on, besides the data: the base queryset (an
    issuer's page lists that issuer's coins), the valid filters, private access, hidden facets."""
    active = sorted(listing.filterset.active_filters().items())
    return repr(("coin-facets", private, listing.hidden_facets, listing.scope, active))


def paginate_cached(request: HttpRequest, listing: CoinListing) -> str | None:
    """Facets, count and the page's coin ids from the cache of the collection's data version
    (computed on a miss), then the page's coins; returns the version's token. Any write to the
    collection's tables changes the version (database triggers, catalog 0006), so nothing cached
    is ever stale."""
    token = DataVersion.current(DataVersion.COLLECTION)  # before any query that fills the cache
    private = can_see_private(request)
    state = listing_state(listing, private)
    later = facets_later(request, token, state, counted=listing.filterset.counts_wait())
    if later:
        # Right after a write, a search or a filter the kept counts do not serve: its coins first,
        # the facet counts in a second request (catalog.views.coin_facets); the total still comes
        # first (_total_alone).
        listing.facets = chosen_facets(listing)
        total = cached_on_version(token, repr((state, "total")), lambda: _total_alone(listing, private))
    else:
        listing.facets, total = cached_on_version(token, state, lambda: facets_and_total(listing))
    paginate(listing, listing.page_number, count=total, token=token, state=state, private=private)
    if later:
        listing.facets_later = facets_later_of(request, listing.query, listing.page.number, listing.facets)
    return token


def _total_alone(listing: CoinListing, private: bool) -> int:
    """The number of coins listed, without the facet counts that otherwise give it: for a search
    alone from the search index (catalog.search_index: SQLite's FTS5 table, PostgreSQL's
    catalog_coin_search), otherwise a COUNT."""
    match = fts5_search_alone(listing.filterset, private)
    if match is not None:
        return search_total(match)
    if not listing.sort and _is_ranked(listing.queryset):
        # In relevance order PostgreSQL reads the page asked for with the total, from one reading
        # of the matches; _page_ids uses it unless the page shown is another (one past the end).
        offset = (listing.page_number - 1) * listing.per_page
        read = postgres_ranked_page(listing.filterset, private, offset, listing.per_page)
        if read is not None:
            total, ids = read
            listing.ranked_page = (offset, ids)
            return total
    total = postgres_search_total(listing.filterset, private)
    if total is not None:
        return total
    # The rows the facet counts would group (FacetMixin.counted_rows): on SQLite read from
    # coin_facets_idx alone when every filter is one it holds (a metal and a grade: 47 -> 10 ms at
    # 100,000 coins, where SQLite read every silver coin's row through the metal's index).
    return listing.filterset.counted_rows(None).count()


def cached_facets(request: HttpRequest, listing: CoinListing) -> None:
    """The listing's facet panel as paginate_cached gives it (cached under the same key): what the
    facets endpoint of a coin list answers."""
    token = DataVersion.current(DataVersion.COLLECTION)
    state = listing_state(listing, can_see_private(request))
    listing.facets, _ = cached_on_version(token, state, lambda: facets_and_total(listing))


def render_facets(request: HttpRequest, listing: CoinListing) -> HttpResponse:
    """A coin list's facets endpoint: its facet panel (the list's own `facets` partial), with the
    filters of the query string that could not be read (and were left out) named under it."""
    cached_facets(request, listing)
    context = {"listing": listing, "facet_errors": listing.filter_errors}
    return render(request, "catalog/coin_list.html#facets", context)


def _series_choices() -> list[tuple[str, str]]:
    return list(Series.objects.order_by("name").values_list("slug", "name"))


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

    `cached`: facet counts, the total, the page's ids and its rendered coins come from the
    data-version cache (paginate_cached).
    """
    token = None
    if cached:
        token = paginate_cached(request, listing)
    else:
        paginate(listing, listing.page_number, private=can_see_private(request))
        compute_facets(listing)
    # The series filter's choices, cached with the page's figures (a series' writes change the
    # collection's version too): a query less on every list page.
    series_choices = cached_on_version(token, "series-choices", _series_choices)
    context = {
        **(context or {}),
        "listing": listing,
        "filter_form": listing.filterset.form,
        "list_url": request.path,
        "series_choices": series_choices,
        "filter_summary": coin_filter_summary(listing, series_choices),
        "grade_words": [word for word, _ in GRADE_CHOICES if word],
    }
    return render_list(
        request, template, context, partial="catalog/coin_list.html#results", params=listing.params
    )
