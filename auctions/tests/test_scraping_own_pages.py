"""Parsers on the project's hand-built fixture pages (CNG, Heritage, eBay, Agora, generic).

These pages were written from what the sites are known to publish, not saved from the sites: they
pin our reading of those layouts, and the real-page tests cover the houses we have real pages for.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from auctions.scraping.houses import recognise
from auctions.scraping.houses.base import labelled_values, parse_date_text, parse_datetime_text
from auctions.scraping.types import ParseError

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name: str, url: str):
    return recognise(url).parse_lot((FIXTURES / name).read_bytes(), url)


def test_cng_old_archive_page():
    lot = parse("cng-coinaspx-lot.html", "https://cngcoins.com/Coin.aspx?CoinID=60511")
    assert lot.url == "https://www.cngcoins.com/Coin.aspx?CoinID=60511"
    assert (lot.house_name, lot.sale_name, lot.lot_number) == ("CNG", "Triton XXI", "577")
    assert lot.sale_date == date(2018, 1, 9)
    assert (lot.estimate_low, lot.hammer_price, lot.currency, lot.status) == (
        Decimal(1000),
        Decimal(1400),
        "USD",
        "sold",
    )
    assert lot.description.split("\n") == [
        "Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. Struck 2 BC-AD 4. CAESAR "
        "AVGVSTVS DIVI F PATER PATRIAE, laureate head right / AVGVSTI F COS DESIG PRINC IVVENT, Gaius and "
        "Lucius standing facing. RIC I 207; RSC 43. Good VF, toned.",
        "Ex Peh Family Collection.",
    ]
    assert lot.image_urls[0] == "https://images.cngcoins.com/photos/big/60511.jpg"


def test_cng_current_platform_open_lot():
    url = "https://auctions.cngcoins.com/lots/view/4-I2GSGD/tiberius-ar-denarius?utm=x"
    lot = parse("cng-platform-lot.html", url)
    assert lot.url == "https://auctions.cngcoins.com/lots/view/4-I2GSGD/tiberius-ar-denarius"
    assert (lot.lot_number, lot.sale_name, lot.sale_number) == ("312", "Electronic Auction 560", "560")
    assert (lot.estimate_low, lot.currency, lot.hammer_price, lot.status) == (
        Decimal(500),
        "USD",
        None,
        "open",
    )
    # "Wednesday, 14 January 2026, 10:00 AM EST" is 15:00 UTC.
    assert lot.closing_date == datetime(2026, 1, 14, 15, 0, tzinfo=UTC)
    assert lot.image_urls == [
        "https://cdn.cngcoins.com/lots/4-I2GSGD/obv.jpg",
        "https://cdn.cngcoins.com/lots/4-I2GSGD/rev.jpg",
    ]


def test_heritage_sold_lot():
    url = "https://coins.ha.com/itm/ancients/roman-imperial/augustus-ar-denarius/a/232539-64039.s?ic4=Other"
    lot = parse("heritage-lot.html", url)
    assert lot.url == "https://coins.ha.com/itm/ancients/roman-imperial/augustus-ar-denarius/a/232539-64039.s"
    # One name per house, however a parser or page spells it (numismatics/data/houses.json).
    assert (lot.house_name, lot.sale_number, lot.lot_number) == ("Heritage Auctions", "232539", "64039")
    assert lot.sale_date == date(2023, 1, 9)
    assert (lot.estimate_low, lot.estimate_high) == (Decimal(1000), Decimal(1500))
    assert (lot.hammer_price, lot.currency, lot.status) == (Decimal("1560.00"), "USD", "sold")
    assert lot.buyers_premium_pct == Decimal(20)
    assert "HID" not in lot.description
    assert lot.description.startswith("Augustus (27 BC-AD 14). AR denarius")
    assert lot.image_urls[:2] == [
        "https://dyn1.heritagestatic.com/lf?source=obv.jpg",
        "https://dyn1.heritagestatic.com/lf?source=rev.jpg",
    ]


def test_ebay_sold_item():
    lot = parse("ebay-item-sold.html", "https://www.ebay.com/itm/397040880671?hash=item5c7f")
    assert (lot.url, lot.lot_number, lot.house_name) == (
        "https://www.ebay.com/itm/397040880671",
        "397040880671",
        "eBay",
    )
    assert lot.title == "Constantine I AE Follis Londinium SOLI INVICTO COMITI"
    assert (lot.hammer_price, lot.currency, lot.status) == (Decimal("42.00"), "USD", "sold")
    assert len(lot.image_urls) == 2


def test_ebay_open_item_long_url():
    lot = parse("ebay-item-open.html", "https://www.ebay.co.uk/itm/roman-denarius/126543210987")
    assert lot.url == "https://www.ebay.co.uk/itm/126543210987"
    assert (lot.status, lot.hammer_price, lot.starting_price, lot.currency) == (
        "open",
        None,
        Decimal("120.00"),
        "GBP",
    )
    assert lot.closing_date == datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    assert lot.description == "Roman Republic AR Denarius Crawford 335/1c"  # the title when no text


def test_agora_archived_lot():
    lot = parse("agora-lot.html", "https://agoraauctions.com/listing/viewdetail/60751/0/archive")
    assert lot.url == "https://agoraauctions.com/listing/viewdetail/60751"
    assert (lot.house_name, lot.sale_number, lot.lot_number) == ("Agora Auctions", "152", "245")
    assert (lot.estimate_low, lot.hammer_price, lot.currency, lot.status) == (
        Decimal(150),
        Decimal(210),
        "USD",
        "sold",
    )
    assert lot.sale_date == date(2024, 3, 5)
    assert lot.description.split("\n")[1] == "From the Collection of a Midwestern Gentleman."
    assert lot.image_urls == [
        "https://agoraauctions.com/images/listings/60751_1.jpg",
        "https://agoraauctions.com/images/listings/60751_2.jpg",
    ]


def test_generic_json_ld_product():
    lot = parse("generic-jsonld.html", "https://example.org/shop/nero#reviews")
    assert lot.platform == "generic"
    assert lot.url == "https://example.org/shop/nero"
    assert lot.house_name == "Example Coins Ltd"
    assert lot.title == "Nero AE Sestertius, Rome, Decursio"
    assert lot.description.startswith("Nero, AD 54-68. AE Sestertius")
    assert (lot.status, lot.starting_price, lot.currency) == ("open", Decimal("1250.00"), "EUR")
    assert lot.image_urls == [
        "https://example.org/media/nero-obv.jpg",
        "https://example.org/media/nero-rev.jpg",
    ]


def test_generic_opengraph_and_price_table():
    lot = parse("generic-opengraph.html", "https://smallhouse.example/lot/88")
    assert lot.house_name == "Small Auction House"
    assert lot.lot_number == "88"
    assert (lot.estimate_low, lot.estimate_high, lot.hammer_price, lot.currency, lot.status) == (
        Decimal(300),
        Decimal(400),
        Decimal(520),
        "CHF",
        "sold",
    )
    assert lot.image_urls == ["https://smallhouse.example/img/88.jpg"]


@pytest.mark.parametrize(
    "url",
    [
        "https://smallhouse.example/lot/89",
        "https://www.cngcoins.com/Coin.aspx?CoinID=1",
        "https://www.numisbids.com/sale/1/lot/1",
        "https://www.biddr.com/savoca/auction?a=1&l=2",
        "https://agoraauctions.com/listing/viewdetail/1",
    ],
)
def test_malformed_page_raises_parse_error_instead_of_an_empty_lot(url):
    with pytest.raises(ParseError):
        parse("malformed.html", url)


# --- the shared helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Closing Date: Monday, 9 May 2011.", date(2011, 5, 9)),
        ("1-5 Sep 2026", date(2026, 9, 1)),
        ("31 Aug - 5 Sep 2026", date(2026, 8, 31)),
        ("Sold on Jan 9, 2019 for: $1,200.00", date(2019, 1, 9)),
        ("2026-08-23", date(2026, 8, 23)),
        ("18. Mai 2026", date(2026, 5, 18)),
        ("no date here, lot 23882", None),
    ],
)
def test_parse_date_text(text, expected):
    assert parse_date_text(text) == expected


def test_parse_datetime_text_converts_zone_to_utc():
    assert parse_datetime_text("Tuesday, 18 August 2026, 12:00 PM CEST") == datetime(
        2026, 8, 18, 10, tzinfo=UTC
    )
    assert parse_datetime_text("9 January 2006") is None  # a date without a time is not a closing time


def test_labelled_values_reads_tables_inline_and_stacked_layouts():
    text = "Price realized | 5'500 USD |\nEstimate: $400.\nStarting price\n20 GBP"
    values = labelled_values(
        text, {"Price realized": "hammer", "Estimate": "estimate", "Starting price": "start"}
    )
    assert values == {"hammer": "5'500 USD", "estimate": "$400.", "start": "20 GBP"}
