"""A lot search's page read with its total by one statement on PostgreSQL (auctions.search_page) is
the list's own page: the same lots in the same order for every sort, every page, with other filters,
for the owner and for a visitor (the owner's purchases left out)."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict

from auctions.filters import LOT_SORT_COLUMNS, LotFilter, ordered_lots
from auctions.models import AuctionLot
from auctions.search_page import postgres_search_page
from catalog.tests.factories import make_lot, make_sale

pytestmark = pytest.mark.django_db

SORTS = ["", *LOT_SORT_COLUMNS, *(f"-{name}" for name in LOT_SORT_COLUMNS)]


@pytest.fixture
def lots():
    """30 lots, most matching "denarius": dates, prices and estimates repeated (ties) or missing."""
    cng, roma = make_sale("CNG", "120"), make_sale("Roma Numismatics", "27")
    for n in range(30):
        sale = cng if n % 3 else roma
        sold = n % 2 == 1
        make_lot(
            url=f"https://example.test/page/{n}",
            house=sale.house,
            sale=sale,
            title=f"Rome denarius {n}" if n % 5 else f"Antioch tetradrachm {n}",
            status="sold" if sold else "unsold",
            hammer_price=Decimal(n % 4 * 10) if sold and n % 7 else None,
            estimate_low=Decimal(n % 3 * 100) if n % 4 else None,
            estimate_high=Decimal(n % 3 * 100 + 50) if n % 4 else None,
            closing_date=None if n % 8 == 0 else datetime(2024, 1, 1 + n % 4, tzinfo=UTC),
            coin_role="acquisition" if n == 9 else "",
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement")
@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize("query", ["q=denarius", "q=rome+denarius&status=sold", "q=zzzz"])
def test_every_page_is_the_lists_page(lots, query, private):
    filterset = LotFilter(QueryDict(query), queryset=AuctionLot.objects.all(), private=private)
    for sort in SORTS:
        expected = list(ordered_lots(filterset.qs, sort).values_list("pk", flat=True))
        for limit in (1, 4, 7):
            for offset in range(0, len(expected) + 2 * limit, limit):
                read = postgres_search_page(filterset.qs, sort, offset, limit)
                assert read == (len(expected), expected[offset : offset + limit]), (sort, offset, limit)
    if query == "q=denarius":
        # The visitor's list leaves the owner's purchase out.
        owners = LotFilter(QueryDict(query), queryset=AuctionLot.objects.all(), private=True)
        assert postgres_search_page(filterset.qs, "", 0, 1)[0] == 24 - (not private)
        assert postgres_search_page(owners.qs, "", 0, 1)[0] == 24


def titles(html: str) -> list[str]:
    return re.findall(r'class="lot-title">([^<]+)</a>', html)


@pytest.mark.parametrize("sort", ["", "hammer", "-estimate"])
def test_each_page_of_a_search_right_after_a_write(user_client, lots, monkeypatch, sort):
    """Every page, each the first visit after a write (nothing cached), and a page past the end
    (the last page): the lots in the list's order, under the right total."""
    from auctions import views

    monkeypatch.setattr(views, "PER_PAGE", 7)
    filterset = LotFilter(QueryDict("q=denarius"), queryset=AuctionLot.objects.all(), private=True)
    expected = list(ordered_lots(filterset.qs, sort).values_list("title", flat=True))
    pages = range(1, (len(expected) + 6) // 7 + 1)

    def page(number: int) -> list[str]:
        cache.clear()
        html = user_client.get(f"/auctions/?q=denarius&sort={sort}&page={number}").content.decode()
        assert f"<strong>{len(expected)}</strong> lots" in html
        return titles(html)

    assert [page(n) for n in pages] == [expected[(n - 1) * 7 : n * 7] for n in pages]
    assert page(pages[-1] + 3) == expected[(pages[-1] - 1) * 7 :]
