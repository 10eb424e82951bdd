"""PostgreSQL's coin search ranks and counts as the plain SQL it stands for: the rank of every match is
ts_rank over (document || private_document), though the concatenation is built only for rows whose
private vector holds a word (catalog.search.postgres_rank); the search's total counted from
catalog_coin_search (catalog.search_index.postgres_search_total) is the COUNT of the listed coins;
and the page read with its total (postgres_ranked_page) is the list's own page, ties and all."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from catalog.filters import CoinFilter
from catalog.listing import ordered
from catalog.models import Coin
from catalog.search import apply_search
from catalog.search_index import postgres_ranked_page, postgres_search_total
from catalog.tests.factories import make_coin, make_coins_tied_in_rank, make_issuer, make_reference
from coinstack.search import search_terms, tsquery

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own search SQL"),
]

TEXTS = ["CAES", "caes avg", "denarius", "tray", "caes tray", "hadrian tray", "zurich caes", "nothing"]


@pytest.fixture
def coins():
    hadrian = make_issuer("Hadrian")
    made = [
        # the words in the public document only
        make_coin(inventory_number="P1", issuer=hadrian, obverse_legend="IMP CAES HADRIANO AVG"),
        make_coin(inventory_number="P2", obverse_legend="CAESAR AVGVSTVS", reverse_legend="CAES CAES"),
        # a word in both vectors: the private part changes the rank
        make_coin(
            inventory_number="B1",
            issuer=hadrian,
            obverse_legend="CAES AVG",
            notes="caes again, bought at Zurich",
            storage_location="tray 4",
        ),
        # a word only in the private vector, another only in the public one
        make_coin(
            inventory_number="V1", obverse_legend="DIVI F", storage_location="tray 9", notes="denarius"
        ),
        make_coin(inventory_number="V2", issuer=hadrian, obverse_legend="CAES", notes="tray"),
        # a private vector without any searched word
        make_coin(inventory_number="N1", obverse_legend="CAES CAESAR", notes="cabinet"),
        make_coin(
            inventory_number="D1",
            obverse_legend="CAES",
            notes="tray",
            disposal="sold",
            disposal_date=dt.date(2026, 5, 1),
            disposal_price=Decimal("450.00"),
            disposal_currency="EUR",
        ),
    ]
    make_reference(made[1], raw_text="RIC I 207 denarius", system="RIC", volume="I", number="207")
    return made


def _plain_ranks(text: str, include_private: bool) -> dict[str, tuple]:
    """Each coin's -ts_rank computed the plain way (both vectors concatenated), with the list's
    tie-breakers after it: {inventory number: (rank, inventory_sort, id)}."""
    query = tsquery(search_terms(text))
    document = "s.document || s.private_document" if include_private else "s.document"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.inventory_number, -ts_rank({document}, to_tsquery('simple', %s)),"  # noqa: S608
            " c.inventory_sort, c.id FROM catalog_coin c JOIN catalog_coin_search s ON s.coin_id = c.id",
            [query],
        )
        return {number: tuple(rest) for number, *rest in cursor.fetchall()}


@pytest.mark.parametrize("include_private", [True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_each_match_has_the_rank_of_both_vectors(coins, text, include_private):
    found = apply_search(Coin.objects.all(), text, include_private=include_private)
    ranks = dict(found.values_list("inventory_number", "search_rank"))
    plain = _plain_ranks(text, include_private)
    assert ranks == {number: plain[number][0] for number in ranks}  # the very same floats
    ordered = found.order_by("search_rank", "inventory_sort", "id")
    assert list(ordered.values_list("inventory_number", flat=True)) == sorted(ranks, key=plain.get)


def test_a_private_word_changes_the_rank():
    # What the fixture's B1 relies on: the concatenation ranks otherwise than the document alone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank(to_tsvector('simple', 'caes avg') || to_tsvector('simple', 'caes'), q),"
            " ts_rank(to_tsvector('simple', 'caes avg'), q) FROM to_tsquery('simple', 'caes:*') q"
        )
        both, document = cursor.fetchone()
    assert both != document


@pytest.mark.parametrize("include_private", [True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_search_total_is_the_count_of_held_matches(coins, text, include_private):
    listed = apply_search(Coin.objects.held(), text, include_private=include_private)
    filterset = CoinFilter(QueryDict(f"q={text}"), queryset=Coin.objects.all(), private=include_private)
    assert postgres_search_total(filterset, include_private) == listed.count()


@pytest.fixture
def tied_coins():
    return make_coins_tied_in_rank()


@pytest.mark.parametrize("include_private", [True, False])
@pytest.mark.parametrize("text", ["caes", "caes avg", "victoria", "zzzz"])
def test_the_page_read_with_its_total_is_the_lists_page(tied_coins, text, include_private):
    filterset = CoinFilter(QueryDict(f"q={text}"), queryset=Coin.objects.all(), private=include_private)
    expected = list(ordered(filterset.qs, "", searching=True).values_list("pk", flat=True))
    for limit in (1, 7, 20):
        for offset in range(0, len(expected) + 2 * limit, limit):
            read = postgres_ranked_page(filterset, include_private, offset, limit)
            assert read == (len(expected), expected[offset : offset + limit]), (offset, limit)
    if text == "caes":
        # Enough matches, most of them tied in rank, for the pages to cut through ties.
        ranks = apply_search(Coin.objects.held(), text, include_private=include_private).values_list(
            "search_rank", flat=True
        )
        assert len(expected) > 40 and len(set(ranks)) < len(expected) / 4
        if not include_private:  # the Caesarea hoard is in the owner's notes only
            owners = CoinFilter(QueryDict("q=caes"), queryset=Coin.objects.all(), private=True)
            assert len(expected) < postgres_ranked_page(owners, True, 0, 1)[0]


def test_no_ranked_page_unless_the_search_is_all_that_filters(tied_coins):
    searched_by_metal = CoinFilter(
        QueryDict("q=caes&metal=silver"), queryset=Coin.objects.all(), private=True
    )
    assert postgres_ranked_page(searched_by_metal, True, 0, 10) is None
    wordless = CoinFilter(QueryDict("q=%2B%2B"), queryset=Coin.objects.all(), private=True)
    assert postgres_ranked_page(wordless, True, 0, 10) is None


def test_the_list_pages_come_with_their_total(user_client, tied_coins, monkeypatch):
    """Right after a write each page of the search is read with its total, once; a page past the end
    shows the last page (read again, for its own positions)."""
    from django.core.cache import cache

    from catalog import listing

    filterset = CoinFilter(QueryDict("q=caes"), queryset=Coin.objects.all(), private=True)
    expected = list(ordered(filterset.qs, "", searching=True).values_list("pk", flat=True))
    pages = range(1, (len(expected) + 11) // 12 + 1)
    read = []
    monkeypatch.setattr(
        listing, "postgres_ranked_page", lambda *args: read.append(args[2:]) or postgres_ranked_page(*args)
    )

    def page_ids(number: int) -> list[int]:
        cache.clear()  # as right after a write
        html = user_client.get(f"/coins/?q=caes&per_page=12&page={number}").content.decode()
        assert f"{len(expected)} coins" in html
        return [int(pk) for pk in re.findall(r'<a href="/coins/(\d+)/\?from=', html)]

    assert [page_ids(n) for n in pages] == [expected[(n - 1) * 12 : n * 12] for n in pages]
    assert read == [((n - 1) * 12, 12) for n in pages]
    read.clear()
    last = pages[-1]
    assert page_ids(last + 5) == expected[(last - 1) * 12 :]
    assert read == [((last + 4) * 12, 12), ((last - 1) * 12, 12)]
