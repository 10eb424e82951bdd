"""SQLite: indexes of the held coins (disposal = '') in the orders the lists and the home page read
them; both engines: the demo coins' index carries `disposal`, so the held ones are counted from it.

Why SQLite only, and not in Coin.Meta: SQLite without statistics reads a page's ids by walking the
ordering index and following every entry to its row for `disposal` (page 1000 of 100,000 coins: 48,000
rows, 22 ms) and sorts all coins for the home page's latest acquisitions (300 ms); a partial index of
the held coins gives both from the index alone (1 ms). PostgreSQL plans with its statistics; there,
on an empty table, these partial indexes look as cheap as any other to walk in full and crowd out the
indexes check_indexes expects its hot queries to use."""

from django.db import migrations, models

HELD_INDEXES = {
    # Deep pages of the lists in inventory order.
    "coin_held_inventory_idx": "(inventory_sort, id)",
    # An issuer's coins (?issuer=, the issuer's page) in inventory order, without a sort.
    "coin_held_issuer_idx": "(issuer_id, inventory_sort, id)",
    # The home page's latest acquisitions, read backwards (NULL dates sort first, so last backwards,
    # as the page's DESC NULLS LAST asks).
    "coin_held_acquired_idx": "(acquisition_date, id)",
}


def create_held_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, columns in HELD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON catalog_coin {columns} WHERE disposal = ''"
        )


def drop_held_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in HELD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0016_version_of_sales_and_manual_values"),
        ("vocab", "0002_coin_type"),
    ]

    operations = [
        migrations.RunPython(create_held_indexes, drop_held_indexes, elidable=False),
        migrations.RemoveIndex(model_name="coin", name="coin_demo_idx"),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                condition=models.Q(("is_demo", True)), fields=["disposal"], name="coin_demo_idx"
            ),
        ),
    ]
