"""A fast row writer for the generator's big tables.

bulk_create spends most of its time compiling SQL per value (about 10 µs each); at 100,000 coins and
200,000 lots that is minutes. This writer builds one INSERT per table, assigns primary keys itself
(so children can point at parents before anything is written) and sends rows with executemany.
Values still go through each date and decimal field's own get_db_prep_save, so what lands in the
database is what the ORM would write, and every CHECK and foreign-key constraint still applies.

On PostgreSQL the rows go by COPY, not executemany, which runs one statement per row: the full-text
triggers (catalog 0012) run once per statement, so one COPY of 10,000 references refreshes their
coins' search documents once, in one set. (COPY also spares composing an INSERT's text: the values go
as psycopg adapts them, not through SQL.)

Ids are taken from max(id) + 1 inside the generator's transaction (SQLite's IMMEDIATE mode holds the
write lock); `reset_sequences()` then moves PostgreSQL's sequences past them.
"""

from __future__ import annotations

import datetime

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone


class RowWriter:
    """Buffers rows of one model and writes them in one executemany (SQLite) or one COPY (PostgreSQL)
    per flush.

    A row names the fields it sets (by attname: "issuer_id"); every other field gets its model
    default, and auto_now / auto_now_add timestamps get `now`, as save() would have given them.
    """

    def __init__(self, model: type[models.Model], now: datetime.datetime | None = None):
        meta = model._meta
        self.model = model
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.position = {f.attname: i + 1 for i, f in enumerate(self.fields)}  # 0 is the primary key
        now = now or timezone.now()
        self.defaults = [
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
        ]
        qn = connection.ops.quote_name
        columns = [meta.pk.column] + [f.column for f in self.fields]
        placeholders = ", ".join(["%s"] * len(columns))
        # Names come from the model's own metadata, quoted; every value is a query parameter.
        table = f"{qn(meta.db_table)} ({', '.join(map(qn, columns))})"
        self.sql = f"INSERT INTO {table} VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {table} FROM STDIN"
        # Only dates, datetimes and decimals need the backend's adaptation; str/int/bool/None pass as is.
        adapted = models.DateField | models.DecimalField  # DateTimeField is a DateField
        self.converters = [(i + 1, f) for i, f in enumerate(self.fields) if isinstance(f, adapted)]
        self.memo: dict[int, dict] = {i: {} for i, _field in self.converters}
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.rows: list[list] = []
        self.written = 0

    def reserve(self) -> int:
        """A primary key for a row added later with add(pk=...)."""
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, pk: int | None = None, **values) -> int:
        row = [self.reserve() if pk is None else pk, *self.defaults]
        for name, value in values.items():
            try:
                row[self.position[name]] = value
            except KeyError:
                raise TypeError(f"{self.model.__name__} has no field {name!r}") from None
        self.rows.append(row)
        return row[0]

    def flush(self) -> None:
        if not self.rows:
            return
        for i, field in self.converters:
            memo = self.memo[i]  # prices, weights and dates repeat: adapt each distinct value once
            for row in self.rows:
                value = row[i]
                if value is not None:
                    adapted = memo.get(value)
                    if adapted is None:
                        adapted = memo[value] = field.get_db_prep_save(value, connection=connection)
                    row[i] = adapted
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:  # psycopg's own cursor
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move id sequences past explicitly written ids (PostgreSQL); nothing to do on SQLite."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
