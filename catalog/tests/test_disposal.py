"""A coin sold, traded or given away: the database's rules for it, and where it is (not) shown."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import Coin
from catalog.tests.factories import make_coin, make_issuer, make_reference

pytestmark = pytest.mark.django_db

SOLD = {
    "disposal": "sold",
    "disposal_date": dt.date(2026, 5, 1),
    "disposal_price": Decimal("450.00"),
    "disposal_currency": "EUR",
    "disposed_to": "A fellow collector",
}


def refused(**changes) -> None:
    coin = make_coin()
    with pytest.raises(IntegrityError), transaction.atomic():
        Coin.objects.filter(pk=coin.pk).update(**changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"disposal": "stolen"}, None),
        ({"disposal_date": dt.date(2026, 1, 1)}, "disposal"),
        ({"disposed_to": "Someone"}, "disposal"),
        ({"disposal": "sold", "disposal_price": Decimal("-1"), "disposal_currency": "EUR"}, "disposal_price"),
        ({"disposal": "sold", "disposal_price": Decimal("10")}, "disposal_currency"),
        ({"disposal": "sold", "disposal_currency": "eur"}, "disposal_currency"),
        ({"disposal": "gifted", "disposal_price": Decimal(5), "disposal_currency": "EUR"}, "disposal_price"),
    ],
)
def test_each_disposal_rule_is_refused_by_the_database_and_explained_by_clean(changes, field):
    refused(**changes)
    coin = make_coin()
    for name, value in changes.items():
        setattr(coin, name, value)
    with pytest.raises(ValidationError) as error:
        coin.full_clean()
    if field:
        assert field in error.value.message_dict


def test_a_sold_coin_with_all_its_details_is_accepted():
    coin = make_coin(**SOLD)
    coin.full_clean()
    assert coin.is_disposed


def test_disposed_coins_leave_the_list_home_and_stats_but_the_filter_finds_them(client, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    augustus = make_issuer("Augustus")
    kept = make_coin(inventory_number="K-1", issuer=augustus)
    sold = make_coin(inventory_number="S-1", issuer=augustus, **SOLD)
    make_reference(sold)

    listed = client.get("/coins/?view=table")
    assert kept.get_absolute_url() in listed.text
    assert sold.get_absolute_url() not in listed.text

    only = client.get("/coins/?view=table&disposed=only")
    assert sold.get_absolute_url() in only.text and kept.get_absolute_url() not in only.text
    both = client.get("/coins/?view=table&disposed=all")
    assert sold.get_absolute_url() in both.text and kept.get_absolute_url() in both.text
    # A search finds the disposed coin only when asked for.
    assert sold.get_absolute_url() not in client.get("/coins/?q=Augustus").text
    assert sold.get_absolute_url() in client.get("/coins/?q=Augustus&disposed=only").text

    home = client.get("/")
    assert home.context["summary"]["coins"] == 1
    assert sold not in list(home.context["recent"])
    stats = client.get("/stats/")
    assert stats.context["completeness"]["total"] == 1
    references = next(i for i in stats.context["completeness"]["items"] if i["label"] == "References")
    assert references["count"] == 0


def test_the_coin_page_says_the_coin_was_disposed_and_keeps_its_history(client, django_user_model, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    sold = make_coin(inventory_number="S-1", **SOLD)
    make_reference(sold, "RIC I 207")
    public = client.get(sold.get_absolute_url())
    assert "No longer in the collection" in public.text
    assert "RIC I 207" in public.text
    assert "A fellow collector" not in public.text  # to whom and for how much: private
    staff = django_user_model.objects.create_user("curator", password="x", is_staff=True)
    client.force_login(staff)
    private = client.get(sold.get_absolute_url())
    assert "A fellow collector" in private.text and "450.00 EUR" in private.text


def test_an_unknown_disposed_value_is_a_clear_error_not_a_500(client, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    response = client.get("/coins/?disposed=lost")
    assert response.status_code == 200
    assert "Disposed coins" in response.text
