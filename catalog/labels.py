"""Tray labels: `/coins/labels/?<the coin list's filters>&paper=a4|letter` lays out one label per
coin (inventory number, issuer, denomination, date, first reference, storage) on a sheet of the
chosen paper, for the browser's print dialog.

The coins are those of the coin list for the same query string (catalog.listing), in its order; the
page runs the same queries whatever the number of coins (the coins with their vocabularies, then
their references), and lays out at most MAX_LABELS, saying so when there are more.
"""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalog.listing import LIST_COLUMNS_DEFERRED, build_listing
from catalog.models import Reference

# Ten sheets of 24 labels and more: a tray's worth many times over; a larger run is a narrower filter.
MAX_LABELS = 480
PAPERS = {"a4": "A4 (210 × 297 mm)", "letter": "Letter (8.5 × 11 in)"}
DEFAULT_PAPER = "a4"


@require_safe
def coin_labels(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request)
    errors = list(listing.errors)
    paper = request.GET.get("paper") or DEFAULT_PAPER
    if paper not in PAPERS:
        errors.append(f'Paper: "{paper[:20]}" is not a paper size we lay out; A4 is used.')
        paper = DEFAULT_PAPER
    references = Prefetch(
        "references", queryset=Reference.objects.order_by("position", "id"), to_attr="ordered_references"
    )
    coins = list(
        listing.queryset.with_vocab()
        .defer(*LIST_COLUMNS_DEFERRED)
        .prefetch_related(references)[: MAX_LABELS + 1]
    )
    # The filters carried by the paper choice form (every parameter but the paper itself).
    query = QueryDict(listing.query, mutable=True)
    query.pop("paper", None)
    context = {
        "coins": coins[:MAX_LABELS],
        "cut": len(coins) > MAX_LABELS,
        "max_labels": MAX_LABELS,
        "paper": paper,
        "papers": PAPERS,
        "filters": [(key, value) for key, values in query.lists() for value in values],
        "list_query": query.urlencode(),
        "errors": errors,
        "notes": listing.notes,
    }
    return render(request, "catalog/labels.html", context)
