"""End-to-end: a curator adds an auction lot from pasted page text and links it to a coin, in a real
browser (Playwright driving Debian's chromium, as catalog/tests/test_e2e_browser.py does)."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from auctions.models import AuctionLot
from catalog.tests.factories import make_coin
from catalog.tests.test_e2e_browser import CHROMIUM, PASSWORD, browser  # noqa: F401  (browser is a fixture)

PAGE_TEXT = (
    Path(__file__).resolve().parents[2] / "numismatics" / "tests" / "data" / "page-text" / "mdc-style-lot.txt"
).read_text(encoding="utf-8")
URL = "https://www.mdc.mc/en/vente-15/lot-57"

pytestmark = [
    pytest.mark.e2e,
    # As in the catalog's browser test: a developer's machine may lack chromium; CI must have it.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="/usr/bin/chromium is not installed"
    ),
]


def test_add_a_lot_from_pasted_text_and_link_it_to_a_coin(browser, live_server, transactional_db):  # noqa: F811
    User.objects.create_superuser("curator", password=PASSWORD)
    coin = make_coin(inventory_number="SYR-1")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/?next=/auctions/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/auctions/$"))

    # The staff link in the navigation leads to the page.
    page.click("nav >> text=Add an auction lot")
    page.wait_for_url(re.compile(r"/auctions/add/$"))
    page.fill("#id_url", URL)
    page.fill("#id_text", PAGE_TEXT)
    page.fill("#id_coin", "SYR-1")
    page.select_option("#id_role", "acquisition")
    page.click("text=Read the page")

    # The preview marks each field found or missing, and nothing is stored yet.
    page.wait_for_selector("table.read-fields")
    assert page.locator("tr[data-field=lot_number] td").first.inner_text() == "found"
    assert page.locator("tr[data-field=title]").count() == 1
    assert AuctionLot.objects.count() == 0
    assert page.input_value("#id_lot_number") == "57"
    assert page.input_value("#id_hammer_price") == "3100"
    # The curator corrects the sale's name, then saves.
    page.fill("#id_sale_name", "Vente 15 - Monnaies antiques")
    page.click("text=Save the lot")

    page.wait_for_selector("p.summary")
    assert "The lot was created" in page.locator("p.summary").inner_text()
    lot = AuctionLot.objects.get()
    assert (lot.url, lot.lot_number, lot.coin, lot.coin_role) == (URL, "57", coin, "acquisition")
    assert (lot.sale.name, lot.hammer_price, lot.currency, lot.weight_g) == (
        "Vente 15 - Monnaies antiques",
        Decimal(3100),
        "EUR",
        Decimal("17.050"),
    )
    # The lot's page opens from the summary.
    page.click("p.summary a >> nth=0")
    page.wait_for_url(re.compile(rf"/auctions/{lot.pk}/$"))
    assert errors == []
