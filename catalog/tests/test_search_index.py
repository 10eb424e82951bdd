"""The coin search's shortcuts through SQLite's FTS5 index (catalog.search_index) answer exactly
what the joined queries answer: the total, and every page in relevance order (rank, then inventory
order, then id), with matches tied in rank, disposed coins among the best, a visitor's search that
leaves the private column out, and pages too deep or readings too short to tell (None: the list
then runs the joined query, and the page is the same)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from catalog import search_index
from catalog.filters import CoinFilter
from catalog.listing import ordered
from catalog.models import Coin
from catalog.tests.factories import make_coins_tied_in_rank

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's full-text index"),
]


@pytest.fixture
def coins():
    return make_coins_tied_in_rank()


def joined_ids(text: str, private: bool) -> list[int]:
    """The list's own query: the search, the held coins, relevance order."""
    filterset = CoinFilter(QueryDict(f"q={text}"), queryset=Coin.objects.all(), private=private)
    return list(ordered(filterset.qs, "", searching=True).values_list("pk", flat=True))


def match_of(text: str, private: bool) -> str:
    filterset = CoinFilter(QueryDict(f"q={text}"), queryset=Coin.objects.all(), private=private)
    match = search_index.fts5_search_alone(filterset, private)
    assert match is not None
    return match


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize("margin", [0, 1, 5, 64])
def test_every_page_is_the_joined_querys_page(coins, monkeypatch, private, margin):
    monkeypatch.setattr(search_index, "MARGIN", margin)
    expected = joined_ids("caes", private)
    match = match_of("caes", private)
    assert search_index.search_total(match) == len(expected)
    told = 0
    for limit in (1, 7, 20):
        for offset in range(0, len(expected) + limit, limit):
            ids = search_index.ranked_page_ids(match, offset, limit)
            if ids is not None:
                told += 1
                assert ids == expected[offset : offset + limit], (offset, limit)
    # With room to spare the index tells every page; with none, ties and sold coins make it say
    # "cannot tell" (None) for some, never a wrong page.
    if margin == 64:
        assert told == sum(len(range(0, len(expected) + limit, limit)) for limit in (1, 7, 20))
    # The visitor's search leaves the private notes out: fewer matches.
    if not private:
        assert len(expected) < len(joined_ids("caes", True))


def test_a_page_too_deep_is_left_to_the_joined_query(coins, monkeypatch):
    monkeypatch.setattr(search_index, "MAX_POSITION", 10)
    match = match_of("caes", True)
    assert search_index.ranked_page_ids(match, 0, 10) is not None
    assert search_index.ranked_page_ids(match, 10, 1) is None


def test_no_match_is_an_empty_page(coins):
    assert search_index.ranked_page_ids(match_of("zzzz", True), 0, 48) == []
    assert search_index.search_total(match_of("zzzz", True)) == 0


def test_only_a_search_alone_takes_the_shortcut(coins):
    def alone(query: str) -> bool:
        filterset = CoinFilter(QueryDict(query), queryset=Coin.objects.all(), private=True)
        return search_index.fts5_search_alone(filterset, True) is not None

    assert alone("q=caes")
    assert not alone("q=caes&metal=silver")
    assert not alone("q=caes&disposed=only")
    assert not alone("q=...")  # no words: no search
    assert not alone("metal=silver")
    issuer_page = CoinFilter(QueryDict("q=caes"), queryset=Coin.objects.filter(issuer_id=1), private=True)
    assert search_index.fts5_search_alone(issuer_page, True) is None


def page_ids(user_client, query: str) -> list[int]:
    html = user_client.get(f"/coins/?{query}").content.decode()
    return [int(pk) for pk in re.findall(r'<a href="/coins/(\d+)/\?from=', html)]


def test_the_list_pages_are_the_same_either_way(user_client, coins, monkeypatch):
    from django.core.cache import cache

    from catalog import listing

    expected = joined_ids("caes", True)
    pages = range(1, (len(expected) + 11) // 12 + 1)
    answered = []
    monkeypatch.setattr(
        listing, "ranked_page_ids", lambda *args: answered.append(args) or search_index.ranked_page_ids(*args)
    )
    shortcut = [page_ids(user_client, f"q=caes&per_page=12&page={n}") for n in pages]
    assert shortcut == [expected[(n - 1) * 12 : n * 12] for n in pages]
    assert len(answered) == len(pages) and all(shortcut)
    # The joined query's pages (the shortcut cannot tell), from a fresh cache: the same.
    cache.clear()
    monkeypatch.setattr(listing, "ranked_page_ids", lambda *args: None)
    assert [page_ids(user_client, f"q=caes&per_page=12&page={n}") for n in pages] == shortcut
