"""Snapshots of the collection's value and /stats/'s value section: totals per currency (never
summed across currencies unconverted), the counts, by category and issuer, by month, and spending
converted at each purchase's date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from auctions.models import LotReference
from catalog.models import ManualValue, ValueSnapshot
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_reference, make_sale
from catalog.valuation.collection import collection_value
from catalog.valuation.snapshots import take_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    """Three coins: one valued from three EUR sales of its citation, one with a manual value in CHF,
    one without comparables."""
    augustus, nero = make_issuer("Augustus"), make_issuer("Nero")
    valued = make_coin(inventory_number="1", issuer=augustus, grade_band=70)
    make_reference(valued, "RIC I 207", system="RIC", volume="I", number="207")
    sale = make_sale("Künker", "400", date=dt.date(2025, 3, 3))
    for n, hammer in enumerate(("800", "1000", "1200")):
        lot = make_lot(
            url=f"https://example.test/{n}", sale=sale, house=sale.house, hammer_price=Decimal(hammer),
            currency="EUR", status="sold", grade_band=70, buyers_premium_pct=Decimal("0"),
        )  # fmt: skip
        LotReference.objects.create(lot=lot, raw_text="RIC I 207", system="RIC", volume="I", number="207")
    manual = make_coin(inventory_number="2", issuer=nero, category="greek")
    ManualValue.objects.create(coin=manual, amount=Decimal("1054.80"), currency="CHF", note="Appraisal")
    make_coin(inventory_number="3", issuer=nero)
    return valued, manual


def test_a_snapshot_values_every_coin_and_keeps_the_day(collection):
    valued, manual = collection
    report = take_snapshot(dt.date(2020, 5, 4))
    assert (report.coins, report.estimated, report.manual, report.not_enough) == (3, 1, 1, 1)
    rows = {s.coin_id: s for s in ValueSnapshot.objects.filter(taken_on=dt.date(2020, 5, 4))}
    assert (rows[valued.pk].amount, rows[valued.pk].currency) == (Decimal("1000"), "EUR")
    assert rows[valued.pk].comparables == 3 and "same type" in rows[valued.pk].rule
    # CHF 1054.80 at the ECB's 1.0548 of 4 May 2020 is EUR 1000.
    assert (rows[manual.pk].amount, rows[manual.pk].currency) == (Decimal("1000.00"), "EUR")
    assert len(rows) == 3


def test_a_second_run_the_same_day_replaces_that_day_only(collection):
    take_snapshot(dt.date(2020, 5, 4))
    take_snapshot(dt.date(2020, 6, 1))
    ManualValue.objects.update(amount=Decimal("2109.60"))
    take_snapshot(dt.date(2020, 6, 1))
    assert ValueSnapshot.objects.count() == 6
    assert ValueSnapshot.objects.get(taken_on=dt.date(2020, 5, 4), method="manual").amount == Decimal(
        "1000.00"
    )


def test_the_command_and_its_date_check(collection, capsys):
    call_command("snapshot_values", "--date", "2020-05-04")
    assert "3 coins, 1 valued from comparable sales, 1 by a manual value, 1 with not enough sales" in (
        capsys.readouterr().out
    )
    with pytest.raises(CommandError, match="not a date"):
        call_command("snapshot_values", "--date", "May 4th")
    with pytest.raises(CommandError, match="in the future"):
        call_command("snapshot_values", "--date", "2999-01-01")


def test_totals_by_category_issuer_and_month(collection):
    take_snapshot(dt.date(2020, 4, 1))
    take_snapshot(dt.date(2020, 4, 30))
    take_snapshot(dt.date(2020, 5, 4))
    value = collection_value()
    assert value["taken_on"] == dt.date(2020, 5, 4)
    assert value["total"] == [{"currency": "EUR", "amount": Decimal("2000.00")}]
    assert (value["estimated"], value["manual"], value["not_enough"], value["not_valued"]) == (1, 1, 1, 0)
    categories = {row["label"]: row["amounts"][0]["amount"] for row in value["by_category"]}
    assert categories == {"Roman Imperial": Decimal("1000"), "Greek": Decimal("1000.00")}
    assert [row["label"] for row in value["by_issuer"]] == ["Augustus", "Nero"]
    assert [m["day"] for m in value["history"]] == [dt.date(2020, 4, 30), dt.date(2020, 5, 4)]


def test_values_in_currencies_the_ecb_does_not_quote_are_never_added(collection):
    ManualValue.objects.update(currency="XAU", amount=Decimal("2"))
    take_snapshot(dt.date(2020, 5, 4))
    assert collection_value()["total"] == [
        {"currency": "EUR", "amount": Decimal("1000")},
        {"currency": "XAU", "amount": Decimal("2")},
    ]


def test_spending_converted_at_each_purchase_date(settings):
    settings.COINSTACK_OWNER_CURRENCY = "EUR"
    make_coin(
        acquisition_price=Decimal("1094.20"), acquisition_currency="USD", acquisition_date=dt.date(2020, 5, 4)
    )
    make_coin(
        acquisition_price=Decimal("100"), acquisition_currency="EUR", acquisition_date=dt.date(2021, 1, 4)
    )
    make_coin(acquisition_price=Decimal("5"), acquisition_currency="")
    spent = collection_value()["spent"]
    assert spent["amount"] == Decimal("1100.00") and spent["coins"] == 2
    assert spent["apart"] == [{"currency": "", "amount": Decimal("5")}]


def test_the_stats_page_shows_the_value_to_the_collector_only(collection, user_client, settings):
    html = user_client.get("/stats/").content.decode()
    assert "No values yet" in html
    take_snapshot(dt.date(2020, 5, 4))
    html = user_client.get("/stats/").content.decode()
    section = html[html.index('id="value"') :]
    section = section[: section.index("</section>")]
    assert "<strong>2,000 EUR</strong>" in section
    assert "valued from comparable sales" in section and "by a manual value" in section
    assert "Augustus" in section and "Roman Imperial" in section and "May 2020" in section
    settings.COINSTACK_PUBLIC_BROWSING = True
    assert 'id="value"' not in Client().get("/stats/").content.decode()


@pytest.mark.parametrize("coins", [1, 30])
def test_the_value_section_costs_the_same_queries_whatever_the_collection(
    user_client, django_assert_num_queries, coins
):
    for n in range(coins):
        coin = make_coin(inventory_number=str(n), issuer=make_issuer(f"Emperor {n}"))
        ManualValue.objects.create(coin=coin, amount=Decimal("10"), currency="EUR")
    take_snapshot(dt.date(2020, 5, 4))
    take_snapshot(dt.date(2020, 6, 4))
    # The page's 11 (test_views_detail) with the four reads a snapshot adds: the day's totals, by
    # category, by issuer, and the history by month.
    with django_assert_num_queries(15):
        assert user_client.get("/stats/").status_code == 200
