"""A rescrape never erases what was known, and says what it changed.

A thinner page (a listing's excerpt, a page that no longer names its house or sale, a description
without the weight) keeps every stored value it does not state; a value the page does state
differently is updated and named in the outcome line ("status: open → sold").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from auctions.models import AuctionLot, LotReference
from auctions.scraping.scrape import _store
from auctions.scraping.store import store_lot
from auctions.scraping.types import ParsedLot
from auctions.tests.test_scraping_store import at, run, web  # noqa: F401  (web is a fixture)

pytestmark = pytest.mark.django_db

URL = "https://www.numisbids.com/n.php?p=lot&sid=7001&lot=12"
FULL_TEXT = (
    "Augustus, 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum. "
    "Laureate head right / Gaius and Lucius standing. RIC I 207; RSC 43. Good very fine."
)


def full_page(**changes) -> ParsedLot:
    fields = {
        "url": URL,
        "house_name": "Spink",
        "platform": "numisbids",
        "lot_number": "12",
        "sale_name": "Spink Coins of the World",
        "sale_number": "24001",
        "sale_date": date(2024, 4, 10),
        "title": "Augustus AR Denarius",
        "description": FULL_TEXT,
        "description_html": f"<p>{FULL_TEXT}</p>",
        "estimate_low": Decimal(300),
        "estimate_high": Decimal(400),
        "currency": "GBP",
        "buyers_premium_pct": Decimal(25),
        "status": "open",
    }
    fields.update(changes)
    return ParsedLot(**fields)


def thin_page(**changes) -> ParsedLot:
    """The same lot as a page that states almost nothing: no house, no sale, no estimate."""
    fields = {
        "url": URL,
        "house_name": "",
        "platform": "numisbids",
        "title": "Augustus AR Denarius",
        "description": "Augustus. Denarius. Lugdunum.",
    }
    fields.update(changes)
    return ParsedLot(**fields)


@pytest.mark.parametrize("house_name", ["", "Unknown (NumisBids)"], ids=["no-house", "placeholder"])
def test_a_page_that_names_no_house_or_sale_keeps_them(house_name):
    store_lot(full_page(), download_images=False)
    result = store_lot(thin_page(house_name=house_name), download_images=False)
    lot = AuctionLot.objects.select_related("house", "sale").get()
    assert (lot.house.name, lot.sale.number, lot.sale.name) == ("Spink", "24001", "Spink Coins of the World")
    assert {"house", "sale"} <= set(result.kept)
    assert not any(change.startswith(("house", "sale")) for change in result.changes)


def test_a_thinner_page_keeps_every_value_it_does_not_state():
    store_lot(full_page(), download_images=False)
    before = AuctionLot.objects.get()
    assert before.weight_g == Decimal("3.820") and before.die_axis == 6 and before.metal == "silver"
    references = list(LotReference.objects.values_list("raw_text", flat=True))
    assert references

    result = store_lot(thin_page(), download_images=False)

    lot = AuctionLot.objects.get()
    kept_fields = [
        "estimate_low",
        "estimate_high",
        "currency",
        "buyers_premium_pct",
        "lot_number",
        "status",
        "weight_g",
        "diameter_mm",
        "die_axis",
        "metal",
        "references_text",
        "grade",
    ]
    for name in kept_fields:
        assert getattr(lot, name) == getattr(before, name), name
    assert list(LotReference.objects.values_list("raw_text", flat=True)) == references
    # What the page does state is updated, and said.
    assert lot.description == "Augustus. Denarius. Lugdunum."
    assert any(change.startswith("description: ") for change in result.changes)
    assert {"estimate_low", "weight_g", "die_axis"} <= set(result.kept)
    assert result.outcome == "updated"


def test_changed_values_are_updated_and_each_is_reported():
    store_lot(full_page(), download_images=False)
    parsed = full_page(status="sold", hammer_price=Decimal(520), estimate_high=Decimal(450))
    outcome = _store(parsed, URL, coin=None, role=None, download_images=False)
    lot = AuctionLot.objects.get()
    assert (lot.status, lot.hammer_price, lot.estimate_high) == ("sold", Decimal(520), Decimal(450))
    assert outcome.outcome == "updated"
    line = outcome.line()
    for said in ("status: open → sold", "hammer_price: none → 520", "estimate_high: 400.00 → 450"):
        assert said in line, line
    assert "Spink" in line and "lot 12" in line


def test_a_page_naming_another_house_moves_the_lot_and_says_so():
    store_lot(full_page(), download_images=False)
    result = store_lot(
        full_page(house_name="Roma Numismatics", sale_number="", sale_name=""), download_images=False
    )
    lot = AuctionLot.objects.select_related("house").get()
    assert lot.house.name == "Roma Numismatics" and lot.sale is None
    assert "house: Spink → Roma Numismatics" in result.changes
    assert any(change.startswith("sale: ") and "→ none" in change for change in result.changes)


def test_an_unsold_page_clears_only_the_hammer_price():
    store_lot(full_page(status="sold", hammer_price=Decimal(500)), download_images=False)
    result = store_lot(thin_page(status="unsold"), download_images=False)
    lot = AuctionLot.objects.get()
    assert (lot.status, lot.hammer_price, lot.estimate_low) == ("unsold", None, Decimal(300))
    assert "hammer_price: 500.00 → none" in result.changes


def test_the_scrape_command_line_says_what_changed_and_what_was_kept(web, tmp_path):  # noqa: F811
    full = f"""<html><head><title>Lot 7</title>
    <meta property="og:site_name" content="Spink">
    <meta property="og:description" content="{FULL_TEXT}"></head><body><table>
    <tr><td>Lot</td><td>7</td></tr><tr><td>Estimate</td><td>GBP 300 - 400</td></tr>
    <tr><td>Current bid</td><td>GBP 250</td></tr></table></body></html>"""
    later = f"""<html><head><title>Lot 7</title>
    <meta property="og:site_name" content="Spink">
    <meta property="og:description" content="{FULL_TEXT}"></head><body><table>
    <tr><td>Lot</td><td>7</td></tr><tr><td>Price realized</td><td>GBP 520</td></tr></table></body></html>"""
    web.expect_oneshot_request("/lot/7").respond_with_data(full, content_type="text/html")
    web.expect_request("/lot/7").respond_with_data(later, content_type="text/html")
    url = at(web, "spink.example", "/lot/7")
    first, failed = run("scrape", url, "--no-images")
    assert not failed, first
    second, failed = run("scrape", url, "--no-images")
    assert not failed, second
    line = next(line for line in second.splitlines() if line.startswith("updated"))
    assert "status: open → sold" in line and "hammer_price: none → 520" in line
    assert "kept (the page no longer states them): estimate_low, estimate_high" in line
    lot = AuctionLot.objects.get()
    assert (lot.estimate_low, lot.estimate_high, lot.hammer_price) == (
        Decimal(300),
        Decimal(400),
        Decimal(520),
    )
