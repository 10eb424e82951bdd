"""Cached facet counts and statistics are never stale: every write changes the data version.

The version is a token replaced by database triggers (catalog 0006, auctions 0004), so the tests
write the ways the application and its importers do: save(), bulk_create(), queryset.update(),
delete(), and raw SQL; and they check pages after each write, with the cache warm.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from auctions.models import AuctionHouse, AuctionLot, LotReference, Sale
from catalog.models import Coin, CoinImage, ManualValue, ProvenanceEvent, Reference, SeriesMembership
from catalog.tests.factories import (
    make_coin,
    make_image,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
    make_sale,
    make_series,
)
from coinstack.dataversion import DataVersion
from coinstack.tests.list_pages import facet_count, results_count
from vocab.models import Denomination

pytestmark = pytest.mark.django_db

COLLECTION, MARKET = DataVersion.COLLECTION, DataVersion.MARKET


def changes(scope: str, write) -> bool:
    """Whether `write()` gave `scope` a new token."""
    before = DataVersion.current(scope)
    write()
    return DataVersion.current(scope) != before


def test_every_kind_of_write_to_the_collection_changes_its_version():
    coin = make_coin(inventory_number="V-1")
    assert DataVersion.current(COLLECTION)
    assert changes(COLLECTION, lambda: make_coin(inventory_number="V-2"))
    assert changes(COLLECTION, lambda: Coin.objects.bulk_create([Coin(inventory_number="V-3")]))
    assert changes(COLLECTION, lambda: Coin.objects.filter(pk=coin.pk).update(metal="bronze"))
    assert changes(COLLECTION, lambda: Coin.objects.filter(inventory_number="V-3").delete())
    assert changes(COLLECTION, lambda: make_image(coin, is_primary=True))
    assert changes(COLLECTION, lambda: CoinImage.objects.filter(coin=coin).delete())
    assert changes(COLLECTION, lambda: make_reference(coin))
    assert changes(COLLECTION, lambda: Reference.objects.filter(coin=coin).update(number="208"))
    assert changes(COLLECTION, lambda: ProvenanceEvent.objects.create(coin=coin, name="Roma"))
    series = make_series("Five Good Emperors", slots=2)
    assert changes(
        COLLECTION,
        lambda: SeriesMembership.objects.create(series=series, coin=coin, slot=series.slots.first()),
    )
    assert changes(COLLECTION, lambda: make_issuer("Nerva"))
    assert changes(COLLECTION, lambda: make_mint("Antioch"))
    assert changes(COLLECTION, lambda: Denomination.objects.create(name="Quinarius"))

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_coin SET grade = %s WHERE id = %s", ["VF", coin.pk])

    assert changes(COLLECTION, raw_update)
    # Writes to the market leave the collection's caches alone, and the other way round.
    assert not changes(COLLECTION, lambda: make_lot(url="https://example.test/v/1"))
    assert not changes(MARKET, lambda: Coin.objects.filter(pk=coin.pk).update(grade="EF"))


def test_every_kind_of_write_to_the_market_changes_its_version():
    sale = make_sale("CNG", "120")
    assert changes(MARKET, lambda: make_lot(url="https://example.test/m/1", house=sale.house, sale=sale))
    lot = AuctionLot.objects.get()
    assert changes(MARKET, lambda: AuctionLot.objects.filter(pk=lot.pk).update(status="sold"))
    assert changes(MARKET, lambda: LotReference.objects.create(lot=lot, raw_text="RIC I 207"))
    assert changes(MARKET, lambda: AuctionHouse.objects.filter(pk=sale.house_id).update(name="CNG Inc."))
    assert changes(MARKET, lambda: AuctionLot.objects.filter(pk=lot.pk).delete())
    # A sale's date and name are read by a coin's value (catalog 0016).
    assert changes(MARKET, lambda: Sale.objects.filter(pk=sale.pk).update(date=date(2020, 1, 2)))


def test_a_manual_value_changes_the_collections_version():
    coin = make_coin(inventory_number="MV-1")
    assert changes(COLLECTION, lambda: ManualValue.objects.create(coin=coin, amount=10, currency="EUR"))
    assert changes(COLLECTION, lambda: ManualValue.objects.filter(coin=coin).update(amount=Decimal("12")))
    assert changes(COLLECTION, lambda: ManualValue.objects.filter(coin=coin).delete())
    assert not changes(MARKET, lambda: ManualValue.objects.create(coin=coin, amount=1, currency="EUR"))


def test_a_rolled_back_write_never_hands_its_token_to_a_later_state():
    make_coin(inventory_number="R-1")
    committed = DataVersion.current(COLLECTION)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_coin(inventory_number="R-2")
        uncommitted = DataVersion.current(COLLECTION)
        raise RuntimeError("roll back")
    # The old data and the old token come back together...
    assert DataVersion.current(COLLECTION) == committed
    # ...and the next write gets a token of its own, not the one the rolled-back state had.
    make_coin(inventory_number="R-3")
    assert DataVersion.current(COLLECTION) not in (committed, uncommitted)


def test_coin_list_facets_follow_every_write_with_the_cache_warm(user_client):
    for n in range(3):
        make_coin(inventory_number=f"F-{n}", metal="silver")
    html = user_client.get("/coins/").content.decode()
    assert facet_count(html, "metal", "silver") == 3 and results_count(html) == 3
    # The same state again is served from the cache: fewer queries, the same panel.
    with CaptureQueriesContext(connection) as warm_request:
        warm = user_client.get("/coins/").content.decode()
    assert facet_count(warm, "metal", "silver") == 3
    # queryset.update() (no save(), no signal) must still show at once.
    Coin.objects.filter(inventory_number="F-0").update(metal="bronze")
    with CaptureQueriesContext(connection) as after_write:
        html = user_client.get("/coins/").content.decode()
    assert facet_count(html, "metal", "silver") == 2
    assert facet_count(html, "metal", "bronze") == 1
    assert len(after_write.captured_queries) > len(warm_request.captured_queries)
    Coin.objects.filter(inventory_number="F-1").delete()
    html = user_client.get("/coins/?metal=silver").content.decode()
    assert results_count(html) == 1 and facet_count(html, "metal", "silver") == 1


def test_search_facets_follow_a_new_reference_and_an_issuer_rename(user_client):
    coin = make_coin(inventory_number="S-1", issuer=make_issuer("Hadrian"))
    make_coin(inventory_number="S-2", issuer=make_issuer("Trajan"))
    assert results_count(user_client.get("/coins/?q=Hadrian").content.decode()) == 1
    assert "No coins match" in user_client.get("/coins/?q=Cohen").content.decode()
    make_reference(coin, raw_text="Cohen 1234", system="Cohen", number="1234")
    assert results_count(user_client.get("/coins/?q=Cohen").content.decode()) == 1
    coin.issuer.name = "Hadrianus"
    coin.issuer.save()
    assert results_count(user_client.get("/coins/?q=Hadrianus").content.decode()) == 1
    # The search's facet counts come from the list's facets endpoint (coinstack.listing.facets_later).
    html = user_client.get("/coins/facets/?q=Hadrianus").content.decode()
    assert facet_count(html, "issuer", str(coin.issuer_id)) == 1


def test_cached_cards_follow_every_write_that_shows_on_them(user_client):
    """A page's cards are cached as markup under the data version: repeated, the page reads no coin;
    an issuer renamed, a grade changed by queryset.update() or a new primary image show at once."""
    coin = make_coin(inventory_number="K-1", issuer=make_issuer("Hadrian"), grade="VF")
    user_client.get("/coins/")
    with CaptureQueriesContext(connection) as warm:
        html = user_client.get("/coins/").content.decode()
    assert "Hadrian" in html and not any('FROM "catalog_coin"' in q["sql"] for q in warm.captured_queries)
    coin.issuer.name = "Hadrianus"
    coin.issuer.save()
    assert ">Hadrianus</h3>" in user_client.get("/coins/").content.decode()
    Coin.objects.filter(pk=coin.pk).update(grade="Choice EF")
    assert ">Choice EF</span>" in user_client.get("/coins/").content.decode()
    make_image(coin, is_primary=True, source_url="https://images.example/k1.jpg")
    assert "https://images.example/k1.jpg" in user_client.get("/coins/").content.decode()


def test_cached_table_rows_keep_the_owners_columns_to_the_owner(client, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    make_coin(inventory_number="R-1", acquisition_price=Decimal("321"), acquisition_currency="EUR")
    client.force_login(User.objects.create_user("owner", password="not-used-here"))
    assert "321 EUR" in client.get("/coins/?view=table").content.decode()
    client.logout()
    assert "321 EUR" not in client.get("/coins/?view=table").content.decode()


def test_private_and_public_visitors_do_not_share_cached_counts(client, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    make_coin(inventory_number="P-1", notes="bought from Uncle Bob")
    make_coin(inventory_number="P-2")
    client.force_login(User.objects.create_user("owner", password="not-used-here"))
    assert results_count(client.get("/coins/?q=Uncle").content.decode()) == 1
    client.logout()
    # A visitor asking the same question must not be served the signed-in count.
    assert "No coins match" in client.get("/coins/?q=Uncle").content.decode()


def test_stats_follow_writes_with_the_cache_warm(user_client):
    make_coin(inventory_number="T-1", acquisition_date=date(2022, 1, 1), acquisition_price=Decimal("100"),
              acquisition_currency="EUR")  # fmt: skip
    html = user_client.get("/stats/").content.decode()
    assert "100 EUR" in html
    Coin.objects.filter(inventory_number="T-1").update(acquisition_price=Decimal("175"))
    html = user_client.get("/stats/").content.decode()
    assert "175 EUR" in html and "100 EUR" not in html


def test_lot_list_facets_follow_writes_with_the_cache_warm(user_client):
    sale = make_sale("Roma Numismatics", "27")
    for n in range(3):
        make_lot(url=f"https://example.test/l/{n}", house=sale.house, sale=sale, status="sold",
                 currency="GBP", closing_date=datetime(2024, 5, 2, tzinfo=UTC))  # fmt: skip
    html = user_client.get("/auctions/?status=sold").content.decode()
    assert facet_count(html, "currency", "GBP") == 3
    assert results_count(html) == 3
    AuctionLot.objects.filter(url="https://example.test/l/0").update(currency="CHF")
    html = user_client.get("/auctions/?status=sold").content.decode()
    assert facet_count(html, "currency", "GBP") == 2 and facet_count(html, "currency", "CHF") == 1
    assert results_count(html) == 3


def inventory_numbers(html: str) -> list[str]:
    return re.findall(r'class="coin-card-inv">#([^<]+)</p>', html)


def test_a_repeated_search_page_keeps_its_order_and_follows_writes(user_client):
    for n in range(6):
        make_coin(inventory_number=f"C-{n}", obverse_legend="IMP CAES TRAIAN" if n % 2 else "IMP CAES")
    first = user_client.get("/coins/?q=CAES&per_page=4").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = user_client.get("/coins/?q=CAES&per_page=4").content.decode()
    # Served from the cached ids: no FTS ranking query, the same coins in the same order.
    assert not any("catalog_coin_fts" in q["sql"] for q in ctx.captured_queries)
    assert inventory_numbers(again) == inventory_numbers(first) and len(inventory_numbers(first)) == 4
    page_two = inventory_numbers(user_client.get("/coins/?q=CAES&per_page=4&page=2").content.decode())
    assert set(page_two).isdisjoint(inventory_numbers(first)) and len(page_two) == 2
    # A coin that stops matching leaves the cached page at once.
    gone = inventory_numbers(first)[0]
    Coin.objects.filter(inventory_number=gone).update(obverse_legend="DIVVS AVGVSTVS")
    html = user_client.get("/coins/?q=CAES&per_page=4").content.decode()
    assert gone not in inventory_numbers(html) and results_count(html) == 5


def test_every_table_of_both_scopes_carries_its_version_trigger():
    """A migration that rebuilds one of these tables on SQLite (Django copies it to a new table)
    silently drops its triggers unless wrapped in KeepingSQLiteTriggers; caches would then go stale."""
    expected = {
        "catalog_coin", "catalog_coinimage", "catalog_reference", "catalog_provenanceevent",
        "catalog_series", "catalog_seriesslot", "catalog_seriesmembership", "vocab_issuer",
        "vocab_mint", "vocab_denomination", "auctions_auctionlot", "auctions_lotreference",
        "auctions_auctionhouse", "auctions_sale", "catalog_manualvalue",
    }  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            rows = cursor.fetchall()
            for op in ("insert", "update", "delete"):
                assert {t for t, name in rows if name == f"dataversion_{t}_{op}"} == expected, op
            names = {name for _, name in rows}
            assert {"auctions_lot_fts_ai", "auctions_lot_fts_au", "auctions_lot_fts_ad"} <= names
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = 'dataversion_bump'"
            )
            assert {row[0] for row in cursor.fetchall()} == expected
