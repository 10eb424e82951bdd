"""SQLite reads a filtered coin list's facet counts from coin_facets_idx (catalog 0023) when every
filter applied is one whose column the index holds: the counts are those of the coins themselves,
and the query names the index; a vocabulary term's filter (found by its own index) leaves it out."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog.filters import FACETS, FACETS_INDEX, CoinFilter
from catalog.models import Coin
from catalog.tests.factories import make_coin, make_issuer, make_mint

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the index is SQLite's (catalog 0023)"),
]


@pytest.fixture
def coins():
    issuers = [make_issuer("Hadrian"), make_issuer("Trajan"), make_issuer("Faustina")]
    mints = [make_mint("Roma"), make_mint("Antioch")]
    for n in range(40):
        make_coin(
            category=("roman_imperial", "roman_provincial")[n % 2],
            metal=("silver", "bronze", "gold")[n % 3],
            issuer=issuers[n % 3],
            mint=mints[n % 2] if n % 5 else None,
            grade_band=20 + n * 2,
            acquisition_price=Decimal(10 * n + 5),
            grading_state=("raw", "slabbed")[n % 4 == 0],
            grade_service="NGC" if n % 4 == 0 else "",
            disposal="sold" if n % 9 == 0 else "",
        )


def panel(query: str) -> tuple[dict, list[str]]:
    """The facet counts of the list filtered by `query`, and the SQL of the queries that made them."""
    filterset = CoinFilter(QueryDict(query), queryset=Coin.objects.all(), private=True)
    with CaptureQueriesContext(connection) as queries:
        counts = filterset.facet_counts()
    return counts, [q["sql"] for q in queries.captured_queries]


def explained(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def counted_in_python(coins, skip: str | None = None, **facet_values) -> dict:
    """Each facet's counts over `coins`, the facet's own chosen value left out (as the panel does)."""
    out = {}
    for facet, column in FACETS.items():
        chosen = {name: value for name, value in facet_values.items() if name != facet}
        rows = [
            c for c in coins if all(getattr(c, FACETS[name]) in values for name, values in chosen.items())
        ]
        out[facet] = dict(Counter(v for v in (getattr(c, column) for c in rows) if v not in (None, "")))
    return out


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("grade_min=50", lambda c: c.grade_band >= 50 and not c.disposal),
        ("price_min=100&price_max=300", lambda c: 100 <= c.acquisition_price <= 300 and not c.disposal),
        ("grading_state=slabbed&grade_min=30", lambda c: c.grade_band >= 30 and not c.disposal),
    ],
)
def test_counts_under_its_filters_read_the_index_and_are_the_coins_own(coins, query, keep):
    counts, queries = panel(query)

    grouped = [sql for sql in queries if "GROUP BY" in sql]
    assert grouped and all(f"INDEXED BY {FACETS_INDEX}" in sql for sql in grouped), grouped
    # From the index alone: no coin row is read.
    assert all(f"USING COVERING INDEX {FACETS_INDEX}" in explained(sql) for sql in grouped)
    chosen = {"grading_state": ["slabbed"]} if "grading_state" in query else {}
    expected = counted_in_python([c for c in Coin.objects.all() if keep(c)], **chosen)
    for facet in FACETS:
        assert {str(k): v for k, v in counts[facet].items()} == {
            str(k): v for k, v in expected[facet].items()
        }, facet


def test_a_chosen_issuer_is_found_by_its_own_index_and_its_facet_by_this_one(coins):
    hadrian = Coin.objects.filter(issuer__name="Hadrian").values_list("issuer_id", flat=True).first()

    counts, queries = panel(f"issuer={hadrian}&grade_min=50")

    grouped = [sql for sql in queries if "GROUP BY" in sql]
    # The issuer facet counts the coins of every issuer (the grade alone): from the index. The
    # others count Hadrian's coins: through his issuer's index, not this one.
    issuer_count = [sql for sql in grouped if "issuer_id" in sql.split("FROM")[0] and "category" not in sql]
    others = [sql for sql in grouped if sql not in issuer_count]
    assert issuer_count and all(f"INDEXED BY {FACETS_INDEX}" in sql for sql in issuer_count)
    assert others and not any(FACETS_INDEX in sql for sql in others)
    held = [c for c in Coin.objects.held() if c.grade_band >= 50]
    assert counts["issuer"] == dict(Counter(c.issuer_id for c in held))
    assert counts["metal"] == dict(Counter(c.metal for c in held if c.issuer_id == hadrian))


def test_the_index_holds_every_column_its_filters_and_the_panel_read():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pragma_index_info(%s)", [FACETS_INDEX])
        columns = {row[0] for row in cursor.fetchall()}
    assert set(FACETS.values()) <= columns
    assert {
        "disposal",
        "grade_band",
        "year_start",
        "year_end",
        "acquisition_price",
        "acquisition_date",
    } <= columns


@pytest.mark.parametrize(
    ("filters", "sort"),
    [
        ({"category": ["roman_imperial"], "metal": ["silver"]}, "-year"),
        ({"grade_min": 50}, ""),
        ({"metal": ["silver"], "grade_max": 60}, "-price"),
    ],
)
def test_the_lists_own_pages_never_read_it(coins, filters, sort):
    """It serves no seek (it leads with a constant): a page sorted by year keeps walking its ordered
    index instead of seeking category and metal here and sorting every coin they select."""
    from ops.indexcheck import coin_list

    sql, params = coin_list(filters, sort=sort).values_list("pk", flat=True)[96:144].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert FACETS_INDEX not in plan, plan


def test_the_coins_no_longer_held_are_read_from_their_own_index(coins):
    """The index is of the held coins: the few disposed ones (/stats/ counts their images, references
    and provenance) keep coming from coin_disposed_idx, not from a walk of this one."""
    from django.db.models import Count

    from catalog.models import CoinImage

    # The shape of /stats/'s count (catalog.valuation.collection): the images of the disposed coins.
    disposed = Coin.objects.exclude(disposal="").values("pk")
    counted = CoinImage.objects.filter(coin_id__in=disposed).aggregate(n=Count("coin_id", distinct=True))
    assert counted == {"n": 0}
    images = CoinImage.objects.filter(coin_id__in=disposed).values("coin_id")
    sql, params = images.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert FACETS_INDEX not in plan, plan
