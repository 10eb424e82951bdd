"""The demo data is flagged by the generator and removed, exactly, by manage.py remove_demo or a staff
button; a banner tells staff it is there."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from auctions.models import AuctionLot, Sale
from catalog.models import Coin, CoinImage, ProvenanceEvent, Series, SeriesMembership
from catalog.tests.factories import make_coin, make_lot, make_sale, make_series
from ops.demo import generate_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed():
    """A demo collection, and what a user made beside it, some of it tied to the demo data."""
    generate_collection(coins=12, lots=30, seed=5, images=False, demo=True)
    demo_series = Series.objects.filter(is_demo=True).first()
    mine = make_coin(inventory_number="MINE-1")
    in_demo_series = make_coin(inventory_number="MINE-2")
    SeriesMembership.objects.create(series=demo_series, coin=in_demo_series)
    demo_lot = AuctionLot.objects.filter(platform="demo", coin=None).first()
    demo_lot.coin, demo_lot.coin_role = mine, "comparable"
    demo_lot.save()
    other_demo_lot = AuctionLot.objects.filter(platform="demo", coin=None).exclude(pk=demo_lot.pk).first()
    event = ProvenanceEvent.objects.create(coin=mine, name="Demo house", auction_lot=other_demo_lot)
    my_lot = make_lot(url="https://www.ebay.com/itm/397040880671", sale=make_sale("A Coin Shop", "99"))
    my_series = make_series("My set", slots=2)
    return {
        "mine": [mine, in_demo_series],
        "demo_series": demo_series,
        "kept_lot": demo_lot,
        "event": event,
        "my_lot": my_lot,
        "my_series": my_series,
    }


def test_the_generator_flags_what_it_makes():
    generate_collection(coins=5, lots=10, seed=2, images=False, demo=True)
    assert Coin.objects.count() == Coin.objects.filter(is_demo=True).count() == 5
    assert Series.objects.filter(is_demo=True).count() == Series.objects.count() > 0
    assert AuctionLot.objects.exclude(platform="demo").count() == 0


def test_remove_demo_removes_exactly_the_demo_data(mixed):
    out = io.StringIO()
    call_command("remove_demo", "--dry-run", stdout=out)
    assert "Would remove 12 demo coins" in out.getvalue()
    assert Coin.objects.filter(is_demo=True).count() == 12

    call_command("remove_demo", stdout=out)
    assert "Removed 12 demo coins" in out.getvalue()
    assert sorted(Coin.objects.values_list("inventory_number", flat=True)) == ["MINE-1", "MINE-2"]
    assert not CoinImage.objects.exists()
    # The user's own lot, series and sale stay; a demo lot or series tied to a user's coin stays.
    assert set(AuctionLot.objects.values_list("pk", flat=True)) == {mixed["my_lot"].pk, mixed["kept_lot"].pk}
    assert set(Series.objects.values_list("pk", flat=True)) == {
        mixed["my_series"].pk,
        mixed["demo_series"].pk,
    }
    assert Sale.objects.filter(pk=mixed["my_lot"].sale_id).exists()
    assert Sale.objects.filter(lots=None).count() == 0  # no demo sale left empty
    # A user's provenance event that pointed at a removed demo lot keeps its text, unlinked.
    mixed["event"].refresh_from_db()
    assert mixed["event"].auction_lot_id is None and mixed["event"].name == "Demo house"

    call_command("remove_demo", stdout=out)  # again: nothing left to remove, nothing of the user's touched
    assert Coin.objects.count() == 2


def test_staff_see_the_banner_and_remove_the_demo_data_with_a_confirmed_post(mixed, admin_client):
    home = admin_client.get("/")
    assert "holds 12 demo coins" in home.text
    confirm = admin_client.get("/demo/remove/")
    assert confirm.status_code == 200 and "12</strong> demo coins" in confirm.text
    assert Coin.objects.filter(is_demo=True).count() == 12  # a GET removes nothing
    done = admin_client.post("/demo/remove/", follow=True)
    assert "Removed 12 demo coins" in done.text
    assert "demo coins made by the demo generator" not in done.text
    assert not Coin.objects.filter(is_demo=True).exists()


def test_the_button_needs_staff_and_a_csrf_token(mixed, django_user_model):
    visitor = Client()
    visitor.force_login(django_user_model.objects.create_user("visitor", password="x"))
    assert "demo coins" not in visitor.get("/").text
    assert visitor.post("/demo/remove/").status_code == 302  # to the login page
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    assert staff.post("/demo/remove/").status_code == 403
    assert Coin.objects.filter(is_demo=True).count() == 12


def test_staff_navigation_links_the_import_and_add_lot_pages(admin_client, client, django_user_model):
    page = admin_client.get("/").text
    assert 'href="/import/"' in page and 'href="/auctions/add/"' in page
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    assert 'href="/import/"' not in client.get("/").text
