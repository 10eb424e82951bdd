"""The filter form's class is built once per FilterSet class and set of filters
(coinstack.filtering.FacetMixin.get_form_class): an owner's and a visitor's lists keep their own."""

from django.http import QueryDict

from auctions.filters import LotFilter
from auctions.models import AuctionLot
from catalog.filters import PRIVATE_FILTERS, CoinFilter
from catalog.models import Coin


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
