"""A text search right after a write shows its results first and its facet counts in a second
request (coinstack.listing.facets_later): the coin list, an issuer's and a mint's coins, the lots.

What must hold: the placeholder only for a search whose counts are not cached; the facets endpoint
answers the very panel the page would have shown (same markup, same cache key, so the next page of
that search shows it inline); without JavaScript a link shows the same page with its counts; totals
still exact (kept from the lots and coins a visitor may not see); bad and hostile input answered
200; privacy and the login requirement as the lists have them.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import QueryDict

from catalog.filters import CoinFilter
from catalog.models import Coin
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_mint, make_sale
from coinstack.tests.list_pages import facet_count, results_count

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r'<div id="(?:lot-)?facets" class="facets facets-later".*?</div>', re.S)


@pytest.fixture
def lots():
    roma = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    private_house = make_sale("Secret House", "1", name="Private sale")
    bought = make_coin(inventory_number="B-1", issuer=make_issuer("Augustus"))
    made = {}
    for n in range(4):
        made[f"r{n}"] = make_lot(
            url=f"https://example.test/lots/{n}",
            house=roma.house,
            sale=roma,
            title=f"Hadrian AR Denarius {n}",
            hammer_price=Decimal(100 + n),
            currency="GBP" if n % 2 else "CHF",
            status="sold",
            closing_date=datetime(2024, 5, 2, 12, tzinfo=UTC),
        )
    # The owner's purchase: a visitor without private access neither sees nor counts it, nor learns
    # the name of its house (which has no other lot).
    made["purchase"] = make_lot(
        url="https://example.test/lots/99",
        house=private_house.house,
        sale=private_house,
        title="Augustus AR Denarius",
        hammer_price=Decimal("500"),
        currency="USD",
        status="sold",
        coin=bought,
        coin_role="acquisition",
        closing_date=datetime(2024, 6, 1, 12, tzinfo=UTC),
    )
    made["roma"], made["secret"] = roma.house, private_house.house
    return made


def panel(html: str, panel_id: str) -> str:
    """The facet panel's markup (`<div id=...>` to its end: no div nests inside it)."""
    found = re.search(rf'<div id="{panel_id}" class="facets[^"]*".*?</div>', html, re.S)
    assert found, f"no #{panel_id} panel"
    return found.group(0)


# --- the lot list --------------------------------------------------------------------------------


def test_lot_search_first_then_panel(user_client, lots):
    html = user_client.get("/auctions/?q=denarius").content.decode()
    placeholder = panel(html, "lot-facets")
    assert 'hx-get="/auctions/facets/?q=denarius"' in placeholder
    assert 'class="count"' not in placeholder
    assert results_count(html) == 5  # the owner's purchase included: this visitor may see it
    assert len(re.findall(r'class="lot-title"', html)) == 5

    filled = user_client.get("/auctions/facets/?q=denarius").content.decode().strip()
    assert re.search(r'<span class="facet-label">Roma Numismatics</span> <span class="count">4<', filled)
    assert re.search(r'<span class="facet-label">Secret House</span> <span class="count">1<', filled)
    html = user_client.get("/auctions/?q=denarius").content.decode()
    assert "facets-later" not in html
    assert panel(html, "lot-facets") == filled

    # The same panel as the page counted inline.
    cache.clear()
    inline = user_client.get("/auctions/?q=denarius&counts=1").content.decode()
    assert panel(inline, "lot-facets") == filled
    # Other filters with the search: counted total, panel later, the chosen house kept and named.
    cache.clear()
    html = user_client.get(f"/auctions/?q=denarius&currency=GBP&house={lots['roma'].pk}").content.decode()
    placeholder = panel(html, "lot-facets")
    assert f'<input type="hidden" name="house" value="{lots["roma"].pk}">' in placeholder
    assert '<input type="hidden" name="currency" value="GBP">' in placeholder
    assert results_count(html) == 2
    assert "Roma Numismatics" in html[html.index('class="active-filters"') :]


