"""The admin's coin form and list for a curator's day: grouped form with derived fields read-only,
several images at once, bulk moves, series and disposal; each change page at a pinned query count."""

import io
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog.models import Coin, CoinImage, SeriesMembership
from catalog.tests.factories import make_coin, make_image, make_issuer, make_reference, make_series

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_coin_changelist"


def png(name: str, color="red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def change_form_data(admin_client, coin) -> dict:
    """The change form as the page fills it, ready to post back."""
    response = admin_client.get(reverse("admin:catalog_coin_change", args=[coin.pk]))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "new_images" or value is None:
            continue
        data[name] = value if not isinstance(value, bool) else ("on" if value else "")
    data = {k: v for k, v in data.items() if v != ""}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value != "" and value is not False:
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def test_the_form_groups_a_coin_in_the_domain_s_order_with_references_after_design(admin_client):
    coin = make_coin()
    make_reference(coin)
    page = admin_client.get(reverse("admin:catalog_coin_change", args=[coin.pk])).text
    positions = [
        page.index(marker)
        for marker in (
            *(">Attribution<", ">Physical<", ">Design<", 'id="references-group"', ">Condition<"),
            *(">Acquisition<", ">Custody<", ">Disposal<", 'id="images-group"'),
        )
    ]
    assert positions == sorted(positions)
    assert 'name="grade_band"' not in page  # derived: shown, not editable


def test_saving_derives_the_grade_band_from_the_grade(admin_client):
    coin = make_coin(grade="", grade_band=None)
    data = change_form_data(admin_client, coin)
    data.update(grade="Choice VF", grade_band="5")
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    coin.refresh_from_db()
    assert coin.grade_band == 75  # from the grade, whatever was posted


def test_several_images_at_once_in_order_with_kinds_and_one_primary(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coin = make_coin()
    old = make_image(coin, is_primary=True, source_url="https://example.org/old.jpg")
    data = change_form_data(admin_client, coin)
    data["new_images"] = [png("a.png", "red"), png("b.png", "blue"), png("c.png", "green")]
    data["new_image_kind"] = ["obverse", "reverse", "combined"]
    data["image_primary"] = "new-1"
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 302, [f.formset.errors for f in response.context["inline_admin_formsets"]]
    added = list(CoinImage.objects.filter(coin=coin).exclude(pk=old.pk).order_by("position"))
    assert [i.kind for i in added] == ["obverse", "reverse", "combined"]
    assert [i.is_primary for i in added] == [False, True, False]
    assert all(i.position > old.position for i in added)
    assert CoinImage.objects.filter(coin=coin, is_primary=True).count() == 1


def test_a_bad_file_among_the_images_is_named_and_nothing_is_saved(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coin = make_coin(notes="before")
    data = change_form_data(admin_client, coin)
    data.update(notes="after")
    data["new_images"] = [png("a.png"), SimpleUploadedFile("evil.png", b"<script>alert(1)</script>")]
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["new_images"])
    assert "Image 2 (evil.png)" in errors
    coin.refresh_from_db()
    assert coin.notes == "before" and not coin.images.exists()


def test_a_primary_choice_of_another_coin_s_image_is_refused(admin_client):
    coin, other = make_coin(), make_coin()
    foreign = make_image(other, is_primary=True, source_url="https://example.org/x.jpg")
    data = change_form_data(admin_client, coin)
    data["image_primary"] = f"existing-{foreign.pk}"
    response = admin_client.post(reverse("admin:catalog_coin_change", args=[coin.pk]), data)
    assert response.status_code == 200
    assert "not one of this coin's" in " ".join(response.context["adminform"].form.errors["new_images"])


def test_the_change_page_runs_a_fixed_number_of_queries(admin_client):
    coin = make_coin(issuer=make_issuer())
    url = reverse("admin:catalog_coin_change", args=[coin.pk])
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for n in range(6):
        make_image(coin, source_url=f"https://example.org/{n}.jpg", is_primary=n == 0, position=n)
        make_reference(coin, f"RIC I {200 + n}")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def _act(admin_client, action: str, coins, **fields):
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in coins]}
    return admin_client.post(reverse(CHANGELIST), {**data, **fields})


def test_bulk_move_asks_for_the_location_then_moves_every_selected_coin(admin_client):
    coins = [make_coin(storage_location="Box1") for _ in range(5)]
    stay = make_coin(storage_location="Box1")
    form = _act(admin_client, "move_to_storage", coins)
    assert form.status_code == 200 and "Storage location" in form.text
    refused = _act(admin_client, "move_to_storage", coins, apply="1", storage_location="   ")
    assert refused.status_code == 200 and Coin.objects.filter(storage_location="Box1").count() == 6
    done = _act(admin_client, "move_to_storage", coins, apply="1", storage_location=" Tray  7 ")
    assert done.status_code == 302
    assert Coin.objects.filter(storage_location="Tray 7").count() == 5
    stay.refresh_from_db()
    assert stay.storage_location == "Box1"


def test_bulk_add_to_series_skips_coins_already_in_it(admin_client):
    series = make_series("Twelve Caesars", slots=0)
    coins = [make_coin() for _ in range(3)]
    SeriesMembership.objects.create(series=series, coin=coins[0])
    response = _act(admin_client, "add_to_series", coins, apply="1", series=series.pk)
    assert response.status_code == 302
    assert SeriesMembership.objects.filter(series=series).count() == 3


def test_bulk_disposal_checks_the_rules_then_marks_the_coins(admin_client):
    sold, kept = make_coin(), make_coin()
    gift_with_price = _act(
        admin_client,
        "mark_disposed",
        [sold],
        apply="1",
        disposal="gifted",
        disposal_price="10",
        disposal_currency="EUR",
    )
    assert gift_with_price.status_code == 200 and "given away has no price" in gift_with_price.text
    no_currency = _act(admin_client, "mark_disposed", [sold], apply="1", disposal="sold", disposal_price="10")
    assert no_currency.status_code == 200 and "currency" in no_currency.text
    done = _act(
        admin_client,
        "mark_disposed",
        [sold],
        apply="1",
        disposal="sold",
        disposal_date="2026-11-02",
        disposal_price="250",
        disposal_currency="usd",
        disposed_to="Dealer X",
    )
    assert done.status_code == 302
    sold.refresh_from_db()
    kept.refresh_from_db()
    assert (sold.disposal, sold.disposal_price, sold.disposal_currency, sold.disposed_to) == (
        "sold",
        Decimal(250),
        "USD",
        "Dealer X",
    )
    assert kept.disposal == ""
    assert list(Coin.objects.held()) == [kept]
