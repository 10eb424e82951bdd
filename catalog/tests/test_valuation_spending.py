"""What the collection cost, read from the spending the database keeps (catalog 0015), gives exactly
the figures of grouping the coins themselves, after every kind of write, on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Coin
from catalog.tests.factories import make_coin
from catalog.valuation import collection, spending

pytestmark = pytest.mark.django_db


def assert_fast_equals_slow(owner: str = "EUR") -> dict:
    assert spending.kept()
    today = timezone.localdate()
    fast = spending.spent_from_kept(owner, today)
    slow = collection._spent_by_scan(None, owner, today)
    assert fast[0].quantize(Decimal("0.01")) == slow[0].quantize(Decimal("0.01"))
    assert fast[1:3] == slow[1:3]
    assert collection._per_currency(fast[3]) == collection._per_currency(slow[3])
    return collection.spent_converted()


def varied_collection() -> list[Coin]:
    """Weekdays, a weekend, a holiday, before 1999, the future, undated, several currencies, one the
    ECB does not quote, none stated, no price, several coins on one day, a disposed coin."""
    rows = [
        (dt.date(2020, 5, 4), "1094.20", "USD"),
        (dt.date(2020, 5, 4), "10.05", "USD"),
        (dt.date(2020, 5, 3), "99.99", "GBP"),  # a Sunday
        (dt.date(2020, 5, 1), "250", "CHF"),  # Labour Day
        (dt.date(1994, 6, 15), "30", "USD"),
        (dt.date(2021, 1, 4), "100", "EUR"),
        (dt.date(2021, 12, 31), "0.01", "JPY"),
        (dt.date(2099, 1, 1), "12.34", "USD"),
        (None, "77.70", "USD"),
        (None, "5", ""),
        (dt.date(2022, 2, 2), "2", "XAU"),
        (dt.date(2022, 2, 2), "3", ""),
        (dt.date(2022, 2, 3), None, "EUR"),
        (dt.date(2023, 7, 7), "123456789.99", "CAD"),
    ]
    coins = [
        make_coin(inventory_number=str(n), acquisition_date=day, acquisition_currency=currency,
                  acquisition_price=None if price is None else Decimal(price))
        for n, (day, price, currency) in enumerate(rows)
    ]  # fmt: skip
    Coin.objects.filter(pk=coins[5].pk).update(disposal="sold")
    return coins


def test_the_kept_spending_gives_the_scans_figures_after_every_kind_of_write():
    coins = varied_collection()
    spent = assert_fast_equals_slow()
    assert spent["coins"] == 10 and spent["undated"] == 1
    assert spent["apart"] == [
        {"currency": "", "amount": Decimal("8")},
        {"currency": "XAU", "amount": Decimal("2")},
    ]
    assert_fast_equals_slow("USD")
    # A purchase moved within its year: the year's coins and sum stay, its converted sum does not.
    coins[0].acquisition_date = dt.date(2020, 11, 3)
    coins[0].save()
    moved = assert_fast_equals_slow()
    assert moved["amount"] != spent["amount"]
    Coin.objects.filter(acquisition_currency="USD").update(acquisition_price=Decimal("1.50"))
    assert_fast_equals_slow()
    Coin.objects.bulk_create(
        [Coin(inventory_number=f"B{n}", acquisition_date=dt.date(2019, 1, n + 1),
              acquisition_price=Decimal(n), acquisition_currency="GBP") for n in range(20)]
    )  # fmt: skip
    assert_fast_equals_slow()
    Coin.objects.filter(inventory_number__startswith="B").delete()
    assert_fast_equals_slow()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_coin SET acquisition_date = NULL WHERE acquisition_currency = 'CHF'")
    assert_fast_equals_slow()
    coins[6].delete()
    assert_fast_equals_slow()


def test_a_rolled_back_write_leaves_the_figures_as_they_were():
    varied_collection()
    before = assert_fast_equals_slow()
    with pytest.raises(RuntimeError), transaction.atomic():
        Coin.objects.filter(acquisition_currency="USD").update(acquisition_date=dt.date(2020, 5, 5))
        assert_fast_equals_slow()  # seen inside the transaction, then undone
        raise RuntimeError("undo")
    assert assert_fast_equals_slow() == before


def test_a_large_write_folds_the_journal_and_keeps_the_figures():
    """PostgreSQL journals the changes and folds them in when the transaction commits (SET CONSTRAINTS
    ... IMMEDIATE folds what is pending now); the figures agree before and after (SQLite: no journal)."""
    Coin.objects.bulk_create(
        [Coin(inventory_number=f"F{n}", acquisition_date=dt.date(2015 + n % 5, 1 + n % 12, 1 + n % 28),
              acquisition_price=Decimal(n) / 4, acquisition_currency=("USD", "EUR", "")[n % 3])
         for n in range(2500)]
    )  # fmt: skip
    assert_fast_equals_slow()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS spending_fold IMMEDIATE")
            cursor.execute("SELECT count(*) FROM catalog_spending_journal")
            assert cursor.fetchone()[0] == 0
        assert_fast_equals_slow()


def test_a_selection_is_still_grouped_from_its_coins():
    coins = varied_collection()
    chosen = Coin.objects.filter(pk__in=[coins[0].pk, coins[9].pk])
    spent = collection.spent_converted(chosen)
    assert spent["coins"] == 1 and spent["apart"] == [{"currency": "", "amount": Decimal("5")}]
