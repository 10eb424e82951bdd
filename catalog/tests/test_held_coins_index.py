"""The held coins' lists read their partial indexes (coin_held_*_idx, WHERE disposal = '') without
reading the rows behind them: Coin.objects.held() states `disposal = ''` with the empty text in the
SQL. Bound as a parameter, SQLite still picked the index but read every entry's row to test the
disposal again: a deep page of 100,000 coins walked 48,000 rows (22 ms instead of 1.6 ms).
PostgreSQL, which has no such partial index, reads `disposal` from the inventory-order index itself
(catalog 0020)."""

import pytest
from django.db import connection

from catalog.models import Coin
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db


def test_the_held_condition_is_written_into_the_sql():
    sql, params = Coin.objects.held().values_list("pk").query.sql_with_params()
    assert "disposal\" = ''" in sql
    assert "" not in params


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's bytecode (EXPLAIN)")
def test_a_deep_page_of_held_coins_reads_no_row_of_the_table():
    for n in range(3):
        make_coin(inventory_number=f"A-{n}")
    ids = Coin.objects.held().order_by("inventory_sort", "id").values_list("pk", flat=True)[1:2]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN {sql}", params)
        opcodes = [row[1] for row in cursor.fetchall()]
    assert "coin_held_inventory_idx" in plan
    # No column of a row is read: the index alone answers (its entries hold the order and the id).
    assert "Column" not in opcodes, opcodes
    assert list(ids) == list(Coin.objects.order_by("inventory_sort", "id").values_list("pk", flat=True))[1:2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE columns are PostgreSQL's")
def test_postgresql_reads_a_page_of_held_coins_from_the_index_alone():
    """coin_inventory_sort_idx carries `disposal` (catalog 0020): the planner can answer a page of
    held coins in inventory order with an index-only scan (told not to scan the table, which on a
    test database's few rows it would)."""
    from django.db import transaction

    for n in range(3):
        make_coin(inventory_number=f"A-{n}")
    ids = Coin.objects.held().order_by("inventory_sort", "id").values_list("pk", flat=True)[1:2]
    sql, params = ids.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using coin_inventory_sort_idx" in plan, plan
