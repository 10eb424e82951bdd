"""The "active filters" line of a list page: each filter in force named in words, each a link to the
same list without it (one click removes it, with JavaScript or without).

List pages (coins, lots) say which parameters filter and how to name their values; this module
turns that into links. Nothing here queries the database: names of chosen vocabulary terms come
from the facet panel, which the page has already built.
"""

from dataclasses import dataclass

from django.http import QueryDict

# Parameters that say how a list is shown, not what it holds: kept when filters are removed.
DISPLAY_PARAMS = ("sort", "view", "per_page")


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # what is filtered: "Metal"
    value: str  # by what, in words: "Silver"
    remove_query: str  # the list's query string without this filter (and back on page 1)


@dataclass(frozen=True)
class FilterSummary:
    filters: list[ActiveFilter]
    clear_query: str  # the list without any filter, shown as it was (order, view, page size)

    def __bool__(self) -> bool:
        return bool(self.filters)


def without(query: str, name: str, value: str | None = None) -> str:
    """`query` without parameter `name` (only its `value`, for a repeated one), and without page."""
    params = QueryDict(query, mutable=True)
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [item for item in params.getlist(name) if item != value])
    return params.urlencode()


def summarise(
    query: str, active: dict, facets: list[dict], labels: dict[str, str], words=None
) -> FilterSummary:
    """The summary of a list whose valid filters are `active` (a FilterSet's active_filters()).

    `facets` (the panel's facets: name, label, options with value/label/checked) name the chosen
    choices, one link each; any other active filter is named by `labels[name]` and its value as
    typed in `query`, or by `words(name, text)` when that returns something (a series' name for
    its slug, "with images" for "true"). Filters not in `labels` nor among the facets are not shown.
    """
    params = QueryDict(query)
    facet_by_name = {facet["name"]: facet for facet in facets}
    filters = []
    for name in active:
        if name in facet_by_name:
            facet = facet_by_name[name]
            for option in facet["options"]:
                if option["checked"]:
                    filters.append(
                        ActiveFilter(facet["label"], option["label"], without(query, name, option["value"]))
                    )
            continue
        if name not in labels:
            continue
        for text in params.getlist(name):
            if text == "":
                continue
            value = (words(name, text) if words else None) or text
            filters.append(ActiveFilter(labels[name], value, without(query, name, text)))
    kept = QueryDict(mutable=True)
    for name in DISPLAY_PARAMS:
        if name in params:
            kept.setlist(name, params.getlist(name))
    return FilterSummary(filters, kept.urlencode())
