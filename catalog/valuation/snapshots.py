"""Dated snapshots of every coin's value: the history /stats/ draws by month.

One run writes one row per coin for its day (a second run the same day replaces that day's rows, in
one transaction, so a failed run leaves the day as it was). Manual values are stored converted into
the owner's currency at the ECB rate of the day (kept in their own currency when the ECB does not
quote it), so a day's rows sum per currency without mixing currencies.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import Coin, Reference

from .comparables import value_coins
from .models import ValueMethod, ValueSnapshot

BATCH = 500


@dataclass
class SnapshotReport:
    taken_on: dt.date
    coins: int = 0
    estimated: int = 0
    manual: int = 0
    not_enough: int = 0


def coins_for_valuation(queryset=None):
    """Coins with what value_coins reads: issuer and denomination, and their references."""
    queryset = Coin.objects.all() if queryset is None else queryset
    return queryset.select_related("issuer", "denomination").prefetch_related(
        Prefetch("references", queryset=Reference.objects.order_by("position", "id"))
    )


def take_snapshot(on: dt.date | None = None) -> SnapshotReport:
    on = on or timezone.localdate()
    report = SnapshotReport(on)
    with transaction.atomic():
        ValueSnapshot.objects.filter(taken_on=on).delete()
        batch: list[Coin] = []
        for coin in coins_for_valuation().order_by("pk").iterator(chunk_size=BATCH):
            batch.append(coin)
            if len(batch) == BATCH:
                _write(batch, on, report)
                batch = []
        _write(batch, on, report)
    return report


def _write(coins: list[Coin], on: dt.date, report: SnapshotReport) -> None:
    if not coins:
        return
    rows = []
    for pk, valuation in value_coins(coins, today=on).items():
        amount, low, high, currency = valuation.in_owner_currency(on)
        method = valuation.method
        rows.append(
            ValueSnapshot(
                coin_id=pk, taken_on=on, method=method, amount=amount, low=low, high=high, currency=currency,
                rule="" if method == ValueMethod.MANUAL else valuation.rule,
                comparables=len(valuation.comparables),
            )
        )  # fmt: skip
        report.coins += 1
        report.estimated += method == ValueMethod.ESTIMATE
        report.manual += method == ValueMethod.MANUAL
        report.not_enough += method == ValueMethod.NOT_ENOUGH
    ValueSnapshot.objects.bulk_create(rows)
