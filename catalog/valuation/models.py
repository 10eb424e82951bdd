"""What a curator says a coin is worth (a manual value) and what the values were on each day the
snapshot ran (value history). Imported by catalog.models, whose app they belong to."""

from django.core.exceptions import ValidationError
from django.db import models

from coinstack.constraints import currency_code_check, not_negative_when_set


class ValueMethod(models.TextChoices):
    MANUAL = "manual", "Manual value"
    ESTIMATE = "estimate", "Estimate from comparable sales"
    NOT_ENOUGH = "none", "Not enough sales"


def _currency_error(currency: str) -> str | None:
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        return f'"{currency}" is not a three-letter currency code such as EUR, USD or CHF.'
    return None


class ManualValue(models.Model):
    """A curator's value for a coin (an appraisal, an insurance schedule): it overrides the estimate
    from comparables, which the coin page still shows beside it."""

    coin = models.ForeignKey(
        "catalog.Coin", on_delete=models.CASCADE, related_name="manual_values", db_index=False
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217, e.g. EUR.")
    note = models.TextField(
        blank=True, help_text='Where the value comes from, e.g. "Insurance schedule 2026".'
    )
    valued_on = models.DateField(null=True, blank=True, help_text="The date of the appraisal.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One manual value per coin: the value panel, the stats and the dossier read it as the value.
            models.UniqueConstraint(fields=["coin"], name="manualvalue_one_per_coin"),
            not_negative_when_set("amount", "manualvalue_amount_not_negative"),
            # Sums are made per currency; a blank currency could not be converted or grouped.
            currency_code_check("currency", "manualvalue_currency_code"),
            models.CheckConstraint(condition=~models.Q(currency=""), name="manualvalue_currency_set"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def clean(self):
        super().clean()
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "A value cannot be negative."
        problem = _currency_error(self.currency or "")
        if problem:
            errors["currency"] = problem
        if errors:
            raise ValidationError(errors)


class ValueSnapshot(models.Model):
    """A coin's value as it stood on one day (manage.py snapshot_values): the history /stats/ draws
    by month. Snapshots are history, not derived data: a later run never rewrites an earlier day."""

    coin = models.ForeignKey(
        "catalog.Coin", on_delete=models.CASCADE, related_name="value_snapshots", db_index=False
    )
    taken_on = models.DateField()
    method = models.CharField(max_length=10, choices=ValueMethod.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    rule = models.CharField(max_length=100, blank=True, help_text="Which comparables rule chose the sales.")
    comparables = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["coin", "taken_on"]
        constraints = [
            # One value per coin and day: a second run the same day updates that day's row.
            models.UniqueConstraint(fields=["coin", "taken_on"], name="valuesnapshot_coin_day_unique"),
            models.CheckConstraint(
                condition=models.Q(method__in=ValueMethod.values), name="valuesnapshot_method_known"
            ),
            # A value has an amount and its currency; "not enough sales" has neither.
            models.CheckConstraint(
                condition=(
                    models.Q(method=ValueMethod.NOT_ENOUGH, amount__isnull=True, currency="")
                    | (
                        ~models.Q(method=ValueMethod.NOT_ENOUGH)
                        & models.Q(amount__isnull=False)
                        & ~models.Q(currency="")
                    )
                ),
                name="valuesnapshot_amount_iff_valued",
            ),
            not_negative_when_set("amount", "valuesnapshot_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(low__isnull=True)
                | models.Q(high__isnull=True)
                | models.Q(low__lte=models.F("high")),
                name="valuesnapshot_range_ordered",
            ),
            currency_code_check("currency", "valuesnapshot_currency_code"),
        ]
        indexes = [
            # /stats/: the latest day's values and the history by month, read in date order.
            models.Index(fields=["taken_on", "currency"], name="valuesnapshot_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.coin_id} on {self.taken_on}: {self.amount} {self.currency}".strip()

    def clean(self):
        super().clean()
        errors = {}
        if self.method == ValueMethod.NOT_ENOUGH:
            if self.amount is not None or self.currency:
                errors["amount"] = '"Not enough sales" has no amount and no currency.'
        elif self.amount is None or not self.currency:
            errors["amount"] = "A value needs its amount and currency."
        if self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = "The range ends below where it starts."
        if self.currency and _currency_error(self.currency):
            errors["currency"] = _currency_error(self.currency)
        if errors:
            raise ValidationError(errors)
