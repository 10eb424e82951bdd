"""A query's FROM clause telling SQLite's planner what it cannot know without statistics (the app
runs no ANALYZE, so the planner guesses every filter selective): which index to read a table through,
and which table of a join to walk first. Both wrap the query's base table (Django's BaseTable), so the
queryset keeps every other filter, join and order it has.

- `reading_index(queryset, index)`: the base table read through `index` (INDEXED BY), or through
  none but its primary key (NOT INDEXED).
- `matches_first(queryset, fts)`: the base table behind its FTS5 table (`fts CROSS JOIN table`).

Index and table names come from code, never from a visitor.
"""

from django.db.models import QuerySet
from django.db.models.sql.datastructures import BaseTable


class _IndexedTable(BaseTable):
    """The base table with SQLite's `INDEXED BY <index>` (or, without an index, `NOT INDEXED`),
    after whatever the table it replaces wrote (a search's `fts CROSS JOIN`)."""

    def __init__(self, table: BaseTable, index: str | None):
        super().__init__(table.table_name, table.table_alias)
        self.table = table
        self.index = index

    def as_sql(self, compiler, connection):
        sql, params = self.table.as_sql(compiler, connection)
        clause = f"INDEXED BY {self.index}" if self.index else "NOT INDEXED"
        return f"{sql} {clause}", params

    def relabeled_clone(self, change_map):
        return self.__class__(self.table.relabeled_clone(change_map), self.index)


def reading_index(queryset: QuerySet, index: str | None) -> QuerySet:
    """`queryset` with SQLite told to read its base table through `index` (a constant name), or,
    when `index` is None, through no index: its rows by primary key (`NOT INDEXED`)."""
    queryset = queryset.all()
    alias = queryset.query.get_initial_alias()
    queryset.query.alias_map[alias] = _IndexedTable(queryset.query.alias_map[alias], index)
    return queryset


class _MatchesFirst(BaseTable):
    """A model's table in a query's FROM clause behind its FTS5 table: `fts CROSS JOIN table`.

    SQLite never reorders the two sides of a CROSS JOIN, so the matches are walked once and each is
    joined to its row by primary key, whatever the other filters select. Left to choose, SQLite
    took the rows another filter selects first and, for each, either probed the FTS5 index by
    rowid, evaluating the MATCH again each time (for a word without a prefix index, five letters
    or more, that merges every term starting with it: "denarius" among the 33,000 silver coins of
    100,000 took 37 s), or walked every match again. Walking the matches once is bounded by their
    number: 0.1 s there.
    """

    def __init__(self, table: BaseTable, fts: str):
        super().__init__(table.table_name, table.table_alias)
        self.fts = fts

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return f"{self.fts} CROSS JOIN {sql}", params

    def relabeled_clone(self, change_map):
        return self.__class__(super().relabeled_clone(change_map), self.fts)


def matches_first(queryset: QuerySet, fts: str) -> QuerySet:
    """`queryset` with the FTS5 table `fts` (a constant name) leading its FROM clause (_MatchesFirst)."""
    queryset = queryset.all()
    alias = queryset.query.get_initial_alias()
    queryset.query.alias_map[alias] = _MatchesFirst(queryset.query.alias_map[alias], fts)
    return queryset
