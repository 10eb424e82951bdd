"""End to end: pages served over HTTP on loopback, through fetch(), the parsers, store_lot() and the
scrape / scrape_sale commands.

Every host name resolves to 127.0.0.1 here (getaddrinfo is replaced), so a URL can keep its real
host name (www.numisbids.com), be recognised by its house, and still never leave this machine.
Real saved pages are read from ../shared at test time and served from memory, never copied.
"""

from __future__ import annotations

import io
import socket
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from werkzeug.wrappers import Response

from auctions.models import AuctionHouse, AuctionLot, LotImage, Sale
from auctions.scraping.houses.generic import GenericParser
from auctions.scraping.scrape import scrape_sale, scrape_url
from auctions.scraping.store import store_lot
from catalog.tests.factories import make_coin

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


@pytest.fixture
def web(httpserver, settings, tmp_path, monkeypatch):
    settings.COINSTACK_SCRAPER_ALLOW_PRIVATE = True
    settings.COINSTACK_SCRAPER_STATE_DIR = tmp_path / "state"
    settings.COINSTACK_SCRAPER_MIN_INTERVAL = 0
    settings.COINSTACK_SCRAPER_BACKOFF = 0.01
    settings.COINSTACK_SCRAPER_MAX_RETRIES = 1
    settings.COINSTACK_SCRAPER_TIMEOUT = (1, 0.4)
    settings.MEDIA_ROOT = tmp_path / "media"
    real_getaddrinfo = socket.getaddrinfo

    def loopback(_host, port, *args, **kwargs):
        return real_getaddrinfo("127.0.0.1", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback)
    httpserver.expect_request("/robots.txt").respond_with_data("")
    return httpserver


def at(server, host: str, path: str) -> str:
    return f"http://{host}:{server.port}{path}"


def jpeg(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, "JPEG")
    return buffer.getvalue()


def shared_page(shared, name: str) -> bytes:
    return (shared / "fixtures" / "auction-pages" / name).read_bytes()


def run(*args) -> tuple[str, bool]:
    """Run a command; (output, whether it exited non-zero)."""
    out = io.StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), True
    return out.getvalue(), False


# --- idempotence and rescrapes --------------------------------------------------------------------


def test_scraping_a_lot_twice_keeps_one_row(web, shared):
    web.expect_request("/sale/10982/lot/33272").respond_with_data(
        shared_page(shared, "numisbids__s10982-lot33272-trimmed.html"), content_type="text/html"
    )
    url = at(web, "www.numisbids.com", "/sale/10982/lot/33272")
    first = scrape_url(url, download_images=False)
    second = scrape_url(url, download_images=False)
    assert (first.outcome, second.outcome) == ("created", "unchanged")
    assert AuctionLot.objects.count() == 1
    lot = AuctionLot.objects.get()
    assert lot.url == "https://www.numisbids.com/n.php?p=lot&sid=10982&lot=33272"
    assert (lot.house.name, lot.sale.number, lot.sale.name) == (
        "Heritage World Coin Auctions",
        "3135",
        "ANA Signature Sale 3135",
    )
    assert (lot.status, lot.starting_price, lot.estimate_high) == ("open", Decimal(250000), Decimal(700000))
    assert AuctionHouse.objects.count() == 1 and Sale.objects.count() == 1


def test_rescrape_of_a_lot_that_closed_fills_the_hammer(web, shared):
    closed = shared_page(shared, "numisbids__s10900-lot2-closed-trimmed.html").decode()
    # The same page as it read before the sale: a current bid where the price realized now is.
    start = closed.index("<br>Price realized:")
    end = closed.index("</span>", start) + len("</span>")
    before = closed[:start] + "<br>Current bid: <span>200 GBP</span>" + closed[end:]
    web.expect_oneshot_request("/sale/10900/lot/2").respond_with_data(before, content_type="text/html")
    web.expect_request("/sale/10900/lot/2").respond_with_data(closed, content_type="text/html")
    url = at(web, "www.numisbids.com", "/sale/10900/lot/2")

    assert scrape_url(url, download_images=False).outcome == "created"
    lot = AuctionLot.objects.get()
    assert (lot.status, lot.hammer_price) == ("open", None)

    assert scrape_url(url, download_images=False).outcome == "updated"
    lot.refresh_from_db()
    assert (lot.status, lot.hammer_price, lot.currency) == ("sold", Decimal(320), "GBP")
    assert AuctionLot.objects.count() == 1

    # Closed and stored: not fetched again unless asked.
    requests_before = len(web.log)
    assert scrape_url(url, download_images=False).outcome == "unchanged"
    assert len(web.log) == requests_before
    assert scrape_url(url, refresh=True, download_images=False).outcome == "unchanged"
    assert len(web.log) == requests_before + 1


