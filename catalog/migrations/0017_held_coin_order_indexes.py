"""Indexes of the held coins (disposal = '') in the orders the lists and the home page read them:
inventory order (deep pages), an issuer's coins in inventory order, the latest acquisitions; and the
demo coins' index carrying `disposal`, so the held ones are counted from it alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0014_maintained_counts"),
        ("vocab", "0002_coin_type"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                condition=models.Q(("disposal", "")),
                fields=["inventory_sort", "id"],
                name="coin_held_inventory_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                condition=models.Q(("disposal", "")),
                fields=["issuer", "inventory_sort", "id"],
                name="coin_held_issuer_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                condition=models.Q(("disposal", "")),
                fields=["acquisition_date", "id"],
                name="coin_held_acquired_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="coin", name="coin_demo_idx"),
        migrations.AddIndex(
            model_name="coin",
            index=models.Index(
                condition=models.Q(("is_demo", True)), fields=["disposal"], name="coin_demo_idx"
            ),
        ),
    ]
