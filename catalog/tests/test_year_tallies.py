"""The coin counts per striking year the database keeps (catalog migration 0019), and the date-range
facet panel read from them.

The kept rows are compared with the same counts made in Python from the coins after every kind of
write (save, bulk_create, queryset.update(), delete, raw SQL, a rolled-back transaction, PostgreSQL's
fold at commit); the facet panel of a date range is compared with CoinFilter's GROUP BYs over coins
dated in every way a coin can be (a range, a start only, an end only, none, BC and AD).
"""

from collections import Counter

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog import tallies
from catalog.filters import FACETS, CoinFilter
from catalog.models import Coin
from catalog.tests.factories import make_coin, make_issuer, make_mint

pytestmark = pytest.mark.django_db

# The panel's facets and the coin columns they count (the triggers keep the same ones).
PANEL = FACETS


def kept_rows() -> Counter:
    """(edge, facet, value, year) -> n, counts and journal added up, zero rows left out."""
    rows: Counter = Counter()
    with connection.cursor() as cursor:
        for table in tallies.YEAR_TABLES:
            cursor.execute(f"SELECT edge, facet, value, year, n FROM {table}")  # noqa: S608 - constant
            for edge, facet, value, year, n in cursor.fetchall():
                rows[(edge, facet, value, year)] += n
    return Counter({key: n for key, n in rows.items() if n})


def counted_rows() -> Counter:
    """What kept_rows() must hold, counted from the held coins in Python."""
    rows: Counter = Counter()
    for coin in Coin.objects.held().values("year_start", "year_end", *PANEL.values()):
        start, end = coin["year_start"], coin["year_end"]
        for edge, year in (
            ("f", end if end is not None else start),
            ("t", start if start is not None else end),
        ):
            if year is None:
                continue
            rows[(edge, "total", "", year)] += 1
            for facet, column in PANEL.items():
                value = coin[column]
                rows[(edge, facet, "" if value is None else str(value), year)] += 1
    return rows


def kept_equals_scan() -> None:
    assert kept_rows() == counted_rows()


def dated_coins() -> list[Coin]:
    trajan, philip = make_issuer("Trajan"), make_issuer("Philip II")
    rome, pella = make_mint("Rome"), make_mint("Pella")
    return [
        make_coin(inventory_number="1", issuer=trajan, mint=rome, year_start=98, year_end=117),
        make_coin(inventory_number="2", issuer=trajan, metal="gold", year_start=112, year_end=None),
        make_coin(inventory_number="3", issuer=philip, mint=pella, category="greek", year_start=-359,
                  year_end=-336),
        make_coin(inventory_number="4", issuer=philip, category="greek", metal="gold", year_start=None,
                  year_end=-340),
        make_coin(inventory_number="5", category="greek", metal="bronze", year_start=None, year_end=None),
        make_coin(inventory_number="6", grading_state="slabbed", grade_service="ngc", year_start=-150,
                  year_end=-150),
        make_coin(inventory_number="7", metal="bronze", year_start=-44, year_end=14),
        make_coin(inventory_number="8", year_start=200, year_end=200, disposal="sold"),
    ]  # fmt: skip


def grouped(data: QueryDict) -> tuple[dict, int | None]:
    counted = CoinFilter(data, queryset=Coin.objects.all())
    counted.maintained_counts = lambda names, active: None  # the GROUP BYs
    return counted.facet_counts(), counted.facet_total


def coins_grouped(queries) -> list[str]:
    return [q["sql"] for q in queries if "GROUP BY" in q["sql"] and '"catalog_coin"' in q["sql"]]


@pytest.mark.parametrize(
    "query",
    ["year_from=100", "year_from=-340", "year_from=-341", "year_to=-340", "year_to=-360", "year_to=1000",
     "year_from=-359&year_to=-336", "year_from=-150&year_to=-150", "year_from=15&year_to=97",
     "year_from=-44&year_to=14", "year_from=-1000&year_to=1000", "year_from=113&year_to=116",
     "year_from=300&year_to=400"],
)  # fmt: skip
def test_a_date_range_is_counted_from_the_years_as_the_group_by_counts_it(query):
    dated_coins()
    data = QueryDict(query)
    kept = CoinFilter(data, queryset=Coin.objects.all())
    with CaptureQueriesContext(connection) as queries:
        counts = kept.facet_counts()
    assert coins_grouped(queries) == []  # read from the counts per year, no coin read
    assert (counts, kept.facet_total) == grouped(data)
    assert kept.facet_total == kept.qs.count()