def test_coin_fields_and_references_are_read_from_the_description(web):
    web.expect_request("/Coin.aspx").respond_with_data(
        (FIXTURES / "cng-coinaspx-lot.html").read_bytes(), content_type="text/html"
    )
    outcome = scrape_url(at(web, "www.cngcoins.com", "/Coin.aspx?CoinID=60511"), download_images=False)
    assert outcome.outcome == "created", outcome.message
    lot = AuctionLot.objects.get()
    assert lot.url == "https://www.cngcoins.com/Coin.aspx?CoinID=60511"
    assert (lot.weight_g, lot.diameter_mm, lot.die_axis, lot.metal) == (
        Decimal("3.820"),
        Decimal("19.00"),
        6,
        "silver",
    )
    assert [ref.raw_text for ref in lot.references.all()][:1] == ["RIC I 207"]
    assert lot.hammer_price == Decimal(1400)


# --- the scrape command ---------------------------------------------------------------------------


def test_scrape_command_links_a_coin_and_deleting_the_coin_keeps_the_lot(web, shared):
    web.expect_request("/sale/11005/lot/3001").respond_with_data(
        shared_page(shared, "numisbids__s11005-lot3001-open-trimmed.html"), content_type="text/html"
    )
    coin = make_coin()
    url = at(web, "www.numisbids.com", "/sale/11005/lot/3001")
    output, failed = run("scrape", url, "--coin", str(coin.pk), "--role", "acquisition", "--no-images")
    assert not failed, output
    assert "1 created, 0 updated, 0 unchanged, 0 failed, 0 blocked" in output
    lot = AuctionLot.objects.get()
    assert (lot.coin_id, lot.coin_role) == (coin.pk, "acquisition")

    coin.delete()
    lot.refresh_from_db()
    assert lot.coin_id is None  # market data outlives the coin
    assert AuctionLot.objects.count() == 1


def test_failures_give_a_clear_line_write_nothing_and_the_batch_goes_on(web, shared):
    web.expect_request("/sale/1/lot/404").respond_with_data("gone", status=404)
    web.expect_request("/sale/1/lot/1").respond_with_data(
        (FIXTURES / "malformed.html").read_bytes(), content_type="text/html"
    )

    def slow(_request):
        time.sleep(0.6)  # past the 0.4 s read timeout, short enough not to delay the next URL much
        return Response("too late")

    web.expect_request("/sale/1/lot/2").respond_with_handler(slow)
    web.expect_request("/sale/1/lot/403").respond_with_data("denied", status=403)
    web.expect_request("/sale/10900/lot/2").respond_with_data(
        shared_page(shared, "numisbids__s10900-lot2-closed-trimmed.html"), content_type="text/html"
    )
    missing = at(web, "www.numisbids.com", "/sale/1/lot/404")
    malformed = at(web, "www.numisbids.com", "/sale/1/lot/1")
    timeout = at(web, "www.numisbids.com", "/sale/1/lot/2")
    blocked = at(web, "www.numisbids.com", "/sale/1/lot/403")
    good = at(web, "www.numisbids.com", "/sale/10900/lot/2")

    output, failed = run("scrape", missing, malformed, timeout, blocked, good, "--no-images")

    assert failed
    lines = output.splitlines()
    assert any(line.startswith("failed") and missing in line and "not found" in line for line in lines)
    assert any(line.startswith("failed") and malformed in line and "no lot" in line for line in lines)
    assert any(line.startswith("failed") and timeout in line and "timeout" in line for line in lines)
    blocked_line = next(line for line in lines if line.startswith("blocked"))
    assert blocked in blocked_line and "--from-file PAGE.html" in blocked_line
    assert any(line.startswith("created") and good in line for line in lines)
    assert "1 created, 0 updated, 0 unchanged, 3 failed, 1 blocked" in output
    # Only the good URL was written.
    assert list(AuctionLot.objects.values_list("lot_number", flat=True)) == ["2"]


def test_scrape_from_a_saved_page(web, tmp_path, shared):
    saved = tmp_path / "lot.html"
    saved.write_bytes(shared_page(shared, "biddr__thecoincabinet-a7356-l8994006.html"))
    url = "https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006"
    output, failed = run("scrape", "--from-file", str(saved), "--url", url, "--no-images")
    assert not failed, output
    lot = AuctionLot.objects.get(url=url)
    assert (lot.house.name, lot.lot_number, lot.starting_price) == ("The Coin Cabinet", "1", Decimal(20))
    assert len(web.log) == 0  # nothing fetched


