"""What every filtered list page shares: one URL per state, a page number read safely, and the
HTMX answer (the results partial) or the whole page.

The coin list, an issuer's or a mint's coins and the auction lots follow one pattern: a GET form of
filters, results in a named partial "<template>#results", HTMX requests served the partial (with the
facet counts swapped out-of-band) and a pushed URL, everything else (history-restore requests
included) the whole page, so every pushed URL renders the same state on reload or with JavaScript off.
"""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

# Parameters that do not describe the list's content: dropped from `from=` and export links.
NON_FILTER_PARAMS = ("page",)
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


def page_of(paginator: Paginator, number: str | None) -> Page:
    """The page asked for; an unreadable number gives the first page, one past the end the last."""
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def render_list(
    request: HttpRequest, template: str, context: dict, *, partial: str | None = None
) -> HttpResponse:
    """The whole page, or for an HTMX request the results partial (`partial`, by default the
    template's own "#results") with the URL to push."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, partial or f"{template}#results", {**context, "oob": True})
        query = clean_query(request.GET, drop=())
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
