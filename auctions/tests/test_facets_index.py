"""SQLite reads a filtered lot list's facet counts from lot_facets_idx (auctions 0011) when every filter
applied is one whose column the index holds: the counts are those of the lots themselves, for the
owner and for a visitor (whose list leaves the owner's purchases out), and the query names the index;
the list's own pages never read it."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from auctions.filters import FACETS_INDEX, LotFilter, ordered_lots
from auctions.models import AuctionHouse, AuctionLot, CoinRole
from catalog.tests.factories import make_coin, make_lot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the index is SQLite's (auctions 0011)"),
]

FACETS = {"house": "house_id", "currency": "currency", "status": "status"}


@pytest.fixture
def lots():
    houses = [AuctionHouse.objects.create(name=name, slug=name.lower()) for name in ("CNG", "Roma", "Nomos")]
    coin = make_coin()
    for n in range(36):
        sold = n % 4 != 0
        make_lot(
            url=f"https://example.org/lot/{n}",
            house=houses[n % 3],
            currency=("USD", "EUR", "CHF")[n % 3 if n % 2 else 0],
            status="sold" if sold else "unsold",
            hammer_price=Decimal(50 * n + 10) if sold else None,
            closing_date=timezone.make_aware(datetime.datetime(2018 + n % 6, 3, 1)),
            coin=coin if n % 5 == 0 else None,
            coin_role=(CoinRole.ACQUISITION, CoinRole.PROVENANCE, "")[n % 3] if n % 5 == 0 else "",
        )


def panel(query: str, private: bool) -> tuple[dict, list[str]]:
    filterset = LotFilter(QueryDict(query), queryset=AuctionLot.objects.all(), private=private)
    with CaptureQueriesContext(connection) as queries:
        counts = filterset.facet_counts()
    return counts, [q["sql"] for q in queries.captured_queries]


def counted_in_python(rows, chosen: dict) -> dict:
    """Each facet's counts over `rows`, with every chosen facet applied but its own."""
    out = {}
    for facet, column in FACETS.items():
        others = {name: values for name, values in chosen.items() if name != facet}
        kept = [lot for lot in rows if all(getattr(lot, FACETS[n]) in v for n, v in others.items())]
        out[facet] = dict(Counter(v for v in (getattr(lot, column) for lot in kept) if v not in (None, "")))
    return out


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize(
    ("query", "keep", "chosen"),
    [
        ("price_min=500", lambda lot: lot.hammer_price is not None and lot.hammer_price >= 500, {}),
        ("linked=no&status=sold", lambda lot: lot.coin_id is None, {"status": ["sold"]}),
        ("linked=yes", lambda lot: lot.coin_id is not None, {}),
        (
            "date_from=2020-01-01&currency=EUR",
            lambda lot: lot.closing_date.year >= 2020,
            {"currency": ["EUR"]},
        ),
    ],
)
def test_counts_under_its_filters_read_the_index_and_are_the_lots_own(lots, query, keep, chosen, private):
    counts, queries = panel(query, private)

    grouped = [sql for sql in queries if "GROUP BY" in sql]
    assert grouped and all(f"INDEXED BY {FACETS_INDEX}" in sql for sql in grouped), grouped
    for sql in grouped:  # from the index alone: no lot row is read
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            assert f"USING COVERING INDEX {FACETS_INDEX}" in str(cursor.fetchall())
    visible = AuctionLot.objects.all() if private else AuctionLot.objects.public()
    expected = counted_in_python([lot for lot in visible if keep(lot)], chosen)
    for facet in FACETS:
        assert counts[facet] == expected[facet], facet


def test_a_chosen_house_is_found_by_its_own_index(lots):
    house = AuctionHouse.objects.get(name="Roma")

    counts, queries = panel(f"house={house.pk}&price_min=500", private=True)

    house_count = [sql for sql in queries if "GROUP BY" in sql and '"currency"' not in sql.split("FROM")[0]]
    others = [sql for sql in queries if "GROUP BY" in sql and sql not in house_count]
    assert house_count and all(FACETS_INDEX in sql for sql in house_count)
    assert others and not any(FACETS_INDEX in sql for sql in others)
    priced = [lot for lot in AuctionLot.objects.all() if lot.hammer_price and lot.hammer_price >= 500]
    assert counts["house"] == dict(Counter(lot.house_id for lot in priced))


@pytest.mark.parametrize(
    "query", ["status=sold&price_min=500", "linked=no", "currency=EUR&date_to=2021-01-01"]
)
@pytest.mark.parametrize("sort", ["", "-hammer", "date"])
def test_the_lists_own_pages_never_read_it(lots, query, sort):
    filterset = LotFilter(QueryDict(query), queryset=AuctionLot.objects.all(), private=True)
    page = ordered_lots(filterset.qs, sort).values_list("pk", flat=True)[100:150]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert FACETS_INDEX not in plan, plan
