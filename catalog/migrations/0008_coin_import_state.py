"""What the last spreadsheet import read for each coin (catalog.importing): digests of its row and of
its references and provenance cells, so a re-import tells the sheet's changes from the curator's.
Empty (NULL) for every existing coin: the next import treats each as never imported by key.

SQLite rebuilds catalog_coin to add the column: wrapped in KeepingSQLiteTriggers.
"""

from django.db import migrations, models

from coinstack.schema_ops import KeepingSQLiteTriggers


class Migration(migrations.Migration):
    # Only catalog: depending on the latest auctions migration would make unapplying it unapply this.
    dependencies = [
        ("catalog", "0007_reference_type_and_attribution_slot_type"),
    ]

    operations = [
        KeepingSQLiteTriggers(
            [
                migrations.AddField(
                    model_name="coin",
                    name="import_state",
                    field=models.JSONField(
                        blank=True,
                        null=True,
                        editable=False,
                        help_text="What the last spreadsheet import read for this coin (digests of its row, "
                        "references and provenance cells), so a re-import tells the sheet's changes from "
                        "the app's.",
                    ),
                ),
            ]
        ),
    ]