def test_lot_search_total_and_panel_without_private_access(client, lots, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    html = client.get("/auctions/?q=denarius").content.decode()
    assert "facets-later" in html
    assert results_count(html) == 4  # the owner's purchase is neither listed nor counted
    filled = client.get("/auctions/facets/?q=denarius").content.decode()
    assert "Secret House" not in filled
    # Choosing the private purchase's house by id names it nowhere, placeholder or panel.
    cache.clear()
    html = client.get(f"/auctions/?q=denarius&house={lots['secret'].pk}").content.decode()
    assert "Secret House" not in html
    assert results_count(html) == 0
    assert (
        "Secret House"
        not in client.get(f"/auctions/facets/?q=denarius&house={lots['secret'].pk}").content.decode()
    )


def test_lot_placeholder_only_for_counts_no_kept_count_serves(user_client, lots):
    # The kept lot counts (auctions.lot_counts) serve status, house and currency, and a search
    # without words (it leaves the list as it is).
    roma = lots["roma"].pk
    kept = (
        "/auctions/",
        "/auctions/?status=sold",
        f"/auctions/?currency=GBP&house={roma}",
        "/auctions/?q=%2A%2A",
    )
    for path in kept:
        cache.clear()
        html = user_client.get(path).content.decode()
        assert "facets-later" not in html, path
        assert 'class="count"' in panel(html, "lot-facets"), path
    # A date or price range is counted over the lots it lets through: its lots first, then the
    # panel from the facets endpoint, the same as the page with its counts; the total exact.
    for query in ("date_from=2024-05-01", "price_min=102&status=sold"):
        cache.clear()
        html = user_client.get(f"/auctions/?{query}").content.decode()
        placeholder = panel(html, "lot-facets")
        assert 'class="count"' not in placeholder, query
        assert 'hx-get="/auctions/facets/?{}"'.format(query.replace("&", "&amp;")) in placeholder, query
        listed = 5 if query.startswith("date") else 3  # the purchase (June) included; 102, 103, 500
        assert results_count(html) == listed, query
        cache.clear()
        inline = user_client.get(f"/auctions/?{query}&counts=1").content.decode()
        cache.clear()
        filled = user_client.get(f"/auctions/facets/?{query}").content.decode().strip()
        assert panel(inline, "lot-facets") == filled, query


@pytest.mark.parametrize(
    "query",
    ["q=denarius&house=abc", "q=denarius&currency=EURO", "q=denarius&date_from=yesterday", "q=" + "x" * 5000],
)
def test_lot_endpoint_answers_bad_input(user_client, lots, query):
    response = user_client.get(f"/auctions/facets/?{query}")
    assert response.status_code == 200
    if "x" * 10 not in query:
        assert "Left out of these counts" in response.content.decode()
    assert user_client.get(f"/auctions/?{query}").status_code == 200


def test_lot_htmx_search_login_and_no_javascript(client, user_client, lots):
    response = user_client.get("/auctions/?q=denarius&sort=", headers={"HX-Request": "true"})
    placeholder = panel(response.content.decode(), "lot-facets")
    assert 'hx-swap-oob="true"' in placeholder and 'hx-get="/auctions/facets/?q=denarius"' in placeholder
    assert response["HX-Push-Url"] == "/auctions/?q=denarius"
    link = re.search(r'<a href="([^"]+)">Show counts</a>', placeholder).group(1)
    assert link == "/auctions/?q=denarius&amp;counts=1"
    cache.clear()
    html = user_client.get(link.replace("&amp;", "&")).content.decode()
    assert 'class="count"' in panel(html, "lot-facets") and "counts=" not in html
    # The endpoint asks for a login as the list does (public browsing off).
    client.logout()
    assert client.get("/auctions/facets/?q=denarius").status_code == 302


def test_a_facets_endpoint_is_as_public_as_its_list(client, lots, settings):
    """Whatever the allow-list of public pages, a list's facets endpoint follows the list."""
    settings.COINSTACK_PUBLIC_BROWSING = True
    settings.COINSTACK_PUBLIC_PATHS = [r"^/auctions/$"]
    assert client.get("/auctions/?q=denarius").status_code == 200
    assert client.get("/auctions/facets/?q=denarius").status_code == 200
    assert client.get("/coins/?q=denarius").status_code == 302
    assert client.get("/coins/facets/?q=denarius").status_code == 302


@pytest.fixture
def coins():
    hadrian = make_issuer("Hadrian")
    trajan = make_issuer("Trajan")
    rome = make_mint("Rome")
    made = {}
    for n in range(5):
        made[f"h{n}"] = make_coin(
            inventory_number=f"H-{n}",
            issuer=hadrian,
            mint=rome,
            metal="silver" if n % 2 else "bronze",
            obverse_legend="IMP CAES TRAIAN HADRIANO AVG",
        )
    made["t"] = make_coin(
        inventory_number="T-1", issuer=trajan, mint=rome, metal="gold", obverse_legend="IMP CAES NERVA TRAIAN"
    )
    # Sold: a search of the coin list (held coins) leaves it out, and so must its total.
    made["sold"] = make_coin(
        inventory_number="S-1",
        issuer=hadrian,
        mint=rome,
        obverse_legend="IMP CAES HADRIANVS",
        disposal="sold",
    )
    made["hadrian"], made["trajan"], made["rome"] = hadrian, trajan, rome
    return made


# --- the coin list -----------------------------------------------------------------------------------


def test_search_first_shows_results_then_the_endpoint_fills_the_panel(user_client, coins):
    html = user_client.get("/coins/?q=CAES").content.decode()
    placeholder = panel(html, "facets")
    assert 'hx-get="/coins/facets/?q=CAES"' in placeholder
    assert 'hx-trigger="load"' in placeholder
    assert 'hx-target="this"' in placeholder and 'hx-swap="outerHTML"' in placeholder
    assert 'class="count"' not in placeholder  # no counts yet
    # The results and their total come first, and the total is exact: the sold coin matches the
    # search but the list (held coins) leaves it out.
    assert results_count(html) == 6
    assert html.count('class="coin-card"') == 6

    answer = user_client.get("/coins/facets/?q=CAES")
    assert answer.status_code == 200
    filled = answer.content.decode().strip()
    assert filled.startswith('<div id="facets" class="facets">')
    assert facet_count(filled, "metal", "silver") == 2
    assert facet_count(filled, "metal", "gold") == 1

    # The endpoint cached the panel under the page's key: the page now renders it inline, the same.
    html = user_client.get("/coins/?q=CAES").content.decode()
    assert "facets-later" not in html
    assert panel(html, "facets") == filled
    # And the next page of that search too.
    html = user_client.get("/coins/?q=CAES&per_page=2&page=2").content.decode()
    assert "facets-later" not in html


def test_the_endpoint_panel_is_the_inline_panel(user_client, coins):
    query = f"q=HADRIANO&metal=silver&issuer={coins['hadrian'].pk}&sort=-year"
    cache.clear()
    inline = user_client.get(f"/coins/?{query}&counts=1").content.decode()
    assert "facets-later" not in inline
    cache.clear()
    filled = user_client.get(f"/coins/facets/?{query}").content.decode().strip()
    assert panel(inline, "facets") == filled
    # Counted with the other filters, as the inline panel counts: 2 silver Hadrians of 3 HADRIANO coins.
    assert facet_count(filled, "metal", "silver") == 2
    assert facet_count(filled, "metal", "bronze") == 3


def test_placeholder_only_for_uncached_counts_no_kept_count_serves(user_client, coins):
    # The kept counts (catalog.tallies) serve no filter, a category or metal, a date range, and a
    # search without words (it leaves the list as it is): the panel comes with the page.
    kept = (
        "/coins/",
        "/coins/?metal=silver",
        "/coins/?category=roman_imperial&metal=silver",
        "/coins/?q=%21%21%21",
        "/coins/?q=+",
        "/coins/?q=%21%21%21&metal=silver",
    )
    for path in kept:
        cache.clear()
        html = user_client.get(path).content.decode()
        assert "facets-later" not in html, path
        assert 'class="count"' in panel(html, "facets"), path
    # A date range (kept per year, catalog 0019), here one that finds no coin: an empty panel, at once.
    cache.clear()
    assert "facets-later" not in user_client.get("/coins/?year_from=AD+100&year_to=AD+200").content.decode()
    # Warm: the counts are cached by an earlier visit, so the page shows them at once.
    cache.clear()
    user_client.get("/coins/?q=CAES&counts=1")
    assert "facets-later" not in user_client.get("/coins/?q=CAES").content.decode()


def test_filters_no_kept_count_serves_show_their_coins_first(user_client, coins):
    """Right after a write, a coin list filtered beyond the kept counts (a mint, a grade, images, a
    metal with a date range) is answered without its panel, which its facets endpoint counts; its
    total is exact all the same (the sold coin left out), and the endpoint's panel is the inline one."""
    rome = coins["rome"].pk
    for query in (f"mint={rome}", "grade_min=F", "has_images=false", "metal=silver&year_from=AD+1"):
        cache.clear()
        html = user_client.get(f"/coins/?{query}").content.decode()
        placeholder = panel(html, "facets")
        assert 'class="count"' not in placeholder, query
        assert 'hx-get="/coins/facets/?{}"'.format(query.replace("&", "&amp;")) in placeholder, query
        listed = CoinFilter(QueryDict(query), queryset=Coin.objects.all()).qs.count()
        assert listed > 0, query
        assert results_count(html) == listed and html.count('class="coin-card"') == listed, query
        cache.clear()
        inline = user_client.get(f"/coins/?{query}&counts=1").content.decode()
        cache.clear()
        filled = user_client.get(f"/coins/facets/?{query}").content.decode().strip()
        assert panel(inline, "facets") == filled, query
    # Counted under the filter: Rome's held coins, by metal.
    filled = user_client.get(f"/coins/facets/?mint={rome}").content.decode()
    for metal in ("silver", "gold"):
        held = Coin.objects.held().filter(mint=rome, metal=metal).count()
        assert facet_count(filled, "metal", metal) == (held or None)


def test_an_issuers_page_counts_its_own_coins_with_the_page(user_client, coins):
    """An issuer's page groups only that issuer's coins: its panel comes with the page, whatever the
    filter."""
    html = user_client.get(f"/issuers/{coins['hadrian'].pk}/?grade_min=F").content.decode()
    assert "facets-later" not in html
    assert 'class="count"' in panel(html, "facets")


def test_without_javascript_the_link_shows_the_counts(user_client, coins):
    html = user_client.get("/coins/?q=CAES&per_page=2&page=2").content.decode()
    link = re.search(r'<a href="([^"]+)">Show counts</a>', panel(html, "facets")).group(1)
    assert link == "/coins/?q=CAES&amp;per_page=2&amp;page=2&amp;counts=1"
    cache.clear()
    html = user_client.get(link.replace("&amp;", "&")).content.decode()
    assert "facets-later" not in html
    assert 'class="count"' in panel(html, "facets")
    assert "page 2 of 3" in html
    # The parameter is no part of the list's state: no link of the page carries it on.
    assert "counts=1" not in html
    assert "counts=" not in re.sub(r'hx-get="/coins/facets/[^"]*"', "", html)


def test_htmx_search_swaps_the_placeholder_out_of_band(user_client, coins):
    response = user_client.get("/coins/?q=CAES&counts=", headers={"HX-Request": "true"})
    html = response.content.decode()
    placeholder = panel(html, "facets")
    assert 'hx-swap-oob="true"' in placeholder and 'hx-trigger="load"' in placeholder
    assert response["HX-Push-Url"] == "/coins/?q=CAES"
    # Asked with the parameter, the pushed URL leaves it out all the same.
    response = user_client.get("/coins/?q=CAES&counts=1", headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/coins/?q=CAES"
    assert "facets-later" not in response.content.decode()


def test_chosen_choices_stay_in_the_form_and_the_summary(user_client, coins):
    hadrian = coins["hadrian"].pk
    html = user_client.get(f"/coins/?q=CAES&issuer={hadrian}&metal=silver").content.decode()
    placeholder = panel(html, "facets")
    assert f'<input type="hidden" name="issuer" value="{hadrian}">' in placeholder
    assert '<input type="hidden" name="metal" value="silver">' in placeholder
    # The "active filters" line names them, as it does from the full panel.
    summary = html[html.index('class="active-filters"') :]
    assert "Hadrian" in summary and "Silver" in summary
    assert results_count(html) == 2


def test_issuer_and_mint_pages(user_client, coins):
    hadrian, rome = coins["hadrian"].pk, coins["rome"].pk
    html = user_client.get(f"/issuers/{hadrian}/?q=CAES").content.decode()
    assert f'hx-get="/issuers/{hadrian}/facets/?q=CAES"' in panel(html, "facets")
    assert results_count(html) == 5
    filled = user_client.get(f"/issuers/{hadrian}/facets/?q=CAES").content.decode().strip()
    assert 'name="issuer"' not in filled  # the issuer page hides its own facet, as inline
    assert panel(user_client.get(f"/issuers/{hadrian}/?q=CAES").content.decode(), "facets") == filled
    html = user_client.get(f"/mints/{rome}/?q=CAES").content.decode()
    assert f'hx-get="/mints/{rome}/facets/?q=CAES"' in panel(html, "facets")
    assert user_client.get(f"/mints/{rome}/facets/?q=CAES").status_code == 200
    assert user_client.get("/issuers/999999/facets/?q=CAES").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "q=CAES&year_from=not+a+year",
        "q=CAES&issuer=abc",
        "q=CAES&issuer=99999999999999999999999",
        "q=CAES&page=-1&per_page=100000",
        "q=" + "CAES+" * 500,
        "q=%22%29%28*%5ENEAR+OR+1%3D1--",
        "q=CAES&sort=nonsense&view=x",
        "metal=unobtainium",
    ],
)
def test_endpoint_answers_bad_input_with_the_form_errors(user_client, coins, query):
    response = user_client.get(f"/coins/facets/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if "year_from" in query or "issuer=" in query or "metal=" in query:
        assert "Left out of these counts" in html
    assert user_client.get(f"/coins/?{query}").status_code == 200


def test_private_search_and_facets_stay_private(client, coins, settings):
    coins["h0"].notes = "SECRETWORD from grandfather"
    coins["h0"].save()
    # Without public browsing, the endpoint asks for a login, as the list does.
    assert client.get("/coins/facets/?q=CAES").status_code == 302
    assert client.get("/auctions/facets/?q=denarius").status_code == 302
    settings.COINSTACK_PUBLIC_BROWSING = True
    assert client.get("/coins/facets/?q=CAES").status_code == 200
    assert client.get(f"/issuers/{coins['hadrian'].pk}/facets/?q=CAES").status_code == 200
    # A visitor's search does not look into the private column: nothing found, nothing counted.
    html = client.get("/coins/?q=SECRETWORD").content.decode()
    assert results_count(html) == 0
    filled = client.get("/coins/facets/?q=SECRETWORD").content.decode()
    assert 'class="count"' not in filled
