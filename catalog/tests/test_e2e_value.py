"""End-to-end: a coin's value and its evidence in a real browser. The evidence is folded in a
<details>; opening it shows each comparable sale with its premium rule, rate and normalised price."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from auctions.models import LotReference
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_reference, make_sale
from catalog.tests.test_e2e_browser import CHROMIUM, PASSWORD, browser  # noqa: F401 - the fixture
from catalog.tests.test_e2e_browser import pytestmark as browser_marks

pytestmark = browser_marks


@pytest.fixture
def valued_coin(transactional_db, live_server):
    User.objects.create_user("collector", password=PASSWORD)
    coin = make_coin(inventory_number="V-1", issuer=make_issuer("Augustus"), grade="VF", grade_band=70)
    make_reference(coin, "RIC I 207", system="RIC", volume="I", number="207")
    sale = make_sale("Leu", "12", date=dt.date(2020, 5, 1))
    for n, hammer in enumerate(("900", "1000", "1100")):
        lot = make_lot(
            url=f"https://example.test/{n}", sale=sale, house=sale.house, hammer_price=Decimal(hammer),
            currency="USD", status="sold", grade="Good VF", grade_band=73, lot_number=str(n + 1),
        )  # fmt: skip
        LotReference.objects.create(lot=lot, raw_text="RIC I 207", system="RIC", volume="I", number="207")
    return coin


def test_open_the_value_evidence(browser, live_server, valued_coin):  # noqa: F811
    page = browser.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/coins/{valued_coin.pk}/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(rf"/coins/{valued_coin.pk}/$"))

    panel = page.locator("#value")
    assert "same type, similar grade" in panel.inner_text()
    evidence = panel.locator("details.value-evidence")
    table = evidence.locator("table.evidence")
    assert not table.is_visible()  # folded until asked for
    evidence.locator("summary").click()
    table.wait_for(state="visible")
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    text = table.inner_text()
    assert "1,000 USD" in text and "1 May 2020" in text
    assert "the default premium" in text and "nearest earlier" in text  # 1 May: no ECB fixing
    assert console_errors == []
    page.close()
