"""Each rule is refused by the database itself (bypassing validation with update()/bulk_create),
on whichever backend the suite runs (SQLite by default, PostgreSQL in CI's second run), and clean()
says the same thing in words."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from auctions.models import AuctionLot
from catalog.models import Coin, CoinImage, ProvenanceEvent, SeriesMembership, SeriesSlot
from catalog.tests.factories import make_coin, make_image, make_lot, make_series

pytestmark = pytest.mark.django_db


def refused(queryset_update) -> None:
    """Assert that the database refuses a write, without poisoning the test's transaction."""
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset_update()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight_g": Decimal("0")}, "weight_g"),
        ({"weight_g": Decimal("-1.5")}, "weight_g"),
        ({"diameter_mm": Decimal("0")}, "diameter_mm"),
        ({"die_axis": 0}, "die_axis"),
        ({"die_axis": 13}, "die_axis"),
        ({"ngc_strike": 6}, "ngc_strike"),
        ({"ngc_surface": 0}, "ngc_surface"),
        ({"year_start": 14, "year_end": -27}, "year_end"),
        ({"year_start": 0}, "year_start"),
        ({"year_end": 0, "year_start": -5}, "year_end"),
        ({"grading_state": "slabbed", "grade_service": ""}, "grade_service"),
        ({"acquisition_price": Decimal("-1")}, "acquisition_price"),
        ({"acquisition_currency": "usd"}, "acquisition_currency"),
        ({"acquisition_currency": "US"}, "acquisition_currency"),
        ({"acquisition_currency": "U$D"}, "acquisition_currency"),
        ({"acquisition_currency": "DOLLARS"[:3].lower()}, "acquisition_currency"),
    ],
)
def test_coin_rules_refused_by_database_and_explained_by_clean(changes, field):
    coin = make_coin()
    refused(lambda: Coin.objects.filter(pk=coin.pk).update(**changes))

    for name, value in changes.items():
        setattr(coin, name, value)
    with pytest.raises(ValidationError) as excinfo:
        coin.full_clean()
    assert field in excinfo.value.message_dict
    assert excinfo.value.message_dict[field][0]  # a sentence, not an empty error


def test_valid_coin_passes_both_layers():
    coin = make_coin(grading_state="slabbed", grade_service="ngc", certificate_number="4375001-001")
    coin.acquisition_currency = "USD"
    coin.full_clean()
    coin.save()
    assert Coin.objects.get(pk=coin.pk).acquisition_currency == "USD"


def test_bulk_create_cannot_bypass_rules():
    with pytest.raises(IntegrityError), transaction.atomic():
        Coin.objects.bulk_create([Coin(weight_g=Decimal("0"))])
    assert Coin.objects.count() == 0


def test_certificate_unique_per_service():
    make_coin(grading_state="slabbed", grade_service="ngc", certificate_number="123")
    make_coin(grading_state="slabbed", grade_service="pcgs", certificate_number="123")  # other service: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_coin(grading_state="slabbed", grade_service="ngc", certificate_number="123")
    duplicate = Coin(grading_state="slabbed", grade_service="ngc", certificate_number="123")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "certificate_number" in excinfo.value.message_dict


def test_inventory_number_unique_when_set_only():
    make_coin(inventory_number="7")
    make_coin()
    make_coin()  # several coins without a number are fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_coin(inventory_number="7")


def test_one_primary_image_per_coin_in_database():
    coin = make_coin()
    first = make_image(coin, is_primary=True)
    second = make_image(coin)
    refused(lambda: CoinImage.objects.filter(pk=second.pk).update(is_primary=True))
    assert CoinImage.objects.get(pk=first.pk).is_primary


def test_making_another_image_primary_clears_the_old_one():
    coin = make_coin()
    first = make_image(coin, is_primary=True)
    second = make_image(coin)
    second.make_primary()
    first.refresh_from_db()
    assert not first.is_primary
    assert list(coin.images.filter(is_primary=True)) == [second]


def test_image_needs_file_or_url():
    coin = make_coin()
    refused(lambda: CoinImage.objects.bulk_create([CoinImage(coin=coin)]))
    with pytest.raises(ValidationError):
        CoinImage(coin=coin).full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"estimate_low": Decimal("500"), "estimate_high": Decimal("300")}, "estimate_high"),
        ({"hammer_price": Decimal("-5")}, "hammer_price"),
        ({"starting_price": Decimal("-5")}, "starting_price"),
        ({"status": "unsold", "hammer_price": Decimal("100")}, "hammer_price"),
        ({"currency": "eur"}, "currency"),
    ],
)
def test_lot_rules(changes, field):
    lot = make_lot()
    refused(lambda: AuctionLot.objects.filter(pk=lot.pk).update(**changes))
    for name, value in changes.items():
        setattr(lot, name, value)
    with pytest.raises(ValidationError) as excinfo:
        lot.full_clean()
    assert field in excinfo.value.message_dict


def test_lot_url_unique():
    make_lot(url="https://coins.ha.com/itm/x/a/232539-64039.s")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_lot(url="https://coins.ha.com/itm/x/a/232539-64039.s")


def test_provenance_rules():
    coin = make_coin()
    event = ProvenanceEvent.objects.create(coin=coin, name="Heritage")
    refused(lambda: ProvenanceEvent.objects.filter(pk=event.pk).update(hammer=Decimal("-1")))
    refused(lambda: ProvenanceEvent.objects.filter(pk=event.pk).update(currency="dollars"[:3]))
    refused(lambda: ProvenanceEvent.objects.filter(pk=event.pk).update(buyers_premium_pct=Decimal("120")))


def test_series_rules():
    series = make_series(slots=3)
    coin = make_coin()
    SeriesMembership.objects.create(series=series, coin=coin)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesMembership.objects.create(series=series, coin=coin)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesSlot.objects.create(series=series, number=2, name="Again 2")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_series(name="Twelve Caesars", slots=0)  # same slug


def test_membership_slot_must_belong_to_its_series():
    first, second = make_series("First", 2), make_series("Second", 2)
    membership = SeriesMembership(series=first, coin=make_coin(), slot=second.slots.first())
    with pytest.raises(ValidationError):
        membership.full_clean()
