"""End-to-end: the coin list and a coin's page in a real browser (Playwright driving Debian's chromium).

Covers what only a browser shows: HTMX swaps that update results and facet counts in place, the URL
pushed to history, Back restoring the previous state, reload rendering the same state, paging,
opening a coin and its full-size image, and no console errors (a CSP-blocked inline script or style
would show up there).
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connections

from catalog.tests.factories import make_coin, make_denomination, make_image, make_issuer, make_mint

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-staple"  # test-only account

pytestmark = [
    pytest.mark.e2e,
    # A developer's machine may lack the browser; CI installs it (.ci/run), so there it must be found.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="/usr/bin/chromium is not installed"
    ),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
    # thread with a running loop unless told it is safe (it is: the loop only talks to the browser).
    # Set for these tests only, so no other test (the deploy check's subprocess) inherits it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps this thread's database connections apart
            # from the thread's own (asgiref's Local follows the running loop): those the test's
            # fixtures opened here are closed here, or PostgreSQL refuses to drop the test database
            # at the end of the run ("being accessed by other users").
            connections.close_all()


@pytest.fixture
def collection(transactional_db, live_server):
    """60 coins: more than one page of 48; silver and bronze; two issuers; one Hadrian with images."""
    User.objects.create_user("collector", password=PASSWORD)
    image_url = f"{live_server.url}/static/img/coin-placeholder.svg"
    trajan = make_issuer("Trajan", reign_start=98, reign_end=117)
    hadrian = make_issuer("Hadrian", reign_start=117, reign_end=138)
    rome = make_mint("Rome")
    denarius = make_denomination("Denarius")
    for n in range(60):
        make_coin(
            inventory_number=f"E-{n:02d}",
            issuer=trajan if n % 2 else hadrian,
            mint=rome,
            denomination=denarius,
            metal="silver" if n % 3 else "bronze",
            year_start=100 + n,
            year_end=100 + n,
            obverse_legend="IMP TRAIANO AVG GER DAC P M TR P",
        )
    special = make_coin(
        inventory_number="H-1",
        issuer=hadrian,
        mint=rome,
        metal="silver",
        obverse_legend="IMP•CAES•TRAIAN•HADRIANO•AVG",
        year_start=119,
        year_end=122,
    )
    make_image(special, is_primary=True, source_url=image_url + "?primary")
    make_image(special, kind="reverse", source_url=image_url + "?reverse")
    return {"trajan": trajan, "hadrian": hadrian, "special": special}


def wait_for_location(page, pattern: str) -> None:
    """Wait until the address bar matches `pattern` (pushState fires no load event to wait for).

    Playwright's `expect` polls from outside the page, so the page's CSP (no 'unsafe-eval') allows it,
    where `wait_for_function` would need eval.
    """
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(pattern))


def wait_for_count(page, text: str) -> None:
    """Wait until the results count reads `text` ("41", or "page 2 of 2" for the whole line)."""
    from playwright.sync_api import expect

    if text.isdigit():
        expect(page.locator(".results-count strong")).to_have_text(text)
    else:
        expect(page.locator(".results-count")).to_contain_text(text)


def results_count(page) -> int:
    return int(page.locator(".results-count strong").inner_text())


def test_browse_filter_back_reload_search_page_and_open(browser, live_server, collection):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on("response", lambda r: console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    # Log in through the login page, as a later pass requires for every page.
    page.goto(f"{live_server.url}/accounts/login/?next=/coins/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/coins/$"))
    assert results_count(page) == 61

    # Filter by metal: results and the URL change in place (an HTMX swap, not a page load).
    page.evaluate("window.__sameDocument = true")
    # click(), not check(): check() reads the box again after clicking, and the swap it starts may
    # already have replaced the box (a chosen facet comes back as a hidden input).
    page.click("input[name=metal][value=silver]")
    wait_for_location(page, r"/coins/\?metal=silver$")
    wait_for_count(page, "41")
    assert page.evaluate("window.__sameDocument") is True
    # Facet counts were swapped too: the issuer counts now count silver coins only.
    hadrian_count = page.locator(f"input[name=issuer][value='{collection['hadrian'].pk}'] ~ .count")
    assert hadrian_count.inner_text() == "21"

    # And by issuer.
    page.click(f"input[name=issuer][value='{collection['trajan'].pk}']")
    wait_for_location(page, rf"metal=silver&issuer={collection['trajan'].pk}$")
    wait_for_count(page, "20")

    # Back restores the silver-only state, with the issuer box unchecked again.
    page.go_back()
    wait_for_location(page, r"/coins/\?metal=silver$")
    wait_for_count(page, "41")
    assert not page.is_checked(f"input[name=issuer][value='{collection['trajan'].pk}']")
    assert page.is_checked("input[name=metal][value=silver]")

    # A reload of the pushed URL renders the same page.
    page.reload()
    assert results_count(page) == 41
    assert page.is_checked("input[name=metal][value=silver]")

    # Search a legend word.
    page.goto(f"{live_server.url}/coins/")
    page.fill("#id_q", "HADRIANO")
    wait_for_location(page, r"q=HADRIANO")
    wait_for_count(page, "1")
    assert "H-1" in page.locator("#results").inner_text()

    # Page forward.
    page.goto(f"{live_server.url}/coins/?sort=year")
    assert "page 1 of 2" in page.locator(".results-count").inner_text()
    page.click(".pager a[rel=next]")
    wait_for_location(page, r"sort=year&page=2$")
    wait_for_count(page, "page 2 of 2")
    assert page.locator(".coin-card").count() == 13

    # Open a coin from the filtered list, then its full-size image.
    page.goto(f"{live_server.url}/coins/?q=HADRIANO")
    page.click(".coin-card a")
    page.wait_for_url(re.compile(rf"/coins/{collection['special'].pk}/\?from="))
    assert "IMP•CAES•TRAIAN•HADRIANO•AVG" in page.locator(".design").inner_text()
    assert page.locator(".thumbs img").count() == 1
    with page.expect_navigation() as navigation:
        page.click("#primary-image-link")
    assert navigation.value.status == 200
    assert page.url.endswith("coin-placeholder.svg?primary")

    assert console_errors == []
    context.close()


def test_phone_layout_and_no_javascript(browser, live_server, collection):
    # JavaScript off: the filter form submits as a plain GET and the server renders the result.
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{live_server.url}/coins/")
    page.click("summary.filters-toggle")  # the filter panel opens over the results (details/summary)
    page.check("input[name=metal][value=bronze]")
    page.click("#coin-filters button[type=submit]")
    page.wait_for_url(re.compile(r"metal=bronze"))
    assert results_count(page) == 20
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_search_counts_arrive_after_the_results(browser, live_server, collection):
    """A text search right after a write shows its results first; htmx then asks the facets
    endpoint and the counts appear in the panel (coinstack.listing.facets_later): after a search
    typed in the form (the placeholder swapped out-of-band) and on a page loaded whole. Without
    JavaScript, the placeholder's link shows the same page with its counts."""
    from datetime import UTC, datetime

    from playwright.sync_api import expect

    from catalog.tests.factories import make_lot, make_sale

    roma = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    for n in range(3):
        make_lot(
            url=f"https://example.test/lots/{n}",
            house=roma.house,
            sale=roma,
            title=f"Trajan AR Denarius {n}",
            currency="CHF",
            status="sold" if n else "unsold",
            closing_date=datetime(2024, 5, 2, 12, tzinfo=UTC),
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    facet_requests: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: facet_requests.append(r.url) if "/facets/" in r.url else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/coins/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/coins/$"))

    # Typed in the search box: an HTMX swap of the results, then the counts in a second request.
    page.evaluate("window.__sameDocument = true")
    page.fill("#id_q", "TRAIANO")
    wait_for_location(page, r"/coins/\?q=TRAIANO$")
    wait_for_count(page, "60")
    expect(page.locator("#facets input[name=metal][value=silver] ~ .count")).to_have_text("40")
    expect(page.locator("#facets input[name=metal][value=bronze] ~ .count")).to_have_text("20")
    hadrian = collection["hadrian"].pk
    expect(page.locator(f"#facets input[name=issuer][value='{hadrian}'] ~ .count")).to_have_text("30")
    # An element swapped in with the placeholder's id wears the placeholder's attributes (its class
    # too) until htmx settles the swap (for CSS transitions): wait for the class to go, not read once.
    expect(page.locator(".facets-later")).to_have_count(0)
    assert any(url.endswith("/coins/facets/?q=TRAIANO") for url in facet_requests), facet_requests
    assert page.evaluate("window.__sameDocument") is True

    # A lot search loaded whole: the placeholder asks as soon as the page is in.
    page.goto(f"{live_server.url}/auctions/?q=denarius")
    assert results_count(page) == 3
    expect(page.locator("#lot-facets input[name=status][value=sold] ~ .count")).to_have_text("2")
    expect(page.locator("#lot-facets input[name=currency][value=CHF] ~ .count")).to_have_text("3")
    assert any(url.endswith("/auctions/facets/?q=denarius") for url in facet_requests), facet_requests
    assert problems == [], "\n".join(problems)
    context.close()

    # Without JavaScript: the link in the placeholder.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/coins/")
    page.fill("#id_username", "collector")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/coins/$"))
    page.goto(f"{live_server.url}/coins/?q=HADRIANO")
    assert page.locator("#facets .count").count() == 0
    page.click("text=Show counts")
    page.wait_for_url(re.compile(r"q=HADRIANO&counts=1$"))
    assert page.locator("#facets input[name=metal][value=silver] ~ .count").inner_text() == "1"
    context.close()


def watch(page) -> tuple[list[str], list[str]]:
    """The page's problems (console errors, uncaught errors, answers of 400 and more) and the
    requests for a coin's lots endpoint, as they happen."""
    problems: list[str] = []
    lots_requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: lots_requests.append(r.url) if r.url.endswith("/lots/") else None)
    return problems, lots_requests


