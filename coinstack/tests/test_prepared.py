"""Queries compiled once (coinstack.prepared): the same instances as the ORM's, one query, one
compilation per connection, and no query for a key no column can hold."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from catalog.models import Coin, ProvenanceEvent, Reference
from catalog.tests.factories import make_coin, make_denomination, make_issuer, make_mint, make_reference
from coinstack.prefetching import has_rows, prefetched
from coinstack.prepared import MARKER, Prepared, PreparedValues
from vocab.models import CoinType

pytestmark = pytest.mark.django_db


def coin_shape(pk):
    return (
        Coin.objects.select_related("issuer", "mint", "denomination")
        .annotate(**has_rows(Coin, "images", "provenance"))
        .filter(pk=pk)
    )


def values(instance) -> dict:
    """What an instance holds: its fields' values, as loaded (no deferred field is read)."""
    return {k: v for k, v in instance.__dict__.items() if k not in ("_state", "_prefetched_objects_cache")}


@pytest.fixture
def coins():
    issuer = make_issuer("Augustus", nomisma_id="augustus")
    full = make_coin(
        inventory_number="A-1",
        issuer=issuer,
        mint=make_mint("Lugdunum"),
        denomination=make_denomination("Denarius"),
        year_start=-2,
        year_end=4,
        weight_g=Decimal("3.81"),
        acquisition_price=Decimal("1250.00"),
        acquisition_date=date(2022, 5, 4),
        grade="VF",
    )
    ProvenanceEvent.objects.create(coin=full, kind="collection", name="Peh", order=0)
    bare = make_coin(inventory_number="B-2")
    return full, bare


def test_the_same_instances_as_the_orm(coins):
    prepared = Prepared(coin_shape)
    for coin in coins:
        expected = coin_shape(coin.pk).get()
        with CaptureQueriesContext(connection) as queries:
            got = prepared.first(coin.pk)
            # The joined objects come with the row: reading them asks nothing.
            joined = [got.issuer, got.mint, got.denomination]
        assert len(queries) == 1
        assert values(got) == values(expected)
        assert got.has_provenance == expected.has_provenance
        assert [values(o) if o else None for o in joined] == [
            values(o) if o else None for o in (expected.issuer, expected.mint, expected.denomination)
        ]
        assert got._state.db == expected._state.db and not got._state.adding
    full, bare = coins
    assert prepared.first(full.pk).has_provenance and not prepared.first(bare.pk).has_provenance
    assert prepared.first(bare.pk).issuer is None


def test_deferred_fields_and_rows_in_order(coins):
    full, _bare = coins
    only = Prepared(
        lambda pk: Coin.objects.select_related("issuer").only("grade", "issuer__name").filter(pk=pk)
    )
    got, expected = (
        only.first(full.pk),
        Coin.objects.select_related("issuer").only("grade", "issuer__name").get(pk=full.pk),
    )
    assert got.get_deferred_fields() == expected.get_deferred_fields()
    assert values(got) == values(expected)

    kind = CoinType.objects.create(uri="http://numismatics.org/ocre/id/ric.1(2).aug.207", corpus="ocre")
    make_reference(full, raw_text="RSC 43", system="RSC", number="43", position=1)
    make_reference(
        full, raw_text="RIC I 207", system="RIC", number="207", position=0
    ).__class__.objects.filter(raw_text="RIC I 207").update(type=kind)

    def shape(pk):
        return Reference.objects.filter(coin_id=pk).select_related("type").order_by("position", "id")

    got = Prepared(shape).all(full.pk)
    expected = list(shape(full.pk))
    assert [values(r) for r in got] == [values(r) for r in expected]
    assert [r.raw_text for r in got] == ["RIC I 207", "RSC 43"]
    assert got[0].type.uri == kind.uri and got[1].type is None


def test_compiled_once_per_connection(coins):
    prepared = Prepared(coin_shape)
    with mock.patch.object(Prepared, "_compile", autospec=True, side_effect=Prepared._compile) as compile_:
        for coin in (*coins, *coins):
            assert prepared.first(coin.pk).pk == coin.pk
    assert compile_.call_count == 1


