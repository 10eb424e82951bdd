"""/stats/'s value section is cached under the data versions of the collection and of the snapshots
(catalog 0015's 'values' scope): a cached figure never outlives a snapshot, a coin's change or the
owner's currency, and a warm read is one query."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Coin, ManualValue, ValueSnapshot
from catalog.tests.factories import make_coin
from catalog.valuation.collection import collection_value
from catalog.valuation.snapshots import take_snapshot
from coinstack.dataversion import DataVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def valued():
    coin = make_coin(
        inventory_number="1", acquisition_price=Decimal("100"), acquisition_currency="EUR",
        acquisition_date=dt.date(2021, 1, 4),
    )  # fmt: skip
    ManualValue.objects.create(coin=coin, amount=Decimal("500"), currency="EUR")
    return coin


def test_every_write_to_the_snapshots_gives_a_new_token(valued):
    before = DataVersion.current("values")
    take_snapshot(dt.date(2020, 5, 4))
    after_insert = DataVersion.current("values")
    ValueSnapshot.objects.update(amount=Decimal("1"))
    after_update = DataVersion.current("values")
    ValueSnapshot.objects.all().delete()
    assert len({before, after_insert, after_update, DataVersion.current("values")}) == 4


def test_the_cached_figures_follow_snapshots_coins_and_the_owners_currency(valued, settings):
    assert collection_value()["taken_on"] is None
    take_snapshot(dt.date(2020, 5, 4))
    assert collection_value()["total"] == [{"currency": "EUR", "amount": Decimal("500")}]
    # A second run the same day rewrites that day's values.
    ManualValue.objects.update(amount=Decimal("700"))
    take_snapshot(dt.date(2020, 5, 4))
    value = collection_value()
    assert value["total"] == [{"currency": "EUR", "amount": Decimal("700")}]
    assert [row["label"] for row in value["by_category"]] == ["Roman Imperial"]
    Coin.objects.update(category="greek")
    assert [row["label"] for row in collection_value()["by_category"]] == ["Greek"]
    make_coin(inventory_number="2", acquisition_price=Decimal("5"), acquisition_currency="EUR")
    value = collection_value()
    assert (value["coins"], value["not_valued"], value["spent"]["amount"]) == (2, 1, Decimal("105.00"))
    settings.COINSTACK_OWNER_CURRENCY = "USD"
    assert collection_value()["spent"]["currency"] == "USD"


def test_a_warm_read_is_one_query(valued):
    take_snapshot(dt.date(2020, 5, 4))
    cold = collection_value()
    with CaptureQueriesContext(connection) as queries:
        assert collection_value() == cold
    assert len(queries) == 1


def test_the_coins_counted_are_every_coin_held_or_not(valued):
    """The section's number of coins comes from the kept counts and the disposed coins' index
    (catalog.valuation.collection.ALL_COINS_KEPT): every coin, as COUNT(*) over them gives it,
    after coins are added, disposed of, taken back and deleted."""
    coins = [make_coin(inventory_number=f"C-{n}") for n in range(4)]
    sold = {"disposal": "sold", "disposal_date": dt.date(2026, 5, 1)}
    for change in (
        lambda: Coin.objects.filter(pk=coins[0].pk).update(**sold),
        lambda: Coin.objects.filter(pk=coins[1].pk).update(**sold),
        lambda: Coin.objects.filter(pk=coins[1].pk).update(disposal="", disposal_date=None),
        lambda: Coin.objects.filter(pk=coins[2].pk).delete(),
        lambda: Coin.objects.filter(pk=coins[0].pk).delete(),
    ):
        change()
        assert collection_value()["coins"] == Coin.objects.count()
    assert Coin.objects.count() == 3
