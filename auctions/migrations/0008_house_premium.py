"""A house's usual buyer's premium (values from comparable sales add it to hammer prices when a lot
states none), and the index the third comparables rule reads (lower-cased issuer and denomination
texts, metal).

SQLite rebuilds auctions_auctionhouse to add the check constraint: wrapped in KeepingSQLiteTriggers,
so its data-version trigger survives.
"""

import django.db.models.functions.text
from django.db import migrations, models

from coinstack.schema_ops import KeepingSQLiteTriggers


class Migration(migrations.Migration):
    dependencies = [
        ("auctions", "0007_lotreference_type"),
    ]

    operations = [
        KeepingSQLiteTriggers(
            [
                migrations.AddField(
                    model_name="auctionhouse",
                    name="usual_premium_pct",
                    field=models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Applied to this house's sold lots whose own premium is not stated "
                        "(catalog.valuation).",
                        max_digits=5,
                        null=True,
                        verbose_name="usual buyer's premium (%)",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="auctionhouse",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("usual_premium_pct__isnull", True),
                            ("usual_premium_pct__range", (0, 100)),
                            _connector="OR",
                        ),
                        name="house_premium_0_100",
                    ),
                ),
                migrations.AddIndex(
                    model_name="auctionlot",
                    index=models.Index(
                        django.db.models.functions.text.Lower("issuer_text"),
                        django.db.models.functions.text.Lower("denomination_text"),
                        models.F("metal"),
                        name="lot_issuer_denomination_idx",
                    ),
                ),
            ]
        ),
    ]
