"""End-to-end: a curator's day in the admin, in a real browser (Playwright driving Debian's chromium,
as test_e2e_browser.py does): the coin form fits the window at 1280 and 390 px, three images go in at
once with a chosen primary, a scraped lot becomes a coin, five coins move to a new tray, a sold coin
leaves the list and the statistics, and the demo data is removed."""

import io
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from PIL import Image

from auctions.models import AuctionLot
from auctions.scraping.scrape import scrape_saved_page
from catalog.models import Coin, CoinImage
from catalog.tests.factories import make_coin, make_issuer, make_reference
from catalog.tests.test_e2e_browser import CHROMIUM, PASSWORD, browser  # noqa: F401  (browser is a fixture)
from ops.demo import generate_collection

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="/usr/bin/chromium is not installed"
    ),
]


@pytest.fixture
def curator(transactional_db, live_server):
    User.objects.create_superuser("curator", password=PASSWORD)
    return live_server


def logged_in(browser, live_server, width: int = 1280):  # noqa: F811
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def png_file(folder: Path, name: str, color: str) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buffer, "PNG")
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def test_the_coin_form_fits_the_window_and_takes_three_images_at_once(browser, curator, tmp_path, settings):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    coin = make_coin(inventory_number="F-1", issuer=make_issuer("Hadrian"))
    for text in (
        "RIC II.3 2418 (Hadrian, Rome, AD 134-138)",
        "RSC 1245a",
        "cf. BMCRE III 1234 and Strack 456",
    ):
        make_reference(coin, text, type_uri="http://numismatics.org/ocre/id/ric.2_3(2).hdn.2418")
    change = f"{curator.url}/admin/catalog/coin/{coin.pk}/change/"
    for width in (1280, 390):
        page = logged_in(browser, curator, width)
        page.goto(change)
        page.wait_for_selector("#references-group")
        scroll, window = overflow(page)
        assert scroll <= window, f"{width} px: the form is {scroll} px wide"
        page.context.close()

    page = logged_in(browser, curator)
    page.goto(change)
    files = [png_file(tmp_path, f"{n}.png", color) for n, color in enumerate(("red", "green", "blue"))]
    page.set_input_files("input[name=new_images]", [str(f) for f in files])
    kinds = page.locator("select.new-image-kind")
    assert kinds.count() == 3
    for index, kind in enumerate(("obverse", "reverse", "combined")):
        kinds.nth(index).select_option(kind)
    page.check("input[name=image_primary][value=new-1]")
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    images = list(CoinImage.objects.filter(coin=coin).order_by("position"))
    assert [(i.kind, i.is_primary) for i in images] == [
        ("obverse", False),
        ("reverse", True),
        ("combined", False),
    ]
    assert (
        page.locator("input[name=image_primary]:checked").get_attribute("value") == f"existing-{images[1].pk}"
    )


def test_make_a_coin_from_a_scraped_lot_and_open_it(browser, curator, shared):  # noqa: F811
    folder = shared / "fixtures" / "lot-page-text-2"
    url = "https://www.numisbids.com/n.php?p=lot&sid=6010&lot=927"
    outcome = scrape_saved_page(folder / "numisbids__sid6010-lot927-cng121.txt", url, download_images=False)
    assert outcome.ok, outcome.message
    page = logged_in(browser, curator)
    page.goto(f"{curator.url}/admin/auctions/auctionlot/{outcome.lot_id}/change/")
    page.click("#make-coin")
    page.wait_for_url(re.compile(r"/admin/catalog/coin/\d+/change/$"))
    coin = AuctionLot.objects.get(pk=outcome.lot_id).coin
    assert page.url.endswith(f"/admin/catalog/coin/{coin.pk}/change/")
    assert "the lot is linked as where it was bought" in page.locator("ul.messagelist").inner_text()
    assert page.input_value("#id_reverse_legend") == "AEQVITAS AVG"
    # The new coin is found by a word of its reverse legend.
    page.goto(f"{curator.url}/coins/?q=AEQVITAS&view=table")
    assert page.locator(f"a[href^='/coins/{coin.pk}/']").count() >= 1
    # Again: the lot's page now opens that coin instead of making another.
    page.goto(f"{curator.url}/admin/auctions/auctionlot/{outcome.lot_id}/change/")
    page.click("text=Open its coin")
    page.wait_for_url(re.compile(rf"/admin/catalog/coin/{coin.pk}/change/$"))
    assert Coin.objects.count() == 1


def _select_and_run(page, coins, action: str) -> None:
    for coin in coins:
        page.check(f"input.action-select[value='{coin.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_bulk_move_five_coins_to_a_new_tray_then_sell_one(browser, curator):  # noqa: F811
    coins = [make_coin(inventory_number=f"T-{n}", storage_location="Box1") for n in range(6)]
    page = logged_in(browser, curator)
    page.goto(f"{curator.url}/admin/catalog/coin/")
    _select_and_run(page, coins[:5], "move_to_storage")
    page.fill("#id_storage_location", "Tray 9")
    page.click("input[name=apply]")
    page.wait_for_selector("ul.messagelist")
    assert "5 coin(s) moved to Tray 9" in page.locator("ul.messagelist").inner_text()
    assert Coin.objects.filter(storage_location="Tray 9").count() == 5

    page.goto(f"{curator.url}/stats/")
    before = page.locator("body").inner_text()
    assert "6" in before
    page.goto(f"{curator.url}/admin/catalog/coin/")
    _select_and_run(page, coins[:1], "mark_disposed")
    page.select_option("#id_disposal", "sold")
    page.fill("#id_disposal_date", "2026-11-30")
    page.fill("#id_disposal_price", "300")
    page.fill("#id_disposal_currency", "EUR")
    page.fill("#id_disposed_to", "A fellow collector")
    page.click("input[name=apply]")
    page.wait_for_selector("ul.messagelist")

    page.goto(f"{curator.url}/coins/?view=table")
    listed = page.locator("main").inner_text()
    assert "T-0" not in listed and "T-1" in listed
    page.goto(f"{curator.url}/coins/?view=table&disposed=only")
    assert "T-0" in page.locator("main").inner_text()
    page.goto(f"{curator.url}/stats/")
    assert Coin.objects.held().count() == 5
    assert page.locator("main").inner_text() != before
    page.goto(f"{curator.url}/coins/{coins[0].pk}/")
    assert "No longer in the collection" in page.locator("main").inner_text()


def test_remove_the_demo_data(browser, curator):  # noqa: F811
    generate_collection(coins=8, lots=16, seed=4, images=False, demo=True)
    mine = make_coin(inventory_number="MINE-1")
    page = logged_in(browser, curator)
    page.goto(f"{curator.url}/")
    page.click(".demo-banner >> text=Remove the demo data")
    page.wait_for_url(re.compile(r"/demo/remove/$"))
    page.click("#confirm-remove-demo")
    page.wait_for_url(re.compile(r"/$"))
    assert "Removed 8 demo coins" in page.locator("ul.messages").inner_text()
    assert page.locator(".demo-banner").count() == 0
    assert list(Coin.objects.all()) == [mine]
