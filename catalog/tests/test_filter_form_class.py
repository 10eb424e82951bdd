"""The filter form's class is built once per FilterSet class and set of filters
(coinstack.filtering.FacetMixin.get_form_class): an owner's and a visitor's lists keep their own. And
each FilterSet instance's filters are its own copies, bound to it (coinstack.filtering.instance_filter)."""

import pytest
from django.http import QueryDict

from auctions.filters import LotFilter
from auctions.models import AuctionLot
from catalog.filters import PRIVATE_FILTERS, CoinFilter
from catalog.models import Coin
from catalog.tests.factories import make_coin


def _coin_filter(query: str, private: bool) -> CoinFilter:
    return CoinFilter(QueryDict(query), Coin.objects.all(), private=private)


def test_the_form_class_is_reused_for_the_same_filters():
    first, second = _coin_filter("metal=silver", True), _coin_filter("page=3", True)
    assert type(first.form) is type(second.form)
    assert first.form is not second.form
    # Each form has its own copies of the fields: changing one leaves the next form's alone.
    first.form.fields["metal"].label = "changed"
    assert _coin_filter("", True).form.fields["metal"].label != "changed"


def test_a_visitor_and_the_owner_each_get_their_own_fields_in_either_order():
    for order in ((False, True), (True, False)):
        forms = {private: _coin_filter("price_min=10&metal=silver", private).form for private in order}
        assert set(PRIVATE_FILTERS) <= set(forms[True].fields)
        assert not set(PRIVATE_FILTERS) & set(forms[False].fields)
    # A visitor's price filter is no filter at all; the owner's is.
    assert _coin_filter("price_min=10&metal=silver", False).active_filters() == {"metal": ["silver"]}
    assert set(_coin_filter("price_min=10&metal=silver", True).active_filters()) == {"metal", "price_min"}


def test_each_filter_set_class_keeps_its_own_form_class():
    lots = LotFilter(QueryDict(""), AuctionLot.objects.all())
    assert type(lots.form) is not type(_coin_filter("", True).form)
    assert "house" in lots.form.fields and "house" not in _coin_filter("", True).form.fields


# Each instance's filters are its own (coinstack.filtering.instance_filter), without deep copies.


def test_each_filter_set_has_its_own_filters_bound_to_it():
    owner, visitor = _coin_filter("q=fair", True), _coin_filter("q=fair", False)
    for filterset in (owner, visitor):
        for name, own in filterset.filters.items():
            assert own is not CoinFilter.base_filters[name]
            assert own.parent is filterset and own.model is Coin
            if own.method is not None:
                # The method is looked up on this filter's own filter set, never another's.
                assert own.filter.f is own
                assert own.filter.method.__self__ is filterset
    assert owner.filters["q"] is not visitor.filters["q"]
    # What one instance changes in its filter's field arguments, another instance does not see.
    owner.filters["metal"].extra["label"] = "changed"
    assert "label" not in visitor.filters["metal"].extra
    assert "label" not in CoinFilter.base_filters["metal"].extra
    assert not hasattr(CoinFilter.base_filters["q"], "parent")


@pytest.mark.django_db
def test_a_method_filter_reads_its_own_filter_set(coins_with_notes):
    # The search reads its filter set's `private`: made in either order, each finds what it may.
    for order in ((True, False), (False, True)):
        filtersets = {private: _coin_filter("q=Zürich fair", private) for private in order}
        assert [c.inventory_number for c in filtersets[True].qs] == ["A1"]
        assert list(filtersets[False].qs) == []


@pytest.fixture
def coins_with_notes():
    return make_coin(inventory_number="A1", notes="Paid too much at the Zürich fair")