@pytest.mark.parametrize(
    "query",
    [
        "year_from=117&year_to=98",
        "year_from=1&metal=silver",
        "year_to=1&has_images=false",
        "year_from=1&q=Trajan",
    ],
)
def test_other_states_are_counted_from_the_coins(query):
    """A reversed range (it lets through the coins spanning it, which the difference of two ranges
    does not count) and a date range with other filters: the GROUP BYs, as before."""
    dated_coins()
    data = QueryDict(query)
    kept = CoinFilter(data, queryset=Coin.objects.all())
    assert tallies.facet_counts_in_years(list(PANEL), kept.active_filters(), set()) is None
    with CaptureQueriesContext(connection) as queries:
        counts = kept.facet_counts()
    assert coins_grouped(queries)
    assert counts == grouped(data)[0]


def test_an_active_facet_with_a_date_range_is_counted_from_the_years():
    coins = dated_coins()
    data = QueryDict(f"issuer={coins[0].issuer_id}&year_from=1")
    kept = CoinFilter(data, queryset=Coin.objects.all())
    with CaptureQueriesContext(connection) as queries:
        counts = kept.facet_counts()
    assert counts == grouped(data)[0]
    assert counts["issuer"] == {coins[0].issuer_id: 2}
    issuer_grouped = [q for q in coins_grouped(queries) if "issuer_id" in q.split("FROM")[0]]
    assert issuer_grouped == []


def test_counts_follow_every_kind_of_write():
    coins = dated_coins()
    kept_equals_scan()
    Coin.objects.bulk_create(
        [Coin(inventory_number=f"B{n}", metal="bronze", year_start=n - 5, year_end=n) for n in range(6, 14)]
    )
    kept_equals_scan()
    coins[0].year_end = 120
    coins[0].metal = "billon"
    coins[0].save()
    kept_equals_scan()
    Coin.objects.filter(metal="bronze").update(year_start=None, mint=coins[2].mint)
    kept_equals_scan()
    Coin.objects.filter(inventory_number="8").update(disposal="")  # back in the collection
    coins[1].delete()
    kept_equals_scan()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_coin SET year_end = year_end + 1 WHERE year_end IS NOT NULL")
        cursor.execute("UPDATE catalog_coin SET disposal = 'sold' WHERE inventory_number = %s", ["3"])
    kept_equals_scan()
    data = QueryDict("year_from=-340&year_to=100")
    kept = CoinFilter(data, queryset=Coin.objects.all())
    assert (kept.facet_counts(), kept.facet_total) == grouped(data)


def test_a_rolled_back_write_rolls_its_counts_back():
    dated_coins()
    before = kept_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_coin(inventory_number="gone", year_start=1, year_end=2)
        Coin.objects.update(year_start=-500)
        raise RuntimeError("undo")
    assert kept_rows() == before


def _journal_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_coinyearcount_journal")
        return cursor.fetchone()[0]


def test_a_large_write_is_counted_before_and_after_the_fold():
    """PostgreSQL journals the changes and folds them in at commit (SET CONSTRAINTS ... IMMEDIATE
    folds what is pending now); readers add both up. SQLite keeps no journal."""
    Coin.objects.bulk_create(
        [
            Coin(inventory_number=f"F{n}", metal="gold" if n % 3 else "bronze", year_start=n % 50 + 1)
            for n in range(300)
        ]
    )
    kept_equals_scan()
    if connection.vendor != "postgresql":
        assert _journal_rows() == 0
        return
    assert _journal_rows() >= 300
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS coinyearcount_fold IMMEDIATE")
    assert _journal_rows() == 0
    kept_equals_scan()
    make_coin(inventory_number="after the fold", year_start=7, year_end=9)
    assert _journal_rows() == 0
    kept_equals_scan()


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_leaves_an_empty_journal():
    with transaction.atomic():
        Coin.objects.bulk_create([Coin(inventory_number=f"C{n}", year_start=n + 1) for n in range(200)])
        make_coin(inventory_number="one more", year_start=-20, year_end=-10)
    assert _journal_rows() == 0
    kept_equals_scan()
