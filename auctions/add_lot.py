"""Staff page "Add an auction lot": a lot from its page as the user has it, without fetching anything.

Step 1 (`read`): a URL and the page, pasted or uploaded (.html, .htm, .txt or a browser's .mhtml). The
URL's house parser reads it, as `scrape --from-file` does: structured markup where the page has it,
else the page reader (numismatics/lotpage.py). Nothing is stored.
Step 2 (`save`): every field read, marked found or missing, each correctable; confirming stores the
lot through the same store as scraping (auctions/scraping/store.py): one lot per URL, an existing lot
is updated, and a lot linked to another coin moves only when the user ticks the box saying so.
Fetching a page for the user is the admin's "Scrape a lot by URL"; this page links to it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from numismatics.description import parse_description

from .add_lot_forms import LotForm, PageForm, max_page_bytes
from .models import AuctionLot
from .scraping.errors import LinkedToAnotherCoin
from .scraping.houses import UnknownHouse, recognise
from .scraping.houses.base import build_lot
from .scraping.store import store_lot
from .scraping.types import ParsedLot, ParseError

# (field, label) pairs the preview marks found or missing, in the order a lot page prints them.
READ_FIELDS = (
    ("house_name", "House"),
    ("sale_name", "Sale"),
    ("sale_number", "Sale number"),
    ("sale_date", "Sale date"),
    ("lot_number", "Lot number"),
    ("title", "Title"),
    ("description", "Description"),
    ("estimate_low", "Estimate"),
    ("estimate_high", "Estimate, upper end"),
    ("starting_price", "Starting price"),
    ("hammer_price", "Hammer / price realized"),
    ("currency", "Currency"),
    ("buyers_premium_pct", "Buyer's premium"),
    ("premium_note", "Buyer's premium remark"),
    ("status", "Status"),
)
TEMPLATE = "auctions/add_lot.html"


def _initial(parsed: ParsedLot) -> dict:
    fields = {name: getattr(parsed, name) for name, _ in READ_FIELDS if name != "premium_note"}
    fields |= {
        "url": parsed.url,
        "platform": parsed.platform,
        "image_urls": "\n".join(parsed.image_urls),
        "description_html": parsed.description_html[:200_000],
    }
    return fields


def _marks(parsed: ParsedLot) -> list[dict]:
    """One line per field: what was read, or that it was not found."""
    marks = []
    for name, label in READ_FIELDS:
        value = getattr(parsed, name)
        found = value not in (None, "") and not (name == "house_name" and value.startswith("Unknown"))
        found = found and not (name == "status" and value == "unknown")
        marks.append({"name": name, "label": label, "value": value, "found": found})
    return marks


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("max_mb", max_page_bytes() // (1024 * 1024))
    return render(request, TEMPLATE, context, status=status)


# Reading a page writes nothing, so the request is not wrapped in a transaction; saving runs the
# store's own atomic block.
@transaction.non_atomic_requests
@login_required
@permission_required(["auctions.add_auctionlot", "auctions.change_auctionlot"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def add_lot(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {"coin": request.GET.get("coin", "")[:60], "role": request.GET.get("role", "")[:20]}
        return _page(request, {"page_form": PageForm(initial=initial)})
    if request.POST.get("step") == "save":
        return _save(request)
    return _read(request)


def _read(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"page_form": form}, status=400)
    url = form.cleaned_data["url"]
    try:
        parser = recognise(url)
        if parser.is_listing(url):
            raise ParseError(
                f"{url}: this is a sale listing, not one lot; give the URL of the lot's own page."
            )
        parsed = parser.parse_lot(form.content(), url)
    except (UnknownHouse, ParseError) as exc:
        form.add_error(None, str(exc))
        return _page(request, {"page_form": form}, status=400)
    coin, role = form.cleaned_data.get("coin"), form.cleaned_data.get("role")
    initial = _initial(parsed) | {"coin": form.data.get("coin", "") if coin else "", "role": role or ""}
    return _page(
        request,
        {
            "lot_form": LotForm(initial=initial),
            "marks": _marks(parsed),
            "described": parse_description(parsed.description).as_json(),
            "existing": AuctionLot.objects.filter(url=parsed.url).select_related("coin").first(),
        },
    )


def _save(request: HttpRequest) -> HttpResponse:
    form = LotForm(request.POST)
    if not form.is_valid():
        return _page(request, {"lot_form": form}, status=400)
    data = form.cleaned_data
    try:
        parsed = build_lot(
            url=data["url"],
            platform=data["platform"],
            house_name=data["house_name"],
            description=data["description"],
            title=data["title"],
            description_html=data["description_html"],
            lot_number=data["lot_number"],
            sale_name=data["sale_name"],
            sale_number=data["sale_number"],
            sale_date=data["sale_date"],
            estimate=(data["estimate_low"], data["estimate_high"], data["currency"]),
            starting=(data["starting_price"], data["currency"]),
            hammer=(data["hammer_price"], data["currency"]),
            currency=data["currency"],
            buyers_premium_pct=data["buyers_premium_pct"],
            status=data["status"],
            image_urls=form.image_url_list(),
        )
    except (ParseError, ValueError) as exc:
        form.add_error(None, str(exc))
        return _page(request, {"lot_form": form}, status=400)
    # build_lot files a listed house under its one name, as scraping does: a corrected "Classical
    # Numismatic Group, LLC" is the same house as "CNG".
    # The form refused a move the user did not tick; the store checks again under its row lock.
    try:
        result = store_lot(
            parsed,
            coin=data["coin"],
            role=data["role"] or None,
            download_images=False,
            relink=bool(data.get("move_link")),
        )
    except LinkedToAnotherCoin as exc:
        form.add_error("move_link", str(exc))
        return _page(request, {"lot_form": form}, status=400)
    except (ValidationError, DatabaseError) as exc:
        form.add_error(None, f"The lot could not be saved: {exc}")
        return _page(request, {"lot_form": form}, status=400)
    return _page(request, {"result": result, "coin": data["coin"]})
