"""Queries of a fixed shape compiled once per database connection: a detail page's rows by one key.

A coin's page reads the coin with its issuer, mint and denomination and whether it has images,
provenance and series (one row), and its references with their types (rows by the coin's id). The
ORM builds and compiles such a query anew on every request: for the coin's row that took longer
than SQLite takes to run it, on every visit of every coin. A `Prepared` query is compiled once per
connection, with a marker where the key goes, and then run with the key in the marker's place; its
rows are converted and built into instances the way Django's ModelIterable builds them
(`Model.from_db`, the joined objects of select_related, the annotations). `PreparedValues` does
the same for a list page's rows read as values by their ids (compiled once per number of ids: 48
coins, 50 lots). Tests compare both with the ORM's.

May import Django's ORM. It reads the compiler's select list and klass_info, as ModelIterable does.
"""

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# How many numbers of keys a PreparedValues keeps compiled per connection (a list's page sizes).
MAX_COMPILED_COUNTS = 32
# Stands for the key while compiling: it must appear exactly once among the query's parameters. No
# primary key is negative.
MARKER = -918_273_645


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    key_at: int
    # Per column position, the ORM's converters of its value and the expression they take.
    converters: tuple
    model: type[Model]
    model_columns: slice
    init_list: tuple[str, ...]
    populators: tuple
    annotations: tuple[tuple[str, int], ...]


class Prepared:
    """The instances `shape(key)` returns, for any key, from SQL compiled once per connection.

    `shape` must give the same SQL whatever the key (a filter on it, not a branch on its value):
    it is called with MARKER once per connection, to compile. Querysets with values(), extra
    ordering columns or a known related object are not handled: compiling them raises
    ImproperlyConfigured, so a shape that needs them is caught at its first use, in tests.
    """

    def __init__(self, shape: Callable[[object], QuerySet]):
        self._shape = shape
        self._alias: str | None = None
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, queryset: QuerySet, connection) -> _Compiled:
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        at = [position for position, value in enumerate(params) if value == MARKER]
        instances = queryset._iterable_class is ModelIterable and not queryset._known_related_objects
        if len(at) != 1 or compiler.has_extra_select or compiler.klass_info is None or not instances:
            raise ImproperlyConfigured(f"{queryset.model.__name__}: not a query one key fills: {sql}")
        select, klass_info = compiler.select, compiler.klass_info
        columns = klass_info["select_fields"]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            key_at=at[0],
            converters=_converters(compiler),
            model=klass_info["model"],
            model_columns=slice(columns[0], columns[-1] + 1),
            init_list=tuple(column[0].target.attname for column in select[columns[0] : columns[-1] + 1]),
            populators=tuple(get_related_populators(klass_info, select, queryset.db)),
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    def all(self, key) -> list[Model]:
        """The instances the shape gives for `key`, in its order (none for an integer no column can
        hold: a URL's digits may be any number, and SQLite refuses one past 64 bits)."""
        if isinstance(key, int) and not -(2**63) <= key < 2**63:
            return []
        if self._alias is None:
            self._alias = self._shape(MARKER).db
        connection = connections[self._alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            # Compiled on the connection's own wrapper (one per thread): its SQL and converters.
            compiled = self._compiled[connection] = self._compile(self._shape(MARKER), connection)
        params = list(compiled.params)
        params[compiled.key_at] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        rows = _converted(rows, compiled.converters, connection)
        return [self._built(compiled, row, self._alias) for row in rows]

    def first(self, key) -> Model | None:
        """The first instance for `key`, or None."""
        found = self.all(key)
        return found[0] if found else None

    @staticmethod
    def _built(compiled: _Compiled, row: list, alias: str) -> Model:
        instance = compiled.model.from_db(alias, compiled.init_list, row[compiled.model_columns])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance


def _converters(compiler) -> tuple:
    """Per column position of a compiled query, the ORM's converters of its value and the
    expression they take (as SQLCompiler.results_iter applies them)."""
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(fields).items()
    )


def _converted(rows, converters, connection) -> list[list]:
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


@dataclass(frozen=True)
class _CompiledValues:
    sql: str
    params: tuple
    keys_at: tuple[int, ...]
    converters: tuple


class PreparedValues:
    """The rows of `shape(keys)`, a values_list() queryset of the rows whose key is in `keys` (a list
    page's ids), compiled once per connection and number of keys: a list page reads 48 or 50 rows,
    so its query is nearly always one compiled already. Rows come as lists of the values_list
    fields' values, converted as the ORM converts them, in the database's order."""

    def __init__(self, shape: Callable[[list], QuerySet]):
        self._shape = shape
        self._alias: str | None = None
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, count: int, connection) -> _CompiledValues:
        markers = [MARKER - n for n in range(count)]
        queryset = self._shape(markers)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        keys_at = [
            [position for position, value in enumerate(params) if value == marker] for marker in markers
        ]
        # The rows must come in the values_list's own order (no reordering for annotations).
        named = [*query.extra_select, *query.values_select, *query.annotation_select]
        if (
            queryset._iterable_class is not ValuesListIterable
            or list(queryset._fields) != named
            or any(len(found) != 1 for found in keys_at)
            or compiler.has_extra_select
        ):
            raise ImproperlyConfigured(f"{queryset.model.__name__}: not a values query the keys fill: {sql}")
        keys_at = tuple(found[0] for found in keys_at)
        return _CompiledValues(sql, tuple(params), keys_at, _converters(compiler))

    def rows(self, keys: list[int]) -> list[list]:
        """The rows whose key is in `keys` (integers no column can hold are left out)."""
        keys = [key for key in dict.fromkeys(keys) if -(2**63) <= key < 2**63]
        if not keys:
            return []
        if self._alias is None:
            self._alias = self._shape([MARKER]).db
        connection = connections[self._alias]
        by_count = self._compiled.setdefault(connection, {})
        compiled = by_count.get(len(keys))
        if compiled is None:
            compiled = self._compile(len(keys), connection)
            # Kept for as many page sizes as a list offers, not for every number a caller may ask.
            if len(by_count) < MAX_COMPILED_COUNTS:
                by_count[len(keys)] = compiled
        params = list(compiled.params)
        for position, key in zip(compiled.keys_at, keys, strict=True):
            params[position] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return _converted(cursor.fetchall(), compiled.converters, connection)
