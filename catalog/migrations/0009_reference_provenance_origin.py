"""Where each reference and provenance event came from.

Rows that exist before this migration get origin "unknown": nobody recorded whether a sheet or a
curator wrote them. A re-import adopts such a row when its sheet holds exactly the same one and leaves
the others alone, so upgrading never costs a curator's entry. New rows default to "app"; the importer
writes "import".

SQLite rebuilds catalog_reference and catalog_provenanceevent to add these columns: the operations
are wrapped in KeepingSQLiteTriggers (full-text and data-version triggers).
"""

from django.db import migrations, models

from coinstack.schema_ops import KeepingSQLiteTriggers

ORIGINS = [
    ("import", "From a spreadsheet"),
    ("app", "Entered in CoinStack"),
    ("unknown", "Recorded before origins were kept"),
]


def origin(default: str, what: str) -> models.CharField:
    return models.CharField(
        choices=ORIGINS,
        default=default,
        help_text=f"A re-import rewrites only {what} its sheet wrote.",
        max_length=10,
    )


class Migration(migrations.Migration):
    # Only catalog: depending on the latest auctions migration would make unapplying it unapply this.
    dependencies = [
        ("catalog", "0008_coin_import_state"),
    ]

    operations = [
        KeepingSQLiteTriggers(
            [
                # Existing rows: "unknown"; then the default for new rows becomes "app".
                migrations.AddField(
                    model_name="provenanceevent", name="origin", field=origin("unknown", "events")
                ),
                migrations.AlterField(model_name="provenanceevent", name="origin", field=origin("app", "events")),
                migrations.AddField(
                    model_name="reference", name="origin", field=origin("unknown", "references")
                ),
                migrations.AlterField(model_name="reference", name="origin", field=origin("app", "references")),
                migrations.AddConstraint(
                    model_name="provenanceevent",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("origin__in", ["import", "app", "unknown"])),
                        name="provenance_origin_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reference",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("origin__in", ["import", "app", "unknown"])),
                        name="reference_origin_known",
                    ),
                ),
            ]
        ),
    ]
