"""A filtered coin list's page read by walking the held coins in inventory order
(catalog.listing._walked_page_ids, SQLite): the same coins as the list's own query, whether the walk
finds them, falls back to that query, or does not apply. The window is made small here so that a few
coins show every case; on PostgreSQL the list's own query always answers, and the pages must agree
all the same.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import listing
from catalog.models import Coin
from catalog.tests.factories import make_coin
from catalog.tests.test_views_list import inventory_numbers
from coinstack.tests.list_pages import results_count

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.fixture
def skewed(monkeypatch):
    """20 bronze coins first in inventory order (A-01..A-20), then 10 silver ones (B-01..B-10): the
    silver coins all lie past a window of 16. Two of the bronze coins are sold, so a page counts
    held coins only."""
    monkeypatch.setattr(listing, "WALK_WINDOW", 16)
    monkeypatch.setattr(listing, "WALK_FROM_COUNT", 2)
    for n in range(1, 21):
        make_coin(inventory_number=f"A-{n:02}", metal="bronze", disposal="sold" if n in (3, 7) else "")
    for n in range(1, 11):
        make_coin(inventory_number=f"B-{n:02}", metal="silver")


def expected(metal: str, page: int) -> list[str]:
    numbers = list(
        Coin.objects.held()
        .filter(metal=metal)
        .order_by("inventory_sort", "id")
        .values_list("inventory_number", flat=True)
    )
    return numbers[(page - 1) * PER_PAGE : page * PER_PAGE]


def walked(captured) -> bool:
    return any("NOT INDEXED" in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize(
    ("metal", "page", "tries"),
    [
        ("bronze", 1, True),  # the first 4 held bronze coins lie in the window: read from it
        ("bronze", 2, True),  # positions 5-8 too (the window holds 14 held bronze coins)
        ("bronze", 3, False),  # positions 9-12: past half the window, the list's own query
        ("silver", 1, True),  # none in the window: the walk gives way to the list's own query
        ("silver", 3, False),  # the last page, 2 coins
    ],
)
def test_a_walked_page_is_the_lists_own_page(user_client, skewed, metal, page, tries):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get(f"/coins/?metal={metal}&grade_min=F&per_page={PER_PAGE}&page={page}")
    assert inventory_numbers(response) == expected(metal, page)
    assert results_count(response.content.decode()) == Coin.objects.held().filter(metal=metal).count()
    # The walk is SQLite's: PostgreSQL plans the list's own query with its statistics.
    assert walked(captured) == (tries and connection.vendor == "sqlite")


def test_no_walk_without_a_filter_or_with_another_order(user_client, skewed):
    for query in ("", "sort=year&grade_min=F", "metal=bronze&sort=-inventory&grade_min=F"):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            user_client.get(f"/coins/?per_page={PER_PAGE}&{query}")
        assert not walked(captured), query


def test_no_walk_for_a_filter_that_lets_few_coins_through(user_client, skewed, monkeypatch):
    monkeypatch.setattr(listing, "WALK_FROM_COUNT", 100)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get(f"/coins/?metal=bronze&grade_min=F&per_page={PER_PAGE}")
    assert not walked(captured)
    assert inventory_numbers(response) == expected("bronze", 1)


def test_no_walk_when_disposed_coins_are_listed_too(user_client, skewed):
    """With the sold coins listed, the held coins' order is not the list's: A-03 and A-07 come among
    the first bronze coins."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get(f"/coins/?metal=bronze&grade_min=F&disposed=all&per_page={PER_PAGE}")
    assert not walked(captured)
    assert inventory_numbers(response) == ["A-01", "A-02", "A-03", "A-04"]