def test_scrape_command_reads_urls_from_a_file(web, tmp_path):
    web.expect_request("/lot/88").respond_with_data(
        (FIXTURES / "generic-opengraph.html").read_bytes(), content_type="text/html"
    )
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# my lots\n{at(web, 'smallhouse.example', '/lot/88')}\n\n")
    output, failed = run("scrape", "--file", str(listing), "--no-images")
    assert not failed, output
    assert AuctionLot.objects.get().hammer_price == Decimal(520)


# --- images ---------------------------------------------------------------------------------------


def test_images_are_downloaded_checked_and_stored_once_per_content(web):
    page = (FIXTURES / "generic-jsonld.html").read_text()
    same_picture = jpeg("gold")
    web.expect_request("/img/a.jpg").respond_with_data(same_picture, content_type="image/jpeg")
    web.expect_request("/img/b.jpg").respond_with_data(same_picture, content_type="image/jpeg")
    web.expect_request("/img/fake.jpg").respond_with_data(
        "<html>not an image</html>", content_type="image/jpeg"
    )
    for path, image in (("/shop/one", "/img/a.jpg"), ("/shop/two", "/img/b.jpg")):
        lot_page = page.replace("/media/nero-obv.jpg", at(web, "shop.example", image)).replace(
            "https://example.org/media/nero-rev.jpg", at(web, "shop.example", "/img/fake.jpg")
        )
        web.expect_request(path).respond_with_data(lot_page, content_type="text/html")

    first = scrape_url(at(web, "shop.example", "/shop/one"))
    second = scrape_url(at(web, "shop.example", "/shop/two"))
    assert (first.outcome, second.outcome) == ("created", "created")

    stored = LotImage.objects.exclude(image="")
    assert stored.count() == 2  # one per lot ...
    assert len({image.image.name for image in stored}) == 1  # ... sharing one file
    assert len({image.sha256 for image in stored}) == 1
    files = [p for p in (Path(web_media_root()) / "lots").rglob("*") if p.is_file()]
    assert len(files) == 1
    # The fake image is kept as a URL only, never as a stored file.
    fakes = LotImage.objects.filter(url__endswith="/img/fake.jpg")
    assert fakes.count() == 2 and all(not image.image for image in fakes)
    # A rescrape does not download what it already has.
    fetched = [r.path for r, _ in web.log].count("/img/a.jpg")
    scrape_url(at(web, "shop.example", "/shop/one"))
    assert [r.path for r, _ in web.log].count("/img/a.jpg") == fetched


def web_media_root() -> str:
    from django.conf import settings

    return str(settings.MEDIA_ROOT)


def test_store_lot_without_network(db):
    parsed = GenericParser().parse_lot(
        (FIXTURES / "generic-opengraph.html").read_bytes(), "https://smallhouse.example/lot/88"
    )
    first = store_lot(parsed, download_images=False)
    assert first.outcome == "created"
    parsed.hammer_price = Decimal(530)
    assert store_lot(parsed, download_images=False).outcome == "updated"
    parsed.status, parsed.hammer_price = "unsold", None
    result = store_lot(parsed, download_images=False)
    assert (result.outcome, result.lot.status, result.lot.hammer_price) == ("updated", "unsold", None)


# --- scrape_sale ----------------------------------------------------------------------------------


def test_scrape_sale_stores_each_listed_lot_and_is_idempotent(web, shared):
    web.expect_request("/cgb/auction").respond_with_data(
        shared_page(shared, "biddr__cgb-a7305-p1-closed-listing.html"), content_type="text/html"
    )
    url = at(web, "www.biddr.com", "/cgb/auction?a=7305")
    report = scrape_sale(url, max_pages=1)
    assert report.counts["created"] == 100, report.summary()
    assert AuctionLot.objects.count() == 100
    assert AuctionLot.objects.filter(status="unsold", hammer_price__isnull=True).exists()
    assert AuctionLot.objects.get(lot_number="576701").hammer_price == Decimal(125)
    assert Sale.objects.count() == 1
    again = scrape_sale(url, max_pages=1)
    assert again.counts["unchanged"] == 100
    assert AuctionLot.objects.count() == 100


def test_scrape_sale_command_follows_next_pages_up_to_the_limit(web, shared):
    page = shared_page(shared, "numisbids__s10900-sale-closed-trimmed.html")
    web.expect_request("/sale/10900").respond_with_data(page, content_type="text/html")
    output, failed = run("scrape_sale", at(web, "www.numisbids.com", "/sale/10900"), "--max-pages", "2")
    # Page 2 is the same saved page (its lots are already stored): 2 created, then 2 unchanged.
    assert not failed, output
    assert "2 created, 0 updated, 2 unchanged, 0 failed, 0 blocked" in output
    assert [r.path for r, _ in web.log].count("/sale/10900") == 2
