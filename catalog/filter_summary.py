"""The coin list's "active filters" line (coinstack.active_filters), in the coin list's words."""

from coinstack.active_filters import FilterSummary, summarise

# The coin filters that are not facets (facets are named by the panel), as the summary names them.
LABELS = {
    "q": "Search",
    "year_from": "Date from",
    "year_to": "Date to",
    "grade_min": "Grade from",
    "grade_max": "Grade to",
    "price_min": "Price from",
    "price_max": "Price to",
    "acquired_from": "Acquired from",
    "acquired_to": "Acquired to",
    "storage": "Storage",
    "has_images": "Images",
    "in_series": "Series",
    "disposed": "Disposed coins",  # the curation branch's filter (sold, traded, given away)
}
IMAGE_WORDS = {"true": "with images", "false": "without images"}
DISPOSED_WORDS = {"only": "only disposed", "all": "held and disposed"}


def coin_filter_summary(listing, series_choices: list[tuple[str, str]]) -> FilterSummary:
    """The listing's filters in force. `series_choices`: the page's (slug, name) pairs of the series
    filter, which name a series chosen."""

    def words(name: str, text: str) -> str | None:
        if name == "has_images":
            return IMAGE_WORDS.get(text.lower())
        if name == "disposed":
            return DISPOSED_WORDS.get(text)
        if name == "in_series":
            return dict(series_choices).get(text)
        if name == "q":
            return f"“{text}”"
        return None

    return summarise(listing.query, listing.filterset.active_filters(), listing.facets, LABELS, words)
