"""Take the demo data away again: exactly what the generator made, nothing a user made.

The generator flags what it writes: coins and series carry `is_demo`, lots the platform "demo" (their
URLs are on demo.coinstack.invalid). Removing them keeps whatever a user added: a demo series with a
user's coin in it stays, as does a demo lot linked to a user's coin; a user's coin that cited a demo
lot in its provenance keeps the event (its link is cleared, as deleting any lot does). Sales left
empty by the removed lots go too. Auction houses stay: the generator takes them by name and a user's
lots may share them. One transaction; the demo coins' image files are deleted once it has committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef

from auctions.models import AuctionLot, Sale
from catalog.models import Coin, CoinImage, Series, SeriesMembership

DEMO_PLATFORM = "demo"  # the platform of every lot the generator writes


@dataclass
class DemoRemoval:
    coins: int = 0
    lots: int = 0
    sales: int = 0
    series: int = 0
    kept_series: int = 0
    kept_lots: int = 0

    def summary(self) -> str:
        kept = []
        if self.kept_series:
            kept.append(f"{self.kept_series} demo series holding your coins")
        if self.kept_lots:
            kept.append(f"{self.kept_lots} demo lots linked to your coins")
        tail = f" Kept: {', '.join(kept)}." if kept else ""
        return (
            f"Removed {self.coins} demo coins, {self.lots} demo lots, {self.sales} demo sales and "
            f"{self.series} demo series.{tail}"
        )


def demo_counts() -> DemoRemoval:
    """What remove_demo_data() would remove, without removing it."""
    return DemoRemoval(
        coins=Coin.objects.filter(is_demo=True).count(),
        lots=_demo_lots().count(),
        series=_demo_series().count(),
    )


def _demo_lots():
    # Not those a user linked to one of their own coins.
    return AuctionLot.objects.filter(platform=DEMO_PLATFORM).exclude(coin__is_demo=False)


def _demo_series():
    users_coin = SeriesMembership.objects.filter(series=OuterRef("pk"), coin__is_demo=False)
    return Series.objects.filter(is_demo=True).exclude(Exists(users_coin))


def remove_demo_data() -> DemoRemoval:
    result = DemoRemoval()
    with transaction.atomic():
        series = _demo_series()
        result.kept_series = Series.objects.filter(is_demo=True).count() - series.count()
        result.series = series.count()
        series.delete()

        lots = _demo_lots()
        sale_ids = set(lots.exclude(sale=None).values_list("sale_id", flat=True))
        result.kept_lots = AuctionLot.objects.filter(platform=DEMO_PLATFORM).count() - lots.count()
        result.lots = lots.count()
        lots.delete()
        empty_sales = Sale.objects.filter(pk__in=sale_ids).exclude(
            Exists(AuctionLot.objects.filter(sale=OuterRef("pk")))
        )
        result.sales = empty_sales.count()
        empty_sales.delete()

        coins = Coin.objects.filter(is_demo=True)
        files = [
            name
            for pair in CoinImage.objects.filter(coin__is_demo=True).values_list("image", "thumbnail")
            for name in pair
            if name
        ]
        result.coins = coins.count()
        coins.delete()
        transaction.on_commit(lambda: _delete_files(files))
    return result


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
