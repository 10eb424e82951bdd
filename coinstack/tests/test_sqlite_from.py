"""coinstack.sqlite_from: a query's FROM clause steering SQLite's planner. A search's FTS5 table leads
its join (CROSS JOIN) and a table read through a named index (INDEXED BY) keeps it: the lot search's
facet counts use both at once, and count what the plain queries count."""

import pytest
from django.db import connection
from django.db.models import Count

from auctions.filters import SEARCH_FACETS_INDEX, search_lots
from auctions.models import AuctionLot
from catalog.tests.factories import make_lot
from coinstack.sqlite_from import reading_index

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FROM clause"),
]


def test_an_index_named_after_a_search_keeps_the_search_leading():
    for n in range(6):
        make_lot(
            url=f"https://example.org/lot/{n}",
            title=("Hadrian denarius" if n % 2 else "Trajan sestertius"),
            status=("sold", "unsold")[n % 3 == 0],
        )
    searched = search_lots(AuctionLot.objects.filter(status="sold"), "denarius")
    both = reading_index(searched, SEARCH_FACETS_INDEX).order_by().values("house_id").annotate(n=Count("id"))

    sql, params = both.query.sql_with_params()
    assert f'auctions_lot_fts CROSS JOIN "auctions_auctionlot" INDEXED BY {SEARCH_FACETS_INDEX}' in sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert plan[0].startswith("SCAN auctions_lot_fts VIRTUAL TABLE"), plan
    assert SEARCH_FACETS_INDEX in plan[1], plan
    expected = [lot for lot in AuctionLot.objects.filter(status="sold") if "denarius" in lot.title.lower()]
    assert sum(row["n"] for row in both) == len(expected) == searched.count() == 2
