"""Every page the benchmark times runs the same number of queries with 5 coins and with 60.

A count that grows with the rows is an N+1 (a query per coin, image, reference or lot) and turns a
10 ms page into a 10 s page at 100,000 coins. Each coin here has everything a page may touch per
row: its own issuer, mint and denomination, a primary and a second image, two references,
provenance, a series membership, and two linked, sold lots with references of their own.
Each page's count is pinned: a change that adds a query must say so here.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from auctions.models import AuctionHouse, AuctionLot, LotReference, Sale
from catalog.models import Coin, CoinImage, ProvenanceEvent, Reference, Series, SeriesMembership, SeriesSlot
from ops.benchmark.pages import PAGES, Page
from vocab.models import Denomination, Issuer, Mint


def add_coins(start: int, count: int) -> list[Coin]:
    """Coins number start..start+count-1, each with its own vocabulary terms and related rows."""
    house, _ = AuctionHouse.objects.get_or_create(name="Roma Numismatics", defaults={"slug": "roma"})
    sale, _ = Sale.objects.get_or_create(
        house=house, number="27", defaults={"name": "Auction XXVII", "date": date(2024, 5, 2)}
    )
    series, _ = Series.objects.get_or_create(slug="twelve-caesars", defaults={"name": "Twelve Caesars"})
    coins = []
    for n in range(start, start + count):
        issuer = Issuer.objects.create(name=f"Emperor {n}", reign_start=100 + n, reign_end=110 + n)
        mint = Mint.objects.create(name=f"Mint {n}")
        denomination = Denomination.objects.create(name=f"Denomination {n}")
        coin = Coin.objects.create(
            inventory_number=str(n),
            category="roman_imperial",
            metal="silver",
            issuer=issuer,
            mint=mint,
            denomination=denomination,
            year_start=100 + n,
            year_end=101 + n,
            weight_g=Decimal("3.40"),
            obverse_legend=f"IMP CAES TRAIAN HADRIANO AVG {n}",
            reverse_legend="P M TR P COS III",
            grade="VF",
            grade_band=70,
            acquisition_date=date(2020, 1, 1) + timedelta(days=n),
            acquisition_price=Decimal(100 + n),
            acquisition_currency="USD",
            acquisition_source="Roma Numismatics",
            storage_location="SlabBox1",
        )
        CoinImage.objects.create(coin=coin, source_url=f"https://img.example/{n}-o.jpg", is_primary=True)
        CoinImage.objects.create(
            coin=coin, source_url=f"https://img.example/{n}-r.jpg", kind="reverse", position=1
        )
        Reference.objects.create(coin=coin, system="RIC", volume="II", number=str(n), raw_text=f"RIC II {n}")
        Reference.objects.create(coin=coin, system="RSC", number=str(n), raw_text=f"RSC {n}", position=1)
        slot = SeriesSlot.objects.create(series=series, number=n, name=f"Slot {n}")
        SeriesMembership.objects.create(series=series, coin=coin, slot=slot)
        for k in range(2):
            lot = AuctionLot.objects.create(
                url=f"https://www.numisbids.com/n.php?p=lot&sid=27&lot={n * 10 + k}",
                platform="numisbids",
                house=house,
                sale=sale,
                lot_number=str(n * 10 + k),
                title=f"Hadrian AR Denarius {n}",
                description=f"Hadrian. AR Denarius (18mm, 3.40 g, 6h). RIC II {n}. VF.",
                hammer_price=Decimal(200 + n),
                currency="USD",
                status="sold",
                closing_date=datetime(2024, 5, 2, tzinfo=UTC),
                coin=coin,
                coin_role="provenance" if k else "acquisition",
            )
            LotReference.objects.create(
                lot=lot, system="RIC", volume="II", number=str(n), raw_text=f"RIC II {n}"
            )
            ProvenanceEvent.objects.create(coin=coin, kind="auction", name="Roma", auction_lot=lot, order=k)
        coins.append(coin)
    return coins


# Queries per page for a signed-in curator (session and user included), right after a write (the
# data-version caches are cold), whatever the number of rows; the same on SQLite and PostgreSQL.
# The coin list, unfiltered or filtered by category and metal, and the statistics read their counts
# from the table the database keeps (catalog.tallies) in one query instead of a GROUP BY per facet;
# a list page reads its ids first, then those coins with their primary images
# (catalog.listing.paginate: one query more, so a deep page skips index entries, not joined rows).
# The lot list filtered by status alone reads its facet counts and total from the lot counts the
# database keeps (auctions.lot_counts: one query instead of two GROUP BYs over the lots).
EXPECTED_QUERIES = {
    # home: the coins, issuers and mints from the kept counts in one query (three before).
    "home": 8,
    "coin_list": 8,
    "coin_list_filtered": 8,
    # A text search right after a write leaves its facet counts to a second request
    # (coinstack.listing.facets_later): coin_search neither runs the GROUP BY over every match nor
    # names the issuer, mint and denomination choices (2) and counts its total in one query
    # instead (1). On SQLite its page's ids come from the FTS5 index first, then the held
    # coins among the best matches (catalog.search_index.ranked_page_ids): one query more. On
    # PostgreSQL its total and its page's ids are one statement (postgres_ranked_page): one fewer.
    "coin_search": 8 if connection.vendor == "sqlite" else 6,
    "coin_list_deep": 8,
    # coin_detail: the data versions its lots and value section is cached under (1); the section
    # itself, not cached on a first visit, is coin_detail_lots (catalog.coin_lots): session and
    # user (2), the data versions (1), the coin and its references (2), its linked and comparable
    # lots (2), and the value panel (3: manual value, the lots of the coin's type, the lots of its
    # issuer, denomination and metal, the last only when the type's sales cannot value the coin, as
    # here: its lots are its own). stats: with /stats/'s value section without a snapshot (3: the
    # latest snapshot's day, coins counted, spending converted); stats also takes the disposed
    # coins' images and references off the kept 'has' counts (2).
    "coin_detail": 8,
    "coin_detail_lots": 10,
    "stats": 12,
    "auction_list": 7,
    # A text search right after a write leaves its facet counts to a second request
    # (coinstack.listing.facets_later): lot_search counts its total from the search index instead
    # of the facets' GROUP BY, and names no houses (8 before). On PostgreSQL the total and the
    # page's ids are one statement (auctions.search_page): one query fewer.
    "lot_search": 7 if connection.vendor == "sqlite" else 6,
    # The facets endpoints those searches ask (coinstack.listing.facets_later): session and user
    # (2), the data version (1), the facets' GROUP BY (1), the names of the choices shown (coins:
    # issuer, mint and denomination in one query, catalog.listing.vocabulary_names; lots: houses, 1).
    "coin_search_facets": 5,
    "lot_search_facets": 5,
    # A filter the kept counts do not serve (FacetMixin.counts_wait): session and user (2), the
    # data version (1), the count of the coins listed (1), the page's ids and its coins (2), the
    # series choices (1), and no facet count; its facets endpoint then groups the coins without the
    # metal filter for the metal facet (1), and with it for the others (1), and names the vocabulary
    # choices shown (1).
    "coin_list_graded": 7,
    "coin_list_graded_facets": 6,
}


def count_queries(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def path_for(page: Page, coin: Coin) -> str:
    return page.path.format(id=coin.pk, page=500)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_queries_do_not_grow_with_rows(client, django_user_model, page):
    user = django_user_model.objects.create_superuser("curator", "curator@example.com", "pw-not-used-12345")
    client.force_login(user)
    first = add_coins(1, 5)[0]
    few, few_sql = count_queries(client, path_for(page, first))
    add_coins(6, 55)
    many, many_sql = count_queries(client, path_for(page, first))
    assert many == few, f"{page.name}: {few} queries with 5 coins, {many} with 60:\n" + "\n".join(
        sql for sql in many_sql if sql not in few_sql
    )
    assert few == EXPECTED_QUERIES[page.name], f"{page.name}: {few} queries:\n" + "\n".join(few_sql)
