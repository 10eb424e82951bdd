"""What every filtered list page shares: one URL per state, a page number and a search read safely,
and the HTMX answer (the results partial) or the whole page.

The coin list, an issuer's or a mint's coins and the auction lots follow one pattern: a GET form of
filters, results in a named partial "<template>#results", HTMX requests served the partial (with the
facet counts swapped out-of-band) and a pushed URL, everything else (history-restore requests
included) the whole page, so every pushed URL renders the same state on reload or with JavaScript off.

A list whose facet counts must be counted and are not cached yet (a text search, or a list
filtered beyond what its kept counts serve, on the first visit after a write) is answered without
them (`facets_later`): its results, pager and total come first, and the panel is a
placeholder that htmx fills from the list's facets endpoint (`<list>/facets/?<same query>`), which
counts and caches them under the same key, so the next page of that list shows them at once.
Without JavaScript the placeholder's link asks for the same page with the counts
(`INLINE_FACETS_PARAM`).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from coinstack.dataversion import is_cached_on_version
from coinstack.querystring import INTEGER_MAX, read_whole_number
from coinstack.search import bound_search

# Parameters that do not describe the list's content: dropped from `from=` and export links.
NON_FILTER_PARAMS = ("page",)
# `?counts=1`: the page with its facet counts, even when counting them makes it slow (the link a
# browser without JavaScript follows from the counts' placeholder). Not part of any list's state:
# no filter reads it and clean_query always drops it, so no pushed, bookmarked or linked URL keeps it.
INLINE_FACETS_PARAM = "counts"
# Values that say the same as their absence: dropped so one state has one URL.
DEFAULT_VALUES = {("view", "grid"), ("page", "1")}


def clean_query(params: QueryDict, drop: tuple[str, ...] = NON_FILTER_PARAMS) -> str:
    """The query string without empty or default values (a GET form sends every field) nor `drop`."""
    pairs = [
        (key, value)
        for key, values in params.lists()
        if key not in drop and key != INLINE_FACETS_PARAM
        for value in values
        if value != "" and (key, value) not in DEFAULT_VALUES
    ]
    return urlencode(pairs)


@dataclass
class ListRequest:
    """A list page's query string made safe before any work: the search boxes (`search_params`)
    cut to what is searched, and the page number read as a number. `params` is what the page works
    from and links to (a shortened search is the one its links carry on); `notes` and `errors` say
    what was shortened or left out."""

    params: QueryDict
    page: int = 1
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_list_request(params: QueryDict, search_params: tuple[str, ...] = ("q",)) -> ListRequest:
    request = ListRequest(params)
    for name in search_params:
        if name not in params:
            continue
        search = bound_search(params.get(name))
        if search.shortened:
            request.params = request.params.copy()
            request.params.setlist(name, [search.text])
            request.notes.append(search.note)
    raw_page = params.get("page")
    if raw_page not in (None, ""):
        try:
            request.page = read_whole_number(raw_page, minimum=1, maximum=INTEGER_MAX, what="a page number")
        except ValidationError as error:
            request.errors.append(f"Page: {error.messages[0]} The first page is shown.")
    return request


def facets_later(request: HttpRequest, token: str | None, state: str, *, counted: bool) -> bool:
    """Whether a list page leaves its facet counts to a second request (the list's facets endpoint):
    when they must be `counted` (a GROUP BY over the matching rows, which no kept count answers) and
    are not cached (`state`, the key they are cached under with `token`), unless the request asks
    for them (INLINE_FACETS_PARAM). A text search counts every match (38,000 lots of 200,000 for
    "denarius": 28 ms; 16,000 coins for "CAES": 37 ms); a coin list filtered by a denomination, a
    holder or a grade groups every coin it lets through (50-170 ms at 100,000 coins)."""
    if not counted or request.GET.get(INLINE_FACETS_PARAM):
        return False
    return not is_cached_on_version(token, state)


@dataclass
class FacetsLater:
    """A facet panel left to the facets endpoint (templates/includes/facets_later.html): `url` asks
    that endpoint, `inline_url` the same page with its counts (no JavaScript), `chosen` the panel's
    facets with only their chosen options (no counts): the form keeps them meanwhile and the
    "active filters" line names them."""

    url: str
    inline_url: str
    chosen: list[dict]


def facets_later_of(request: HttpRequest, query: str, page: int, chosen: list[dict]) -> FacetsLater:
    """The placeholder of a list at `request.path` showing page `page` of `query` (clean_query's);
    its facets endpoint is `<list path>facets/`."""
    return FacetsLater(
        url=f"{request.path}facets/" + (f"?{query}" if query else ""),
        inline_url=f"{request.path}?{inline_facets_query(query, page)}",
        chosen=chosen,
    )


def inline_facets_query(query: str, page: int) -> str:
    """The query string of the page shown (`query` from clean_query, `page` its number) asking for
    its facet counts in the page: the placeholder's link for a browser without JavaScript."""
    pairs = [(INLINE_FACETS_PARAM, "1")]
    if page > 1:
        pairs.insert(0, ("page", str(page)))
    return "&".join(part for part in (query, urlencode(pairs)) if part)


def page_of(paginator: Paginator, number: int) -> Page:
    """The page asked for (a number read by read_list_request); one past the end gives the last."""
    return paginator.get_page(min(number, paginator.num_pages))


def render_list(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    partial: str | None = None,
    params: QueryDict | None = None,
) -> HttpResponse:
    """The whole page, or for an HTMX request the results partial (`partial`, by default the
    template's own "#results") with the URL to push: that of `params` (the query string as the page
    read it, a shortened search shortened) or of the request."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, partial or f"{template}#results", {**context, "oob": True})
        query = clean_query(request.GET if params is None else params, drop=())
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
