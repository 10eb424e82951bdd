"""The curators' admin: every list page at a fixed query count, the merge and primary-image actions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auctions.models import AuctionHouse
from catalog.models import CoinImage, ProvenanceEvent, SeriesMembership
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
from vocab.models import Mint

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    "catalog_coin",
    "catalog_coinimage",
    "catalog_reference",
    "catalog_provenanceevent",
    "catalog_series",
    "catalog_seriesmembership",
    "vocab_issuer",
    "vocab_mint",
    "vocab_denomination",
    "auctions_auctionhouse",
    "auctions_sale",
    "auctions_auctionlot",
    "catalog_seriesslot",
    "vocab_issueralias",
    "auctions_lotreference",
]


def populate(n: int) -> None:
    """n rows in every admin list, each with its related objects."""
    start = len(ADMIN_LISTS) * 1000 + CoinImage.objects.count()
    series = make_series(name=f"Series {start}", slots=n)
    slots = list(series.slots.all())
    for i in range(n):
        issuer = make_issuer(f"Issuer {start + i}", reign_start=100 + i, reign_end=120 + i)
        mint = make_mint(f"Mint {start + i}")
        denomination = make_denomination(f"Denomination {start + i}")
        coin = make_coin(issuer=issuer, mint=mint, denomination=denomination, inventory_number=f"{start + i}")
        make_image(coin, is_primary=True)
        make_reference(coin, f"RIC II {i}")
        ProvenanceEvent.objects.create(coin=coin, name=f"Collection {i}")
        SeriesMembership.objects.create(series=series, coin=coin, slot=slots[i])
        sale = make_sale(house_name=f"House {start + i}", number=str(i))
        make_lot(url=f"https://example.com/lot/{start + i}", coin=coin, house=sale.house, sale=sale)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_admin_list_runs_a_fixed_number_of_queries(admin_client, model):
    url = reverse(f"admin:{model}_changelist")
    populate(1)
    few = count_queries(admin_client, url)
    populate(15)
    many = count_queries(admin_client, url)
    assert few == many, f"{url}: {few} queries with 1 row, {many} with 16"


def test_every_model_is_registered(admin_client):
    from django.apps import apps
    from django.contrib import admin

    for app in ("catalog", "vocab", "auctions"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


def test_coin_changelist_shows_collectors_dates_and_thumbnail(admin_client):
    make_coin(issuer=make_issuer(), year_start=-27, year_end=14, inventory_number="7")
    response = admin_client.get(reverse("admin:catalog_coin_changelist"))
    assert "27 BC-AD 14" in response.content.decode()


def test_coin_change_page_has_all_inlines(admin_client):
    coin = make_coin()
    make_lot(coin=coin)
    response = admin_client.get(reverse("admin:catalog_coin_change", args=[coin.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for prefix in ("images-", "references-", "provenance-", "auction_lots-", "series_memberships-"):
        assert prefix in page, prefix


def test_merge_action_moves_coins_in_one_step(admin_client):
    keep, dupe = Mint.objects.create(name="Cyzicus"), Mint.objects.create(name="Cyzikos")
    make_coin(mint=dupe)
    url = reverse("admin:vocab_mint_changelist")
    data = {"action": "merge_into", ACTION_CHECKBOX_NAME: [keep.pk, dupe.pk]}
    confirm = admin_client.post(url, data)
    assert confirm.status_code == 200 and "Keep this term" in confirm.content.decode()
    admin_client.post(url, {**data, "apply": "1", "keep": keep.pk})
    assert list(Mint.objects.all()) == [keep]
    assert keep.coins.count() == 1


def test_make_primary_action(admin_client):
    coin = make_coin()
    old = make_image(coin, is_primary=True)
    new = make_image(coin)
    admin_client.post(
        reverse("admin:catalog_coinimage_changelist"),
        {"action": "make_primary", ACTION_CHECKBOX_NAME: [new.pk]},
    )
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.is_primary and not old.is_primary


def test_lot_can_be_linked_to_a_coin_in_the_admin(admin_client):
    coin = make_coin()
    lot = make_lot()
    response = admin_client.get(reverse("admin:auctions_auctionlot_change", args=[lot.pk]))
    assert 'name="coin"' in response.content.decode()
    assert AuctionHouse.objects.count() == 0
    assert coin.pk
