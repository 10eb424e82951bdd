"""The "active filters" line of the coin and lot lists: each filter named in words, each a link to
the same list without it; in the HTMX partial too; no query of its own."""

import re
from html import unescape

import pytest

from catalog.models import SeriesMembership
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_mint, make_sale, make_series

pytestmark = pytest.mark.django_db


def chips(html: str) -> dict[str, str]:
    """Chip text ("Metal: Silver (AR)") -> the href that removes it."""
    found = {}
    for href, label, value in re.findall(
        r'<a class="chip" href="([^"]*)"><span class="chip-label">([^<]*):</span> ([^<]*?) <span', html
    ):
        found[f"{unescape(label)}: {unescape(value)}"] = unescape(href)
    return found


@pytest.fixture
def coins():
    hadrian = make_issuer("Hadrian", reign_start=117, reign_end=138)
    rome = make_mint("Rome")
    series = make_series("Twelve Caesars", slots=1)
    first = make_coin(inventory_number="1", issuer=hadrian, mint=rome, metal="silver")
    make_coin(inventory_number="2", issuer=hadrian, mint=rome, metal="bronze")
    SeriesMembership.objects.create(series=series, coin=first)
    return {"hadrian": hadrian, "rome": rome}


def test_each_coin_filter_is_named_with_a_link_without_it(user_client, coins):
    hadrian = coins["hadrian"].pk
    url = (
        f"/coins/?q=hadr&metal=silver&metal=bronze&issuer={hadrian}&year_from=AD+100"
        "&has_images=false&in_series=twelve-caesars&sort=-year&page=1"
    )
    found = chips(user_client.get(url).content.decode())
    assert set(found) == {
        "Search: “hadr”",
        "Metal: Silver (AR)",
        "Metal: Bronze (AE)",
        "Issuer: Hadrian",
        "Date from: AD 100",
        "Images: without images",
        "Series: Twelve Caesars",
    }
    assert found["Metal: Silver (AR)"] == (
        f"/coins/?q=hadr&metal=bronze&issuer={hadrian}&year_from=AD+100"
        "&has_images=false&in_series=twelve-caesars&sort=-year"
    )
    assert found["Issuer: Hadrian"].startswith("/coins/?q=hadr&metal=silver&metal=bronze&year_from=")
    # Following a link removes exactly that filter.
    html = user_client.get(found["Series: Twelve Caesars"]).content.decode()
    assert "Series: Twelve Caesars" not in chips(html) and "Metal: Silver (AR)" in chips(html)


def test_remove_all_keeps_the_order_and_view(user_client, coins):
    html = user_client.get("/coins/?metal=silver&storage=Slab&view=table&sort=year").content.decode()
    assert 'href="/coins/?sort=year&amp;view=table">Remove all filters</a>' in html
    assert "Storage: Slab" in chips(html)


def test_no_line_without_filters_and_none_for_unreadable_values(user_client, coins):
    html = user_client.get("/coins/?sort=year&year_from=yesterday").content.decode()
    assert 'class="active-filters"' not in html
    assert "could not be read" in html


def test_the_htmx_partial_carries_the_line(user_client, coins):
    html = user_client.get("/coins/?metal=silver", headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert chips(html) == {"Metal: Silver (AR)": "/coins/"}


def test_an_issuer_page_names_its_filters_within_it(user_client, coins):
    url = f"/issuers/{coins['hadrian'].pk}/"
    found = chips(user_client.get(f"{url}?metal=bronze").content.decode())
    assert found == {"Metal: Bronze (AE)": url}


@pytest.mark.parametrize("query", ["metal=silver", "in_series=twelve-caesars"])
def test_the_line_costs_no_query(user_client, django_assert_num_queries, coins, query):
    user_client.get(f"/coins/?{query}&sort=year")  # warm the data-version caches
    # Session + user (2), data version (1), the page's ids, then those coins with their primary
    # images (2: catalog.listing reads a page's ids first). The series choices, which name a series
    # chosen, are cached with the data version since the first list page.
    with django_assert_num_queries(5):
        html = user_client.get(f"/coins/?{query}").content.decode()
    assert len(chips(html)) == 1


def test_lot_filters_are_named_with_links_without_them(user_client):
    sale = make_sale("Roma Numismatics", "27")
    make_lot(url="https://example.test/l/1", house=sale.house, sale=sale, currency="GBP", title="Denarius")
    house = sale.house.pk
    found = chips(
        user_client.get(
            f"/auctions/?house={house}&currency=GBP&linked=no&q=den&sort=-hammer"
        ).content.decode()
    )
    assert found == {
        "Auction house: Roma Numismatics": "/auctions/?currency=GBP&linked=no&q=den&sort=-hammer",
        "Currency: GBP": f"/auctions/?house={house}&linked=no&q=den&sort=-hammer",
        "Linked: not to a coin": f"/auctions/?house={house}&currency=GBP&q=den&sort=-hammer",
        "Search: “den”": f"/auctions/?house={house}&currency=GBP&linked=no&sort=-hammer",
    }
