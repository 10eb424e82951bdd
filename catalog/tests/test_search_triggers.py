"""The coin search document after many kinds of writes is exactly what a fresh build gives (catalog 0012),
and on PostgreSQL a statement refreshes the coins it touched once, not once per row."""

import importlib

import pytest
from django.db import connection

from auctions.models import AuctionLot
from catalog.models import Coin, ProvenanceEvent, Reference
from catalog.search import PUBLIC_COLUMNS
from catalog.tests.factories import make_coin, make_mint
from ops.backups.fulltext import postgres_rebuild
from ops.demo import generate_collection
from vocab.merge import merge_terms
from vocab.models import Denomination, DenominationAlias, Issuer, IssuerAlias, Mint, MintAlias

pytestmark = pytest.mark.django_db

migration = importlib.import_module("catalog.migrations.0012_search_collectors_words")


def stale_documents() -> int:
    """How many coins' documents differ from a fresh build of the whole index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return postgres_rebuild(cursor, "public")
        cursor.execute(migration._sqlite_select("1"))
        fresh = {row[0]: row for row in cursor.fetchall()}
        cursor.execute(f"SELECT {migration.SQLITE_COLUMNS} FROM catalog_coin_fts")  # noqa: S608 - constant
        kept = {row[0]: row for row in cursor.fetchall()}
    return sum(fresh.get(coin) != kept.get(coin) for coin in fresh.keys() | kept.keys())


def every_kind_of_write() -> None:
    """Writes to every table the document reads, through the ORM's row and bulk paths."""
    generate_collection(coins=40, lots=60, seed=7, images=False)
    coins = list(Coin.objects.order_by("id"))
    # Aliases added, renamed, moved and removed; terms renamed and merged.
    issuer = Issuer.objects.filter(coins__isnull=False).first()
    IssuerAlias.objects.create(name="Nickname Of Issuer", target=issuer)
    denomination = Denomination.objects.filter(coins__isnull=False).first()
    alias = DenominationAlias.objects.create(name="Coinlet", target=denomination)
    DenominationAlias.objects.filter(pk=alias.pk).update(name="Big Coinlet", match_key="big coinlet")
    mint = Mint.objects.filter(coins__isnull=False).first()
    mint.name = mint.name + " Renamed"
    mint.save()
    duplicate = make_mint("Duplicate Mint")
    MintAlias.objects.create(name="Duplicate Alias", target=duplicate)
    make_coin(inventory_number="DUP-1", mint=duplicate)
    merge_terms(mint, [duplicate])
    MintAlias.objects.filter(target=mint).first().delete()
    # References and provenance: bulk, moved between coins, updated, deleted.
    Reference.objects.bulk_create(
        Reference(coin=coin, raw_text=f"Sear {n}", system="Sear", number=str(n))
        for n, coin in enumerate(coins)
    )
    Reference.objects.filter(system="Sear", coin=coins[0]).update(coin=coins[1])
    Reference.objects.filter(system="Sear", coin__in=coins[2:5]).delete()
    ProvenanceEvent.objects.bulk_create(
        ProvenanceEvent(coin=coin, name="Hunt Collection") for coin in coins[:10]
    )
    ProvenanceEvent.objects.filter(name="Hunt Collection", coin__in=coins[:3]).update(name="Garrett")
    # A lot becomes where the owner bought a coin, another stops being it.
    lots = list(AuctionLot.objects.filter(provenance_events__isnull=False).distinct()[:2])
    assert len(lots) == 2
    for lot, role in zip(lots, ["acquisition", "comparable"], strict=True):
        lot.coin_role = role
        lot.save()
    # Coins: bulk updates of words and of columns the document does not read, a delete.
    Coin.objects.filter(pk__in=[c.pk for c in coins[:20]]).update(storage_location="Tray 9", metal="gold")
    Coin.objects.filter(pk__in=[c.pk for c in coins[20:]]).update(acquisition_price=10)
    coins[-1].delete()


def test_the_document_is_what_a_fresh_build_gives_after_every_kind_of_write():
    every_kind_of_write()
    assert Coin.objects.count() == 40  # 40 generated, one added and one deleted
    assert stale_documents() == 0


def test_a_stale_document_is_noticed():
    # The comparison above can fail: a document changed behind the triggers' back is counted.
    make_coin(inventory_number="X-1", storage_location="Tray 1")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE catalog_coin_search SET private_document = to_tsvector('simple', 'tray 2')"
            )
        else:
            cursor.execute("UPDATE catalog_coin_fts SET private = 'Tray 2'")
    assert stale_documents() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement triggers are PostgreSQL's; SQLite has row triggers only",
)
def test_postgres_refreshes_once_per_statement_not_per_row():
    def refreshes() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(pg_stat_get_xact_function_calls("
                "'catalog_coin_search_refresh_many(bigint[])'::regprocedure), 0)"
            )
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL track_functions = 'pl'")
    coins = [make_coin(inventory_number=f"S-{n}") for n in range(10)]
    before = refreshes()
    # 30 references for 10 coins in one statement: one refresh of the 10 coins.
    Reference.objects.bulk_create(
        Reference(coin=coin, raw_text=f"RIC I {n}", number=str(n)) for n in range(3) for coin in coins
    )
    assert refreshes() == before + 1
    Reference.objects.filter(coin__in=coins).update(variant="a")
    Reference.objects.filter(coin__in=coins).delete()
    assert refreshes() == before + 3
    # The generator: a few statements per table, whatever the number of rows.
    before = refreshes()
    generate_collection(coins=300, lots=0, seed=2, images=False)
    assert Reference.objects.count() > 300
    assert refreshes() - before <= 10


def test_visitors_search_every_column_but_the_private_one():
    assert PUBLIC_COLUMNS == migration.PUBLIC_COLUMNS
    assert "private" not in PUBLIC_COLUMNS


def test_every_trigger_of_the_document_is_in_place():
    # A later migration that rebuilds one of these tables on SQLite (an alias table, say) without
    # coinstack.schema_ops.KeepingSQLiteTriggers would drop its triggers silently: this notices.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text, tgtype & 1 FROM pg_trigger "
                "WHERE tgname LIKE 'catalog_coin_search%%' AND NOT tgisinternal"
            )
            found = {(name, table): for_each_row for name, table, for_each_row in cursor.fetchall()}
            assert set(found) == {(name, table) for name, table, _sql in migration.PG_TRIGGERS}
            assert not any(found.values()), "every trigger of the document runs once per statement"
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'")
            found = {row[0] for row in cursor.fetchall()}
            assert {name for name, _event, _table, _body in migration.SQLITE_TRIGGERS} <= found
