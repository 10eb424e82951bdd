"""A lot search's page with its total, on PostgreSQL: one statement that reads the matches once.

The lot list's search matches by an expression index (to_tsvector over the title and description,
auctions 0004). PostgreSQL's planner prices recomputing that expression at a fraction of what it
costs (about 75 us a lot), so for a page in the list's order it often walks the order's index and
recomputes the expression for every lot it passes: 77 ms for the first page of "eagle" (8,000 of
200,000 lots), where reading the matches from the index and sorting them takes a few. And the
total was a second reading of the same matches. Here the matches (id and the order's columns) are
read once from the index (a CTE kept apart from the ordering), counted, and the page is sorted from
them: the same lots in the same order as `ordered_lots` gives.

May import auctions.filters (the order's columns) and Django's database layer.
"""

from django.db import connection
from django.db.models import QuerySet

from .filters import sort_columns


def postgres_search_page(matching: QuerySet, sort: str, offset: int, limit: int) -> tuple[int, list[int]]:
    """(total, ids): how many lots `matching` (the list's filtered lots, unordered) holds, and the
    ids at positions offset .. offset+limit-1 in the order `sort` asks, by one statement."""
    columns, descending = sort_columns(sort)
    inner = matching.order_by().values_list("pk", *columns)
    sql, params = inner.query.sql_with_params()
    direction = "DESC" if descending else "ASC"
    names = [f"c{n}" for n in range(len(columns))]
    # The order's columns are named c0, c1 in the CTE; lots missing a value last either way, ties
    # by id in the same direction (ordered_lots). Every name here is a constant; the filters'
    # values travel as the inner query's parameters.
    order = ", ".join([*(f"{name} {direction} NULLS LAST" for name in names), f"id {direction}"])
    statement = (
        f"WITH matches(id, {', '.join(names)}) AS MATERIALIZED ({sql})"  # noqa: S608
        f" SELECT (SELECT count(*) FROM matches),"
        f" ARRAY(SELECT id FROM matches ORDER BY {order} OFFSET %s LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, offset, limit])
        total, ids = cursor.fetchone()
    return total, list(ids)
