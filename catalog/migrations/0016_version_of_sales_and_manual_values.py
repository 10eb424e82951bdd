"""The data versions follow sales and manual values too, so a coin's value can be cached under them.

A coin's value reads the date, name and number of each comparable lot's sale (auctions_sale) and
the curator's manual value (catalog_manualvalue); neither table carried a version trigger (catalog
0006, auctions 0004), so a figure cached under the versions could have outlived a changed sale date
or manual value. Sales join the market's scope, manual values the collection's.

Like the other version triggers, these sit on auctions_sale and catalog_manualvalue: a migration
that rebuilds one of them on SQLite must wrap its operations in coinstack.schema_ops.KeepingSQLiteTriggers.
"""

import importlib

from django.db import migrations

version = importlib.import_module("catalog.migrations.0006_data_version")

SCOPES = (("market", ("auctions_sale",)), ("collection", ("catalog_manualvalue",)))


def _statements(vendor: str, forward: bool) -> list[str]:
    make = {"sqlite": version.sqlite_triggers, "postgresql": version.pg_triggers}.get(vendor)
    if make is None:
        return []  # other databases keep no versions, so nothing is cached
    statements = []
    for scope, tables in SCOPES:
        create, drop = make(scope, tables)
        statements += create if forward else drop
    return statements


def forward(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0015_spending_and_provenance_counts"),
        ("auctions", "0008_house_premium"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
