"""Every page at a phone's width (390 px) and a laptop's (1280 px): nothing wider than the screen
(tables scroll in their own box), tap targets at least 40 px high on the phone, the filter panel
opening over the results with an "apply" that says how many results it will show, and the tray
labels page for a filter. Playwright driving Debian's chromium, as the other browser tests.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from auctions.models import LotReference
from catalog.models import ProvenanceEvent, SeriesMembership
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_image,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
    make_sale,
    make_series,
)
from catalog.tests.test_e2e_browser import CHROMIUM, PASSWORD, browser  # noqa: F401  (browser is a fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
LONG_LEGEND = "IMP CAES M AVR ANTONINVS AVG P M TR P XXIIII COS III PATER PATRIAE GERMANICVS SARMATICVS"


@pytest.fixture
def site(transactional_db, live_server):
    """A collection with what makes pages wide: long legends and names, many references, a priced
    lot history, a series, spending in two currencies; a curator who may see everything."""
    User.objects.create_superuser("curator", password=PASSWORD)
    image_url = f"{live_server.url}/static/img/coin-placeholder.svg"
    aurelius = make_issuer("Marcus Aurelius", dynasty="Nerva-Antonine", reign_start=161, reign_end=180)
    faustina = make_issuer(
        "Faustina the Younger", kind="empress", dynasty="Nerva-Antonine", reign_start=147, reign_end=175
    )
    rome = make_mint("Rome", active_start=-289, active_end=476)
    make_mint("Colonia Claudia Ara Agrippinensium")
    denarius = make_denomination("Denarius")
    sestertius = make_denomination("Sestertius")
    series = make_series("Antonine women and their husbands", slots=6)
    sale = make_sale("Classical Numismatic Group", "120", name="Triton XXVII", date=date(2024, 1, 10))
    coins = []
    for n in range(30):
        coin = make_coin(
            inventory_number=f"MA-{n:03d}-VELVET-TRAY-LONG",
            issuer=aurelius if n % 2 else faustina,
            mint=rome,
            denomination=denarius if n % 3 else sestertius,
            year_start=None if n % 5 == 0 else 170,
            year_end=None if n % 5 == 0 else 171,
            metal="" if n % 7 == 0 else "silver",
            obverse_legend=LONG_LEGEND,
            reverse_legend="VICT GERM IMP VI COS III",
            grade="Choice VF, light toning, minor scratches on the reverse",
            acquisition_price=Decimal("1250.50") + n,
            acquisition_currency="USD" if n % 2 else "EUR",
            acquisition_date=date(2023, 1, 1),
            acquisition_source="Classical Numismatic Group, Triton XXVII",
            storage_location=f"SlabBox{n % 3}-Velvet-Tray-Position-{n}",
        )
        make_image(coin, is_primary=True, source_url=image_url + f"?{n}")
        make_reference(coin, "RIC III 1021", system="RIC", volume="III", number="1021")
        make_reference(coin, "BMCRE IV 1389-1394, pl. 62, 7; Cohen 1023; Sear 5048var", position=1)
        coins.append(coin)
    coin = coins[1]
    make_image(coin, kind="reverse", source_url=image_url + "?reverse")
    for k in range(3):
        lot = make_lot(
            url=f"https://auctions.cngcoins.com/lots/view/4-I2GSGD/marcus-aurelius-ar-denarius-rome-mint-struck-ad-{k}",
            house=sale.house,
            sale=sale,
            lot_number=str(600 + k),
            title="Marcus Aurelius. AD 161-180. AR Denarius (18mm, 3.33 g, 6h). Rome mint. Struck 170. " * 2,
            description=LONG_LEGEND * 3,
            hammer_price=Decimal("1900") + k,
            estimate_low=Decimal("1000"),
            estimate_high=Decimal("1500"),
            currency="USD",
            status="sold",
            closing_date=datetime(2024, 1, 10, tzinfo=UTC),
            coin=coin if k < 2 else None,
            coin_role=("acquisition", "comparable", "")[k],
        )
        LotReference.objects.create(
            lot=lot, raw_text="RIC III 1021", system="RIC", volume="III", number="1021"
        )
        if k == 0:
            ProvenanceEvent.objects.create(
                coin=coin,
                kind="auction",
                name="CNG Triton XXVII",
                sale="Triton XXVII",
                lot="600",
                auction_lot=lot,
                order=0,
            )
    SeriesMembership.objects.create(series=series, coin=coin, slot=series.slots.first())
    return {"coin": coin, "lot": lot, "issuer": aurelius, "mint": rome, "series": series}


def pages(site) -> dict[str, str]:
    return {
        "home": "/",
        "coins grid": "/coins/",
        "coins table": "/coins/?view=table",
        "coins filtered": "/coins/?metal=silver&year_from=AD+100&q=antoninvs",
        "a coin": f"/coins/{site['coin'].pk}/",
        "issuers": "/issuers/?all=1",
        "an issuer": f"/issuers/{site['issuer'].pk}/",
        "mints": "/mints/?all=1",
        "a mint": f"/mints/{site['mint'].pk}/",
        "series": "/series/",
        "a series": f"/series/{site['series'].slug}/",
        "stats": "/stats/",
        "auctions": "/auctions/",
        "a lot": f"/auctions/{site['lot'].pk}/",
        "import": "/import/",
        "add a lot": "/auctions/add/",
        "labels": "/coins/labels/?metal=silver",
        "admin index": "/admin/",
        "admin coin change": f"/admin/catalog/coin/{site['coin'].pk}/change/",
    }


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The elements whose right edge passes the screen's, innermost first: what a failure names.
STICKING_OUT = """(width) => {
  const out = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const inside = [...element.children].some((child) => child.getBoundingClientRect().right > width + 1);
      const name = `${element.tagName.toLowerCase()}.${element.className}#${element.id}`;
      if (!inside) out.push(`${name} -> ${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 6);
}"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_no_page_is_wider_than_the_screen(browser, live_server, site, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    # The login page, before logging in.
    page.goto(f"{live_server.url}/accounts/login/")
    too_wide = {"login": (overflow(page), [])} if overflow(page) > viewport["width"] else {}
    log_in(page, live_server.url)
    for name, path in pages(site).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        width = overflow(page)
        if width > viewport["width"]:
            too_wide[name] = (width, page.evaluate(STICKING_OUT, viewport["width"]))
    assert too_wide == {}, f"pages wider than {viewport['width']} px: {too_wide}"
    context.close()


# What a finger taps: controls and the links that stand alone (not a word inside a sentence).
TAP_TARGETS = ", ".join(
    [
        "header a, header button, header input",
        "main button, main select, main summary",
        "main input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "main label:has(> input[type=checkbox]), main label:has(> input[type=radio])",
        ".pager a, .chip, .term-list a, .term-jump a, .detail-nav a, .downloads a",
        ".coin-table a, .lot-table a, .coin-card-link, .lot-title, .series-name, .slot-coin, .references a",
    ]
)
SMALL_TARGETS = """([selector, least]) => {
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (element.closest("details:not([open]) > :not(summary)")) continue;
    const text = element.textContent.trim().slice(0, 30);
    const name = `${element.tagName.toLowerCase()}.${element.className} "${text}"`;
    if (box.height < least) small.push(`${name} ${Math.round(box.height)}px`);
  }
  return small.slice(0, 8);
}"""


def test_tap_targets_are_at_least_40px_on_a_phone(browser, live_server, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    small = {"login": page.evaluate(SMALL_TARGETS, [TAP_TARGETS, 40])}
    log_in(page, live_server.url)
    for name, path in pages(site).items():
        if name.startswith("admin"):
            continue  # Django's own admin styles
        page.goto(live_server.url + path)
        small[name] = page.evaluate(SMALL_TARGETS, [TAP_TARGETS, 40])
    assert {name: found for name, found in small.items() if found} == {}
    context.close()


def test_the_filter_panel_opens_over_the_results_and_applies_with_a_count(browser, live_server, site):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/coins/")
    # Closed: the results start right below the button that opens the panel.
    assert not page.is_visible("input[name=metal][value=silver]")
    toggle = page.locator("summary.filters-toggle")
    assert toggle.bounding_box()["y"] < page.locator("#results").bounding_box()["y"]
    toggle.click()
    # Open: over the results, the whole screen, its apply button in view with the number of coins.
    form = page.locator("#coin-filters").bounding_box()
    assert form["width"] >= 389 and form["y"] < 60 and form["y"] + form["height"] >= 843
    apply = page.locator("#coin-filters button.apply")
    expect(apply).to_have_text("Apply filters: show 30 coins")
    assert apply.bounding_box()["y"] + apply.bounding_box()["height"] <= 844
    # Ticking a box updates the count behind the panel (HTMX); applying closes the panel on the result.
    page.locator("input[name=metal][value=silver]").check()
    expect(apply).to_have_text("Apply filters: show 25 coins")
    apply.click()
    expect(page.locator("details.filters-panel")).not_to_have_attribute("open", "")
    expect(page.locator(".results-count strong")).to_have_text("25")
    assert "Metal: Silver (AR)" in " ".join(page.locator(".active-filters").inner_text().split())
    # One click on the chip removes the filter again.
    page.locator(".active-filters a.chip").first.click()
    page.wait_for_url(re.compile(r"/coins/$"))
    assert page.locator(".results-count strong").inner_text() == "30"
    context.close()


def test_the_filter_panel_works_without_javascript(browser, live_server, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/auctions/")
    page.locator("summary.filters-toggle").click()
    page.select_option("#id_lot_sort", "-hammer")
    page.locator("#lot-filters button.apply").click()
    page.wait_for_url(re.compile(r"sort=-hammer"))
    assert page.locator(".lot-title").first.inner_text().startswith("Marcus Aurelius")
    assert not page.is_visible("#id_lot_sort")  # a fresh page: the panel closed again
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_coin_pages_and_lists_print_without_the_sites_frame(browser, live_server, site):  # noqa: F811
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url)
    for path in ("/coins/?metal=silver", f"/coins/{site['coin'].pk}/", "/auctions/"):
        page.emulate_media(media="screen")
        page.goto(live_server.url + path)
        assert page.is_visible(".site-header")
        page.emulate_media(media="print")
        for frame in (".site-header", ".site-footer", ".list-filters", ".detail-nav", ".pager"):
            assert not page.is_visible(frame), f"{path}: {frame} is printed"
        assert page.is_visible("h1")
    # A link off the site (the lot's listing, a catalogue's type) is written out on paper.
    page.goto(f"{live_server.url}/auctions/{site['lot'].pk}/")
    after = page.evaluate("getComputedStyle(document.querySelector('a.external'), '::after').content")
    assert "attr(href)" in after or "https://" in after
    context.close()


def test_the_labels_page_for_a_filter(browser, live_server, site):  # noqa: F811
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/coins/?metal=silver")
    page.click("a:text('Tray labels')")
    page.wait_for_url(re.compile(r"/coins/labels/\?metal=silver$"))
    assert page.locator(".tray-label").count() == 25
    first = page.locator(".tray-label").first.inner_text()
    assert "MA-001-VELVET-TRAY-LONG" in first and "Marcus Aurelius" in first and "RIC III 1021" in first
    # Letter paper, the filter kept; printed, the site's frame is gone and labels run three across.
    page.check("input[name=paper][value=letter]")
    page.click("button:text('Lay out')")
    page.wait_for_url(re.compile(r"metal=silver&paper=letter$"))
    assert page.locator(".label-sheet.paper-letter .tray-label").count() == 25
    assert page.is_visible("button[data-print]")
    page.emulate_media(media="print")
    assert not page.is_visible(".site-header") and not page.is_visible(".labels-toolbar")
    tops = [box["y"] for box in (label.bounding_box() for label in page.locator(".tray-label").all()[:4])]
    assert tops[0] == tops[1] == tops[2] < tops[3]
    assert len(page.pdf(format="Letter")) > 1000  # chromium lays it out for the print dialog
    context.close()