@pytest.mark.parametrize("key", [2**63, -(2**63) - 1, 10**40])
def test_a_key_no_column_can_hold_finds_nothing_and_asks_nothing(coins, key):
    with CaptureQueriesContext(connection) as queries:
        assert Prepared(coin_shape).all(key) == []
    assert len(queries) == 0


def test_a_missing_key_finds_nothing(coins):
    assert Prepared(coin_shape).first(max(c.pk for c in coins) + 1000) is None


@pytest.mark.parametrize(
    "shape",
    [
        lambda pk: Coin.objects.all(),  # the key nowhere
        lambda pk: Coin.objects.filter(pk=pk) | Coin.objects.filter(issuer_id=pk),  # the key twice
        lambda pk: Coin.objects.filter(pk=pk).values("pk"),  # not instances
    ],
)
def test_a_shape_the_key_does_not_fill_once_is_refused(coins, shape):
    with pytest.raises(ImproperlyConfigured):
        Prepared(shape).all(coins[0].pk)


def test_the_marker_is_no_key():
    assert MARKER < 0


def test_rows_cached_as_the_relation(coins):
    """prefetched: the relation's .all() asks nothing and each row's coin is the coin itself."""
    full, _bare = coins
    make_reference(full, raw_text="RIC I 207", system="RIC", number="207")
    coin = Coin.objects.get(pk=full.pk)
    rows = Prepared(lambda pk: Reference.objects.filter(coin_id=pk)).all(coin.pk)
    prefetched(coin, "references", rows)
    with CaptureQueriesContext(connection) as queries:
        assert list(coin.references.all()) == rows
        assert all(row.coin is coin for row in rows)
    assert len(queries) == 0


def values_shape(ids):
    return (
        Coin.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "weight_g", "acquisition_date", "issuer__name", "denomination__name")
    )


def test_values_are_the_orms_for_any_number_of_keys(coins):
    full, bare = coins
    prepared = PreparedValues(values_shape)
    for keys in ([full.pk], [bare.pk, full.pk], [full.pk, bare.pk, full.pk + 1000]):
        with CaptureQueriesContext(connection) as queries:
            got = prepared.rows(keys)
        assert len(queries) == 1
        assert [tuple(row) for row in got] == list(values_shape(keys))
    # Converted as the ORM converts: a Decimal and a date, not SQLite's float and text.
    row = prepared.rows([full.pk])[0]
    assert row[1] == Decimal("3.81") and isinstance(row[1], Decimal) and row[2] == date(2022, 5, 4)


def test_values_compiled_once_per_number_of_keys(coins):
    full, bare = coins
    prepared = PreparedValues(values_shape)
    with mock.patch.object(
        PreparedValues, "_compile", autospec=True, side_effect=PreparedValues._compile
    ) as compile_:
        for keys in ([full.pk], [bare.pk], [full.pk, bare.pk], [bare.pk, full.pk], [full.pk]):
            prepared.rows(keys)
    assert [call.args[1] for call in compile_.call_args_list] == [1, 2]


def test_values_of_no_key_or_keys_no_column_holds_ask_nothing(coins):
    with CaptureQueriesContext(connection) as queries:
        assert PreparedValues(values_shape).rows([]) == []
        assert PreparedValues(values_shape).rows([2**63, -(2**63) - 1]) == []
    assert len(queries) == 0
    # A key given twice is one key.
    assert len(PreparedValues(values_shape).rows([coins[0].pk, coins[0].pk])) == 1


@pytest.mark.parametrize(
    "shape",
    [
        lambda ids: Coin.objects.filter(pk__in=ids),  # instances, not values
        lambda ids: Coin.objects.all().values_list("pk"),  # the keys nowhere
        lambda ids: (
            Coin.objects.filter(pk__in=ids).values_list("pk").annotate(n=Value(1)).values_list("n", "pk")
        ),
    ],
)
def test_a_values_shape_the_keys_do_not_fill_is_refused(coins, shape):
    with pytest.raises(ImproperlyConfigured):
        PreparedValues(shape).rows([coins[0].pk])
