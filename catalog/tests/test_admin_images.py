"""Images in the admin (issue 12.7): a coin with images always has exactly one primary, positions are
kept, and captions name the coin by its inventory number."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import CoinImage, ensure_primary_image
from catalog.tests.factories import make_coin, make_image
from catalog.tests.test_admin_curation import change_form_data

pytestmark = pytest.mark.django_db


def primaries(coin) -> list[int]:
    return list(CoinImage.objects.filter(coin=coin, is_primary=True).values_list("pk", flat=True))


def test_deleting_the_primary_makes_the_first_other_image_primary():
    coin = make_coin()
    primary = make_image(coin, is_primary=True, position=0)
    later = make_image(coin, position=2)
    first = make_image(coin, position=1)
    primary.delete()
    assert primaries(coin) == [first.pk]
    first.delete()
    assert primaries(coin) == [later.pk]
    later.delete()
    assert primaries(coin) == []  # no images, no primary


def test_deleting_another_image_leaves_the_primary_alone():
    coin = make_coin()
    primary = make_image(coin, is_primary=True, position=3)
    other = make_image(coin, position=0)
    other.delete()
    assert primaries(coin) == [primary.pk]


def test_ensure_primary_image_only_acts_on_a_coin_without_one():
    coin = make_coin()
    assert ensure_primary_image(coin.pk) is None
    second = make_image(coin, position=5)
    first = make_image(coin, position=4)
    assert ensure_primary_image(coin.pk) == first
    assert ensure_primary_image(coin.pk) is None
    assert primaries(coin) == [first.pk] and second.pk not in primaries(coin)


def test_the_admin_bulk_delete_leaves_each_coin_one_primary(admin_client):
    coin = make_coin()
    primary = make_image(coin, is_primary=True, position=0)
    keep = make_image(coin, position=1)
    admin_client.post(
        reverse("admin:catalog_coinimage_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [primary.pk], "post": "yes"},
    )
    assert primaries(coin) == [keep.pk]


def test_removing_the_primary_in_the_coin_form_says_which_image_took_its_place(admin_client):
    coin = make_coin(inventory_number="A-17")
    primary = make_image(coin, is_primary=True, position=0, kind="obverse")
    reverse_side = make_image(coin, position=1, kind="reverse")
    data = change_form_data(admin_client, coin)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and str(value) == str(primary.pk)
    )
    data[f"images-{index}-DELETE"] = "on"
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert primaries(coin) == [reverse_side.pk]
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Reverse of A-17 is now the primary image" in text for text in texts), texts


def test_positions_are_kept_in_order_after_saving(admin_client):
    coin = make_coin()
    images = [make_image(coin, position=n, is_primary=n == 0) for n in (0, 1, 2)]
    data = change_form_data(admin_client, coin)
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 302
    stored = list(CoinImage.objects.filter(coin=coin).order_by("position").values_list("pk", "position"))
    assert stored == [(image.pk, n) for n, image in enumerate(images)]


def test_captions_use_the_inventory_number():
    coin = make_coin(inventory_number="SlabBox1-3")
    assert str(make_image(coin, kind="obverse")) == "Obverse of SlabBox1-3"
    unnumbered = make_coin(inventory_number="")
    assert str(make_image(unnumbered, kind="reverse")) == f"Reverse of coin #{unnumbered.pk}"
