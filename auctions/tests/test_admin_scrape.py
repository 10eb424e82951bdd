"""Staff scrape from the admin: one URL from the lot list, or a coin's acquisition URL."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from auctions.models import AuctionLot
from auctions.tests.test_scraping_store import FIXTURES, at, web  # noqa: F401  (web is a fixture)
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db


def serve_cng_lot(server) -> str:
    server.expect_request("/Coin.aspx").respond_with_data(
        (FIXTURES / "cng-coinaspx-lot.html").read_bytes(), content_type="text/html"
    )
    return at(server, "www.cngcoins.com", "/Coin.aspx?CoinID=60511")


def test_scrape_one_url_from_the_admin_links_the_coin(admin_client, web):  # noqa: F811
    url = serve_cng_lot(web)
    coin = make_coin()
    page = admin_client.get(reverse("admin:auctions_auctionlot_changelist"))
    assert reverse("admin:auctions_auctionlot_scrape") in page.content.decode()
    response = admin_client.post(
        reverse("admin:auctions_auctionlot_scrape"), {"url": url, "coin": coin.pk, "role": "comparable"}
    )
    lot = AuctionLot.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:auctions_auctionlot_change", args=[lot.pk]
    )
    assert (lot.coin, lot.coin_role, lot.weight_g is not None) == (coin, "comparable", True)


def test_scrape_a_coins_acquisition_url_from_the_coin_list(admin_client, web):  # noqa: F811
    coin = make_coin(acquisition_url=serve_cng_lot(web))
    admin_client.post(
        reverse("admin:catalog_coin_changelist"),
        {"action": "scrape_acquisition_url", ACTION_CHECKBOX_NAME: [coin.pk]},
    )
    lot = AuctionLot.objects.get()
    assert (lot.coin, lot.coin_role, lot.status) == (coin, "acquisition", "sold")


def test_a_failing_url_is_reported_and_writes_nothing(admin_client, web):  # noqa: F811
    web.expect_request("/Coin.aspx").respond_with_data("gone", status=404)
    response = admin_client.post(
        reverse("admin:auctions_auctionlot_scrape"),
        {"url": at(web, "www.cngcoins.com", "/Coin.aspx?CoinID=1")},
        follow=True,
    )
    assert "not found (HTTP 404)" in response.content.decode()
    assert AuctionLot.objects.count() == 0