def test_a_coins_lots_and_value_arrive_after_its_page(browser, live_server, collection):
    """A coin's first visit after a write shows the coin and asks for its lots and value in a second
    request, which htmx swaps in (catalog.coin_lots); without JavaScript the placeholder's link
    shows the page with them."""
    from datetime import date
    from decimal import Decimal

    from playwright.sync_api import expect

    from catalog.tests.factories import make_lot, make_lots_citing, make_reference, make_sale

    special = collection["special"]
    make_reference(special, "RIC II 42", system="RIC", volume="II", number="42")
    roma = make_sale("Roma Numismatics", "27", name="Auction XXVII", date=date(2024, 5, 2))
    make_lots_citing(
        roma, [Decimal(500 + n) for n in range(3)], title="Hadrian AR Denarius, the same type",
        currency="CHF", system="RIC", volume="II", number="42",
    )  # fmt: skip
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        problems, lots_requests = watch(page)
        page.goto(f"{live_server.url}/accounts/login/?next=/coins/")
        page.fill("#id_username", "collector")
        page.fill("#id_password", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/coins/$"))
        make_lot(url=f"https://example.test/other/{javascript}", title="A write: nothing is cached")
        page.goto(f"{live_server.url}/coins/{special.pk}/")
        if javascript:
            expect(page.locator("#coin-lots .coin-value")).to_contain_text(
                "Recency-weighted median of 3 sales"
            )
            expect(page.locator("#coin-lots")).to_contain_text("Hadrian AR Denarius, the same type 2")
            expect(page.locator(".coin-lots-later")).to_have_count(0)  # once htmx has settled the swap
            assert lots_requests == [f"{live_server.url}/coins/{special.pk}/lots/"], lots_requests
        else:
            assert page.locator(".coin-lots-later").count() == 1 and lots_requests == []
            page.click("text=Show its lots and value")
            page.wait_for_url(re.compile(r"\?lots=1#coin-lots$"))
            assert "Hadrian AR Denarius, the same type 2" in page.locator("#coin-lots").inner_text()
        assert problems == [], "\n".join(problems)
        context.close()
