"""The lot counts the database keeps (auctions 0009, auctions.lot_counts) agree with the lots.

Every kind of write is checked against the GROUP BYs they replace (LotFilter's counting without
them): inserts, updates of each counted column and of other columns, deletes, bulk writes, a
rolled-back write, and, on PostgreSQL, a journal long enough to be folded into the counts.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from auctions import lot_counts
from auctions.filters import LotFilter
from auctions.models import AuctionLot, LotStatus
from catalog.tests.factories import make_coin, make_lot, make_sale

pytestmark = pytest.mark.django_db

# Filter states the kept counts answer for: none, each facet, several facets and values together.
STATES = [
    "",
    "status=sold",
    "status=sold&status=unsold",
    "currency=USD",
    "currency=usd&status=open",
    "house={cng}",
    "house={cng}&house={roma}&currency=CHF&status=sold",
]


def by_scan(filterset: LotFilter) -> tuple[dict, int | None]:
    filterset.maintained_counts = lambda names, active: None
    counts = filterset.facet_counts()
    total = filterset.qs.count()
    return counts, total


def by_kept(filterset: LotFilter) -> tuple[dict, int | None]:
    counts = filterset.facet_counts()
    return counts, filterset.facet_total


def assert_counts_agree(houses: dict) -> None:
    for private in (True, False):
        for state in STATES:
            data = QueryDict(state.format(**{name: house.pk for name, house in houses.items()}))
            kept = by_kept(LotFilter(data, queryset=AuctionLot.objects.all(), private=private))
            assert kept[1] is not None, f"{state}: the kept counts did not serve"
            scanned = by_scan(LotFilter(data, queryset=AuctionLot.objects.all(), private=private))
            assert kept == scanned, f"private={private} {state!r}"


@pytest.fixture
def market():
    cng = make_sale("CNG", "120").house
    roma = make_sale("Roma Numismatics", "27").house
    coin = make_coin(inventory_number="K-1")
    rows = [
        dict(house=cng, currency="USD", status="sold", hammer_price=Decimal(500)),
        dict(house=cng, currency="USD", status="unsold"),
        dict(
            house=roma,
            currency="GBP",
            status="sold",
            hammer_price=Decimal(80),
            coin=coin,
            coin_role="acquisition",
        ),
        dict(house=roma, currency="CHF", status="open", coin=coin),  # linked without a role: a purchase
        dict(house=roma, currency="CHF", status="sold", coin=coin, coin_role="comparable"),
        dict(house=None, currency="", status="pending"),
    ]
    for n, fields in enumerate(rows):
        make_lot(url=f"https://example.test/kept/{n}", **fields)
    return {"cng": cng, "roma": roma, "coin": coin}


def test_counts_agree_after_inserts(market):
    assert_counts_agree({"cng": market["cng"], "roma": market["roma"]})
    counts, total = lot_counts.facet_counts(["status"], {}, include_purchases=False)
    assert total == 4  # the two purchases are left out for the public
    assert counts["status"] == {"sold": 2, "unsold": 1, "pending": 1}


def test_counts_follow_updates_and_deletes(market):
    houses = {"cng": market["cng"], "roma": market["roma"]}
    lot = AuctionLot.objects.get(url="https://example.test/kept/1")
    lot.status = LotStatus.OPEN
    lot.save()
    assert_counts_agree(houses)
    lot.house = market["roma"]
    lot.currency = "CHF"
    lot.save()
    assert_counts_agree(houses)
    # Linking makes it a purchase (linked without a role), a role unmakes it.
    lot.coin = market["coin"]
    lot.save()
    assert_counts_agree(houses)
    lot.coin_role = "provenance"
    lot.save()
    assert_counts_agree(houses)
    # A column that is not counted changes nothing (and the trigger does not fire).
    AuctionLot.objects.filter(pk=lot.pk).update(title="Another title")
    assert_counts_agree(houses)
    # Bulk writes: a queryset update, a bulk insert, a queryset delete.
    AuctionLot.objects.filter(status="sold").update(currency="EUR")
    assert_counts_agree(houses)
    AuctionLot.objects.bulk_create(
        AuctionLot(url=f"https://example.test/bulk/{n}", house=market["cng"], currency="USD", status="sold")
        for n in range(5)
    )
    assert_counts_agree(houses)
    AuctionLot.objects.filter(house=market["roma"]).delete()
    assert_counts_agree(houses)
    lot_counts_after = lot_counts.facet_counts(["house"], {}, include_purchases=True)
    assert market["roma"].pk not in lot_counts_after[0]["house"]


def test_a_rolled_back_write_leaves_the_counts(market):
    before = lot_counts.facet_counts(["status"], {}, include_purchases=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_lot(url="https://example.test/kept/rolled-back", status="sold", currency="USD")
        raise RuntimeError("roll back")
    assert lot_counts.facet_counts(["status"], {}, include_purchases=True) == before


def test_other_filters_count_the_lots(market):
    data = QueryDict("status=sold&linked=yes")
    assert lot_counts.facet_counts(["status"], {"linked": "yes"}, include_purchases=True) is None
    filterset = LotFilter(data, queryset=AuctionLot.objects.all(), private=True)
    counts = filterset.facet_counts()
    assert counts["status"] == {"sold": 2, "open": 1}


def test_a_long_journal_is_folded_into_the_counts(market):
    """Many lots in one go: PostgreSQL journals the changes and folds them into the counts when the
    transaction commits (SET CONSTRAINTS ... IMMEDIATE folds what is pending now); the counts agree
    with the lots before the fold and after it."""
    AuctionLot.objects.bulk_create(
        AuctionLot(url=f"https://example.test/many/{n}", house=market["cng"], currency="USD", status="sold")
        for n in range(2100)
    )
    AuctionLot.objects.filter(url__startswith="https://example.test/many/1").update(status="unsold")
    assert_counts_agree({"cng": market["cng"], "roma": market["roma"]})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS lotcount_fold IMMEDIATE")
            cursor.execute("SELECT count(*) FROM auctions_lotcount_journal")
            assert cursor.fetchone()[0] == 0
        assert_counts_agree({"cng": market["cng"], "roma": market["roma"]})
