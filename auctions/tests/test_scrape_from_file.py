"""manage.py scrape --from-file: a page saved as .html, .txt (its text) or .mhtml (a browser archive)."""

from decimal import Decimal
from pathlib import Path

import pytest

from auctions.models import AuctionLot
from auctions.tests.test_add_lot import mhtml
from auctions.tests.test_scraping_store import run, shared_page

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[2] / "numismatics" / "tests" / "data" / "page-text"


def test_a_page_saved_as_text_is_stored(tmp_path):
    saved = tmp_path / "lot.txt"
    saved.write_bytes((PAGES / "bertolami-style-lot.txt").read_bytes())
    url = "https://www.bertolamifinearts.com/asta/142/lotto/88"
    output, failed = run("scrape", "--from-file", str(saved), "--url", url, "--no-images")
    assert not failed, output
    lot = AuctionLot.objects.get(url=url)
    assert (lot.house.name, lot.sale.name, lot.lot_number) == ("Bertolami Fine Art", "Asta 142", "88")
    assert (lot.estimate_low, lot.starting_price, lot.hammer_price, lot.currency) == (
        Decimal(1200),
        Decimal(900),
        Decimal(1500),
        "EUR",
    )
    assert (lot.metal, lot.denomination_text, lot.mint_text) == ("gold", "Aureus", "Rome")


def test_real_page_text_and_a_real_page_as_mhtml_are_stored(tmp_path, shared):
    text = tmp_path / "kuenker.txt"
    text.write_bytes(
        (shared / "fixtures" / "lot-page-text-2" / "kuenker__archiv-stueck-316699.txt").read_bytes()
    )
    url = "https://kuenker.de/de/archiv/stueck/316699"
    output, failed = run("scrape", "--from-file", str(text), "--url", url, "--no-images")
    assert not failed, output
    lot = AuctionLot.objects.get(url=url)
    assert (lot.house.name, lot.lot_number, lot.estimate_low, lot.hammer_price, lot.currency) == (
        "Künker",
        "7792",
        Decimal(200),
        Decimal(1400),
        "EUR",
    )
    assert lot.description.startswith("Õ-Denar, 78 v. Chr. Rom, M. Volteius")

    archive = tmp_path / "biddr.mhtml"
    page = shared_page(shared, "biddr__thecoincabinet-a7356-l8994006.html").decode("utf-8")
    url = "https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006"
    archive.write_bytes(mhtml(page, url))
    output, failed = run("scrape", "--from-file", str(archive), "--url", url, "--no-images")
    assert not failed, output
    lot = AuctionLot.objects.get(url=url)
    assert (lot.house.name, lot.lot_number, lot.starting_price, lot.currency) == (
        "The Coin Cabinet",
        "1",
        Decimal(20),
        "GBP",
    )


def test_other_files_and_pages_without_a_lot_are_refused_naming_the_file(tmp_path):
    pdf = tmp_path / "lot.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    output, failed = run("scrape", "--from-file", str(pdf), "--url", "https://example.com/lot/1")
    assert failed and "not a saved page" in output and str(pdf) in output
    empty = tmp_path / "home.txt"
    empty.write_text("Welcome to our shop.\nOpening hours 9-17.\n", encoding="utf-8")
    output, failed = run("scrape", "--from-file", str(empty), "--url", "https://example.com/lot/1")
    assert failed and "no lot description" in output and str(empty) in output
    assert AuctionLot.objects.count() == 0
