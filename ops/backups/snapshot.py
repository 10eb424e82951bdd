"""Reading a database's state through any DB-API cursor: tables, row counts, applied migrations.

The backup reads these through the same connection and transaction that copies the data, so the
manifest describes exactly the snapshot that was saved (not the database a moment later).
"""

from collections.abc import Iterable

from django.apps import apps


def model_tables() -> list[str]:
    """Every model's table, including many-to-many tables Django creates on its own."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def quote(name: str) -> str:
    """Quote an identifier for SQLite and PostgreSQL alike (both follow the SQL standard)."""
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted identifier
        counts[table] = int(cursor.fetchone()[0])
    return counts


def latest_migrations(cursor, table_names: set[str]) -> dict[str, str]:
    """The latest applied migration of each app, in the order they were applied."""
    if "django_migrations" not in table_names:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    return dict(sorted(latest.items()))


def applied_migrations(cursor, table_names: set[str]) -> list[list[str]]:
    """Every applied migration, so a restore can tell an older schema from a foreign one."""
    if "django_migrations" not in table_names:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]
