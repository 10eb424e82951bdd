"""Disposal (a coin sold, traded or given away: how, when, for how much, to whom; with its rules)
and the demo flag on coins and series (made by ops.demo, removed by manage.py remove_demo).

SQLite rebuilds catalog_coin and catalog_series to add the columns and constraints: wrapped in
KeepingSQLiteTriggers, which puts their full-text and data-version triggers back.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

from coinstack.schema_ops import KeepingSQLiteTriggers


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_values"),
    ]

    operations = [
        KeepingSQLiteTriggers(
            [
                migrations.AddField(
                    model_name="coin",
                    name="disposal",
                    field=models.CharField(
                        blank=True,
                        choices=[("sold", "Sold"), ("traded", "Traded"), ("gifted", "Given away")],
                        help_text="Empty while the coin is held.",
                        max_length=10,
                    ),
                ),
                migrations.AddField(
                    model_name="coin",
                    name="disposal_currency",
                    field=models.CharField(blank=True, max_length=3),
                ),
                migrations.AddField(
                    model_name="coin",
                    name="disposal_date",
                    field=models.DateField(blank=True, null=True),
                ),
                migrations.AddField(
                    model_name="coin",
                    name="disposal_price",
                    field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True),
                ),
                migrations.AddField(
                    model_name="coin",
                    name="disposed_to",
                    field=models.CharField(blank=True, max_length=200, verbose_name="disposed to"),
                ),
                migrations.AddField(
                    model_name="coin",
                    name="is_demo",
                    field=models.BooleanField(
                        default=False,
                        editable=False,
                        help_text="Made by the demo generator (ops.demo); manage.py remove_demo deletes exactly "
                        "these.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="coin",
                    index=models.Index(
                        condition=models.Q(("disposal", ""), _negated=True),
                        fields=["disposal_date"],
                        name="coin_disposed_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="coin",
                    index=models.Index(
                        condition=models.Q(("is_demo", True)), fields=["id"], name="coin_demo_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("disposal", ""), ("disposal__in", ["sold", "traded", "gifted"]), _connector="OR"
                        ),
                        name="coin_disposal_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=~models.Q(disposal="")
                        | models.Q(disposal_date__isnull=True, disposal_price__isnull=True)
                        & models.Q(disposal_currency="", disposed_to=""),
                        name="coin_disposal_details_need_disposal",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("disposal_price__isnull", True), ("disposal_price__gte", 0), _connector="OR"
                        ),
                        name="coin_disposal_price_not_negative",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("disposal_currency", ""),
                            models.Q(
                                django.db.models.lookups.Exact(
                                    django.db.models.functions.text.Length("disposal_currency"), 3
                                ),
                                (
                                    "disposal_currency",
                                    django.db.models.functions.text.Upper("disposal_currency"),
                                ),
                                django.db.models.lookups.GreaterThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 1, 1), "A"
                                ),
                                django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 1, 1), "Z"
                                ),
                                django.db.models.lookups.GreaterThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 2, 1), "A"
                                ),
                                django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 2, 1), "Z"
                                ),
                                django.db.models.lookups.GreaterThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 3, 1), "A"
                                ),
                                django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Substr("disposal_currency", 3, 1), "Z"
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="coin_disposal_currency_code",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("disposal_price__isnull", True),
                            models.Q(("disposal_currency", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="coin_disposal_price_has_currency",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="coin",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("disposal", "gifted"), _negated=True),
                            ("disposal_price__isnull", True),
                            _connector="OR",
                        ),
                        name="coin_gift_has_no_price",
                    ),
                ),
                migrations.AddField(
                    model_name="series",
                    name="is_demo",
                    field=models.BooleanField(
                        default=False, editable=False, help_text="Made by the demo generator; remove_demo deletes it."
                    ),
                ),
            ]
        ),
    ]
