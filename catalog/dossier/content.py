"""What a dossier holds: the selected coins with everything the PDF prints, and the cover's totals.

Values come from catalog.valuation (comparables or a manual value), computed now, not read from a
snapshot: the dossier is the record of the day it is printed. The totals are per currency (a manual
value keeps its own) and in the owner's currency at the day's ECB rate; nothing is summed across
currencies unconverted.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from catalog.models import CoinImage, ProvenanceEvent, Reference
from catalog.valuation.collection import spent_converted
from catalog.valuation.comparables import Valuation, value_coins
from catalog.valuation.prices import owner_currency
from catalog.valuation.rates import RateUnavailable, reference_rate

BATCH = 500


@dataclass
class Dossier:
    owner: str
    made_on: dt.date
    currency: str
    coins: list = field(default_factory=list)  # Coin, with .valuation set
    value_per_currency: dict[str, Decimal] = field(default_factory=dict)
    value_in_owner_currency: Decimal = Decimal(0)
    not_converted: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    spent: dict = field(default_factory=dict)
    spent_per_currency: dict[str, Decimal] = field(default_factory=dict)
    filters: str = ""


def prepared(queryset: QuerySet) -> QuerySet:
    """The coins with what a dossier page prints, each relation in one query per batch."""
    return queryset.select_related("issuer", "mint", "denomination").prefetch_related(
        Prefetch("references", queryset=Reference.objects.select_related("type").order_by("position", "id")),
        Prefetch("provenance", queryset=ProvenanceEvent.objects.order_by("order", "id")),
        Prefetch("images", queryset=CoinImage.objects.filter(is_primary=True), to_attr="primary_images"),
    )


def gather(queryset: QuerySet, *, owner: str, filters: str = "", today: dt.date | None = None) -> Dossier:
    today = today or timezone.localdate()
    currency = owner_currency()
    dossier = Dossier(owner=owner, made_on=today, currency=currency, filters=filters)
    batch = []
    for coin in prepared(queryset).iterator(chunk_size=BATCH):
        batch.append(coin)
        if len(batch) == BATCH:
            _value(batch, dossier, today)
            batch = []
    _value(batch, dossier, today)
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    counts = {"estimate": 0, "manual": 0, "none": 0}
    for coin in dossier.coins:
        valuation: Valuation = coin.valuation
        counts[valuation.method] += 1
        if valuation.manual is not None:
            per_currency[valuation.manual.currency] += valuation.manual.amount
        elif valuation.estimate is not None:
            per_currency[currency] += valuation.estimate.median
    dossier.counts = counts
    dossier.value_per_currency = dict(sorted(per_currency.items(), key=lambda kv: (kv[0] != currency, kv[0])))
    for code, amount in dossier.value_per_currency.items():
        try:
            rate = reference_rate(code, currency, today)
        except RateUnavailable:
            dossier.not_converted[code] = amount
            continue
        dossier.value_in_owner_currency += amount * rate.rate
    dossier.value_in_owner_currency = dossier.value_in_owner_currency.quantize(Decimal("0.01"))
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for coin in dossier.coins:
        if coin.acquisition_price is not None:
            spent[coin.acquisition_currency or "?"] += coin.acquisition_price
    dossier.spent_per_currency = dict(sorted(spent.items()))
    dossier.spent = spent_converted(queryset)
    return dossier


def _value(batch: list, dossier: Dossier, today: dt.date) -> None:
    if not batch:
        return
    valuations = value_coins(batch, today=today)
    for coin in batch:
        coin.valuation = valuations[coin.pk]
        dossier.coins.append(coin)
