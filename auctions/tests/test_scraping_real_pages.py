"""Parsers on real saved pages and real page text from ../shared (skipped when it is absent)."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from auctions.scraping.houses import recognise
from auctions.scraping.houses.biddr import BiddrParser
from auctions.scraping.houses.numisbids import NumisBidsParser
from auctions.scraping.houses.sixbid import SixbidParser
from auctions.scraping.types import ParseError


def page(shared, name: str) -> bytes:
    return (shared / "fixtures" / "auction-pages" / name).read_bytes()


# --- Biddr ----------------------------------------------------------------------------------------


def test_biddr_open_lot_page(shared):
    url = "https://www.biddr.com/auctions/thecoincabinet/browse?a=7356&l=8994006"  # old URL shape
    lot = recognise(url).parse_lot(page(shared, "biddr__thecoincabinet-a7356-l8994006.html"), url)
    assert lot.url == "https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006"  # canonical shape
    assert lot.platform == "biddr"
    assert lot.house_name == "The Coin Cabinet"  # the hosted house, never "Biddr"
    assert (lot.sale_name, lot.sale_number, lot.sale_date) == ("Auction 132", "132", date(2026, 8, 18))
    assert lot.lot_number == "1"
    assert lot.title == "ENGLAND. Elizabeth I, 1558-1603."
    assert lot.description.split("\n")[:2] == [
        "ENGLAND. Elizabeth I, 1558-1603.",
        "Silver Shilling/Threepence/Penny, 1558-1603.",
    ]
    assert "Weight: 7.68g." in lot.description.split("\n")
    assert "<br" in lot.description_html
    # "60 GBP" on the page is the current bid, not the top of the estimate.
    assert (lot.starting_price, lot.estimate_low, lot.estimate_high) == (Decimal(20), Decimal(50), None)
    assert lot.currency == "GBP"
    assert lot.hammer_price is None
    assert lot.status == "open"
    assert lot.buyers_premium_pct == Decimal("20.00")
    # "Tuesday, 18 August 2026, from 1:00 PM CEST" is 11:00 UTC.
    assert lot.closing_date == datetime.fromisoformat("2026-08-18T11:00:00+00:00")
    assert lot.image_urls == [
        "https://media.biddr.com/media/img/auction_lots/7356/8994006_1786366325.jpg",
        "https://media.biddr.com/media/img/auction_lots/7356/8994006_0_1786366325.jpg",
        "https://media.biddr.com/media/img/auction_lots/7356/8994006_1_1786366325.jpg",
    ]


def test_biddr_closed_listing_with_realized_prices_and_unsold_lots(shared):
    url = "https://www.biddr.com/cgb/auction?a=7305"
    listing = BiddrParser().parse_listing(page(shared, "biddr__cgb-a7305-p1-closed-listing.html"), url)
    assert len(listing.lots) == 100
    assert listing.next_page_url == "https://www.biddr.com/cgb/auction?a=7305&p=2"
    first = listing.lots[0]
    assert first.url == "https://www.biddr.com/cgb/auction?a=7305&l=8927339"
    assert (first.lot_number, first.hammer_price, first.currency, first.status) == (
        "576701",
        Decimal(125),
        "EUR",
        "sold",
    )
    assert first.description.startswith("Country : AFARS AND ISSAS\nFace Value : 500 Francs")
    unsold = next(lot for lot in listing.lots if lot.lot_number == "575000")
    assert (unsold.status, unsold.hammer_price) == ("unsold", None)
    assert {lot.house_name for lot in listing.lots} == {"cgb.fr"}
    assert len({lot.url for lot in listing.lots}) == 100
    assert all(lot.status in ("sold", "unsold") for lot in listing.lots)


def test_biddr_open_listing_has_starting_prices(shared):
    url = "https://www.biddr.com/thecoincabinet/auction?a=7356"
    listing = BiddrParser().parse_listing(page(shared, "biddr__thecoincabinet-a7356-p1-listing.html"), url)
    assert len(listing.lots) == 100
    assert listing.next_page_url == "https://www.biddr.com/thecoincabinet/auction?a=7356&p=2"
    by_number = {lot.lot_number: lot for lot in listing.lots}
    assert by_number["1"].url == "https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006"
    assert by_number["4"].starting_price == Decimal(100)
    assert by_number["97"].starting_price == Decimal(1500)  # printed "1'500 GBP"
    assert all(lot.status == "open" and lot.hammer_price is None for lot in listing.lots)


def test_biddr_lot_parser_refuses_a_listing_url(shared):
    with pytest.raises(ParseError):
        BiddrParser().parse_lot(
            page(shared, "biddr__cgb-a7305-p1-closed-listing.html"),
            "https://www.biddr.com/cgb/auction?a=7305",
        )


# --- NumisBids ------------------------------------------------------------------------------------


def test_numisbids_closed_lot_with_price_realized(shared):
    url = "https://www.numisbids.com/sale/10900/lot/2"
    lot = NumisBidsParser().parse_lot(page(shared, "numisbids__s10900-lot2-closed-trimmed.html"), url)
    assert lot.url == "https://www.numisbids.com/n.php?p=lot&sid=10900&lot=2"
    assert lot.house_name == "Spink"
    assert lot.lot_number == "2"
    assert (lot.starting_price, lot.hammer_price, lot.currency) == (Decimal(160), Decimal(320), "GBP")
    assert (lot.estimate_low, lot.estimate_high) == (Decimal(240), Decimal(340))  # "Estimate: £240 - £340"
    assert lot.status == "sold"
    assert lot.description.startswith("(x) Bank of Afghanistan, 20 Afghanis")
    assert "Estimate" not in lot.description
    assert lot.image_urls == [
        "https://media.numisbids.com/sales/hosted/spink/26200/image00002.jpg?1783418299",
        "https://media.numisbids.com/sales/hosted/spink/26200/image00002_1.jpg?1783418299",
    ]


def test_numisbids_open_lot_with_sale_banner(shared):
    url = "https://www.numisbids.com/n.php?p=lot&sid=10982&lot=33272"
    lot = NumisBidsParser().parse_lot(page(shared, "numisbids__s10982-lot33272-trimmed.html"), url)
    assert lot.house_name == "Heritage World Coin Auctions"
    assert (lot.sale_name, lot.sale_number, lot.sale_date) == (
        "ANA Signature Sale 3135",
        "3135",
        date(2026, 9, 1),
    )
    assert lot.title == "Philip V gold Royal 8 Escudos 1702 MXo-L MS67 NGC"
    assert lot.starting_price == Decimal(250000)  # "250&#8239;000 USD", a narrow no-break space
    assert (lot.estimate_low, lot.estimate_high, lot.currency) == (Decimal(500000), Decimal(700000), "USD")
    assert (lot.status, lot.hammer_price) == ("open", None)


def test_numisbids_open_lot_without_banner(shared):
    url = "https://www.numisbids.com/sale/11005/lot/3001"
    lot = NumisBidsParser().parse_lot(page(shared, "numisbids__s11005-lot3001-open-trimmed.html"), url)
    assert lot.house_name == "Heritage World Coin Auctions"
    assert lot.sale_url == "https://www.numisbids.com/n.php?p=sale&sid=11005"
    assert (lot.starting_price, lot.currency, lot.status) == (Decimal(1), "USD", "open")


def test_numisbids_closed_sale_listing(shared):
    url = "https://www.numisbids.com/n.php?p=sale&sid=10900"
    listing = NumisBidsParser().parse_listing(page(shared, "numisbids__s10900-sale-closed-trimmed.html"), url)
    assert listing.next_page_url == "https://www.numisbids.com/sale/10900?pg=2"
    assert [(lot.lot_number, lot.status, lot.hammer_price) for lot in listing.lots] == [
        ("1", "unsold", None),
        ("2", "sold", Decimal(320)),
    ]
    assert {(lot.house_name, lot.sale_name, lot.sale_date) for lot in listing.lots} == {
        ("Spink", "Auction 26200", date(2026, 7, 9))
    }


def test_numisbids_open_sale_listing(shared):
    url = "https://www.numisbids.com/sale/11005"
    listing = NumisBidsParser().parse_listing(page(shared, "numisbids__s11005-sale-open-trimmed.html"), url)
    assert [lot.url for lot in listing.lots] == [
        "https://www.numisbids.com/n.php?p=lot&sid=11005&lot=3001",
        "https://www.numisbids.com/n.php?p=lot&sid=11005&lot=3002",
    ]
    assert all(lot.status == "open" for lot in listing.lots)
    assert listing.lots[0].sale_date == date(2026, 8, 31)  # "31 Aug - 5 Sep 2026": the first day


# --- Sixbid ---------------------------------------------------------------------------------------


def test_sixbid_lot_json(shared):
    url = "https://www.sixbid.com/en/heritage-auctions-inc/13977/argentina-la-rioja/12399926-la-rioja-republic-2-soles"
    lot = SixbidParser().parse_lot(page(shared, "sixbid__heritage-a13977-lot12399926.json"), url)
    assert lot.lot_number == "23001"
    assert lot.description.startswith("La Rioja. Republic 2 Soles 1826-RA XF Details (Damage) PCGS")
    assert (lot.sale_name, lot.sale_number, lot.sale_date) == ("Auction #61646", "61646", date(2026, 8, 23))
    assert lot.starting_price == Decimal(1)
    assert lot.estimate_low is None  # lotEstimate 0 means "no estimate", not zero
    assert lot.hammer_price is None
    assert lot.currency == "USD"
    assert lot.house_name == "Heritage Auctions"
    assert lot.status == "open"
    assert lot.url == url


def test_sixbid_listing_json(shared):
    url = "https://www.sixbid.com/api/lots?auction=13977"
    listing = SixbidParser().parse_listing(page(shared, "sixbid__heritage-a13977-p1-listing.json"), url)
    assert [lot.lot_number for lot in listing.lots] == ["23001", "23002", "23003"]
    assert listing.next_page_url is None  # total_pages is 1
    assert len({lot.url for lot in listing.lots}) == 3


def test_sixbid_rejects_html(shared):
    with pytest.raises(ParseError):
        SixbidParser().parse_lot(
            page(shared, "numisbids__s10900-lot2-closed-trimmed.html"), "https://www.sixbid.com/x"
        )


# --- real page text with hand-checked labels ------------------------------------------------------


def _labels(shared):
    path = shared / "fixtures" / "lot-page-text" / "labels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _accepted(label: dict, key: str) -> list:
    return [label[key], *label.get("alternatives", {}).get(key, [])]


def _as_decimal(value):
    return None if value is None else Decimal(str(value))


def test_page_text_fields_match_hand_checked_labels(shared):
    labels = _labels(shared)
    assert len(labels) == 5
    for label in labels:
        text = (shared / "fixtures" / "lot-page-text" / label["file"]).read_text(encoding="utf-8")
        lot = recognise(label["source"]).parse_lot(text, label["source"])
        where = label["file"]
        assert lot.house_name in _accepted(label, "house"), where
        if label["sale_name"]:
            assert lot.sale_name in _accepted(label, "sale_name"), where
        if label["lot_number"]:
            assert lot.lot_number == label["lot_number"], where
        else:
            assert lot.lot_number == "", where  # e.g. the HID item id is not a lot number
        accepted_dates = [d and date.fromisoformat(d) for d in _accepted(label, "sale_date")]
        assert lot.sale_date in accepted_dates, where
        assert lot.estimate_low == _as_decimal(label["estimate"]), where
        assert lot.estimate_high == _as_decimal(label["estimate_high"]), where
        assert lot.hammer_price == _as_decimal(label["hammer"]), where
        assert lot.starting_price == _as_decimal(label["starting_price"]), where
        currencies = {label[k] for k in ("estimate_currency", "hammer_currency", "starting_price_currency")}
        currencies.discard(None)
        assert lot.currency == (currencies.pop() if currencies else ""), where
        assert lot.status == ("sold" if label["hammer"] else lot.status), where
        # The description is the coin text itself, without the price header or page furniture.
        assert lot.description.startswith(label["description"].split("\n")[0][:40]), where
        assert "Sold For" not in lot.description and "Price realized" not in lot.description, where
