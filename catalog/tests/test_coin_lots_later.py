"""A coin's page leaves its lots and value to a second request when they are not cached
(catalog.coin_lots): the first visit after a write.

What must hold: the placeholder only when the section is not cached; the lots endpoint answers the
very section the page would have shown (same markup, same cache key, so the page's next visit shows
it inline); without JavaScript a link shows the same page, with its list context, and the section;
a write brings the placeholder back; the endpoint as public as the page, the owner's value never
shown to a visitor; an unknown coin a 404.
"""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client

from catalog.tests.factories import make_coin, make_lot, make_lots_citing, make_reference, make_sale

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r'<div id="coin-lots" class="coin-lots coin-lots-later".*?</div>', re.S)


@pytest.fixture
def coin():
    """A coin citing RIC I 207, with another lot of that type sold three times over."""
    coin = make_coin(inventory_number="A-1", metal="silver")
    make_reference(coin, "RIC I 207", system="RIC", volume="I", number="207")
    sale = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    make_lots_citing(
        sale, [Decimal(1000)] * 3, title="Augustus denarius, same type", currency="EUR",
        system="RIC", volume="I", number="207",
    )  # fmt: skip
    return coin


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_first_visit_asks_for_the_section_and_the_next_shows_it(user_client, coin):
    cache.clear()
    html = page(user_client, f"/coins/{coin.pk}/")
    placeholder = PLACEHOLDER.search(html)
    assert placeholder, "no placeholder"
    assert f'hx-get="/coins/{coin.pk}/lots/"' in placeholder[0] and 'hx-trigger="load"' in placeholder[0]
    assert "Comparable lots" not in html and 'id="value"' not in html
    section = page(user_client, f"/coins/{coin.pk}/lots/")
    assert "Augustus denarius, same type 0" in section and 'id="value"' in section
    # Cached by the endpoint: the page shows the very same markup, and no placeholder.
    again = page(user_client, f"/coins/{coin.pk}/")
    assert section.strip() in again and not PLACEHOLDER.search(again)


def test_a_write_brings_the_placeholder_back(user_client, coin):
    page(user_client, f"/coins/{coin.pk}/lots/")
    assert not PLACEHOLDER.search(page(user_client, f"/coins/{coin.pk}/"))
    make_lot(url="https://example.test/lots/new", title="A new lot")  # the market changed
    assert PLACEHOLDER.search(page(user_client, f"/coins/{coin.pk}/"))


def test_without_javascript_the_link_shows_the_page_with_its_section(user_client, coin):
    cache.clear()
    other = make_coin(inventory_number="A-2", metal="silver")
    listed = f"/coins/{coin.pk}/?from={quote('metal=silver')}&pos=0"
    link = re.search(r'<a href="([^"]+)">Show its lots and value</a>', page(user_client, listed))[1]
    assert link == f"/coins/{coin.pk}/?from=metal%3Dsilver&amp;pos=0&amp;lots=1#coin-lots"
    html = page(user_client, link.replace("&amp;", "&"))
    assert not PLACEHOLDER.search(html)
    assert "Augustus denarius, same type 0" in html and 'id="value"' in html
    # The list context is kept: the next coin of the list is one step away.
    assert f'href="/coins/{other.pk}/?from=metal%3Dsilver&amp;pos=1"' in html


def test_the_section_is_as_public_as_the_page(client, coin, settings):
    settings.COINSTACK_PUBLIC_BROWSING = False
    response = client.get(f"/coins/{coin.pk}/lots/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    settings.COINSTACK_PUBLIC_BROWSING = True
    section = page(client, f"/coins/{coin.pk}/lots/")
    # A visitor sees the sales of the type, not the owner's value of the coin.
    assert "Augustus denarius, same type 0" in section and 'id="value"' not in section
    assert "and value" not in page(Client(), f"/coins/{coin.pk}/")


def test_the_owners_cached_section_is_not_a_visitors(user_client, coin, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    assert 'id="value"' in page(user_client, f"/coins/{coin.pk}/lots/")
    html = page(Client(), f"/coins/{coin.pk}/?lots=1")
    assert "Augustus denarius, same type 0" in html and 'id="value"' not in html


def test_an_unknown_coin_and_other_methods(user_client, coin):
    assert user_client.get("/coins/999999/lots/").status_code == 404
    assert user_client.post(f"/coins/{coin.pk}/lots/").status_code == 405
    # `lots` takes no value the page reads beyond "asked": anything non-empty shows the section.
    assert not PLACEHOLDER.search(page(user_client, f"/coins/{coin.pk}/?lots=%00%F0%9F%92%A5"))
