"""Build a synthetic collection and auction market in the database, fast and reproducibly.

The big tables (coins, references, lots, lot references, provenance, images) are written in batches
by `RowWriter` (executemany on SQLite, COPY on PostgreSQL; ids assigned up front) inside one
transaction, so 100,000 coins and 200,000 lots take minutes and a failure leaves nothing half-made.
Rows skip Model.save(), so what save() would derive (inventory sort key, timestamps) is filled in
here; the full-text index is kept by the database triggers of catalog migrations 0002 and 0012, which
fire for these inserts too. Each new coin gets exactly one primary image, so the one-primary rule
holds without CoinImage.save().

Determinism: every random draw comes from one `random.Random(seed)` in a fixed order, and the
vocabulary is read sorted by name, so the same seed on the same starting database gives the same rows
(image file names excepted: they are random by design, see catalog.models.coin_image_path).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from auctions.models import AuctionHouse, AuctionLot, CoinRole, LotReference, LotStatus, Sale
from catalog.choices import ImageKind, ProvenanceKind
from catalog.models import (
    Coin,
    CoinImage,
    ProvenanceEvent,
    Reference,
    Series,
    SeriesMembership,
    SeriesSlot,
    coin_image_path,
    inventory_sort_key,
)
from vocab.models import Issuer
from vocab.seed import load_vocabulary

from . import tables
from .images import coin_jpeg
from .remove import DEMO_PLATFORM
from .specs import Choice, CoinSpec, SpecFactory, weighted
from .text import lot_description, lot_title
from .writer import RowWriter, reset_sequences

BATCH = 5000  # coins per flush; lots flush every 2 * BATCH
RATES = {"USD": 1.0, "EUR": 0.92, "CHF": 0.88, "GBP": 0.79, "CAD": 1.37}  # fixed: the data must not drift
DEALER_CURRENCIES = Choice([("USD", 55), ("EUR", 20), ("GBP", 10), ("CHF", 10), ("CAD", 5)])
FIRST_SALE, LAST_SALE = dt.date(2008, 1, 15), dt.date(2026, 10, 31)
FIRST_DEALER_PURCHASE = dt.date(1995, 1, 1)
SINGLE_ESTIMATE = {"cng", "naumann", "roma", "leu", "nomos", "kuenker", "gorny-mosch"}
DEMO_SERIES = 3


@dataclass
class GenerationResult:
    coins: int = 0
    images: int = 0
    references: int = 0
    provenance_events: int = 0
    series: int = 0
    memberships: int = 0
    houses: int = 0
    sales: int = 0
    lots: int = 0
    lot_references: int = 0
    linked_lots: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"Generated {self.coins} coins ({self.images} images, {self.references} references, "
            f"{self.provenance_events} provenance events), {self.series} series ({self.memberships} "
            f"memberships), {self.lots} lots ({self.linked_lots} linked to coins) in {self.sales} sales of "
            f"{self.houses} houses, in {self.seconds:.1f} s."
        )


def nice(value: float) -> Decimal:
    """Round a price the way estimates are printed: 1, 2 or 5 steps of its magnitude (e.g. 250, 3000)."""
    value = max(value, 1.0)
    magnitude = 10 ** math.floor(math.log10(value))
    step = magnitude / 2 if value / magnitude < 5 else magnitude
    return Decimal(int(max(step, round(value / step) * step)))


def hammer_step(value: float) -> Decimal:
    """Round a hammer price to a bidding increment."""
    step = 100 if value > 5000 else 10 if value > 200 else 5 if value > 50 else 1
    return Decimal(int(max(step, round(value / step) * step)))


def _date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class _Generator:
    def __init__(self, seed: int, images: bool, demo: bool, progress: Callable[[str, int, int], None] | None):
        self.rng = random.Random(seed)
        self.images = images
        self.demo = demo
        self.progress = progress or (lambda stage, done, total: None)
        self.result = GenerationResult()
        series = tables.SERIES[:DEMO_SERIES] if demo else tables.SERIES
        self.series_defs = series
        self.series_issuers = {name for s in series for name in s[3]}
        self.by_issuer: dict[str, list[tuple[int, str]]] = {}
        self.comparable_pool: list[tuple[int, str, Issuer]] = []
        self.factory = SpecFactory(self.rng, boost=self.series_issuers if demo else None)
        self.now = timezone.now()
        self.coins = RowWriter(Coin, self.now)
        self.lots = RowWriter(AuctionLot, self.now)
        self.lot_refs = RowWriter(LotReference, self.now)
        self.refs = RowWriter(Reference, self.now)
        self.events = RowWriter(ProvenanceEvent, self.now)
        self.pictures = RowWriter(CoinImage, self.now)

    def flush(self) -> None:
        # References, provenance and lots before their coins: the full-text triggers (catalog 0012)
        # refresh a coin's search document on every write to these tables (a lot decides whether an
        # event is the owner's purchase, so private), so this order builds it once, when the coin
        # arrives with everything it reads already there. Django's foreign keys are deferred to commit.
        for writer in (self.refs, self.events, self.lots, self.lot_refs, self.coins, self.pictures):
            writer.flush()

    # --- houses and sales ------------------------------------------------------------------------

    def make_sales(self, lots: int) -> None:
        houses = []
        for name, slug, currency, premium, pattern, first in tables.HOUSES:
            house = AuctionHouse.objects.filter(name__iexact=name).first()
            if house is None:
                house = AuctionHouse.objects.create(name=name, slug=slug, website="")
            houses.append((house, currency, premium, pattern, first))
        self.result.houses = len(houses)
        count = max(math.ceil(lots / 700), min(lots, 4))  # even a small market spans a few sales
        span = (LAST_SALE - FIRST_SALE).days
        dates = sorted(
            FIRST_SALE + dt.timedelta(days=int(span * (i + self.rng.random()) / max(count, 1)))
            for i in range(count)
        )
        next_number = {}
        sales, self.sale_meta = [], []
        for date in dates:
            house, currency, premium, pattern, first = weighted(self.rng, [(h, 1) for h in houses])
            if house.pk not in next_number:
                next_number[house.pk] = first + Sale.objects.filter(house=house).count()
            number = next_number[house.pk]
            next_number[house.pk] += 1
            sales.append(Sale(house=house, name=pattern.format(n=number), number=str(number), date=date))
            self.sale_meta.append((house, currency, Decimal(premium)))
        self.sales = Sale.objects.bulk_create(sales)
        self.lot_counter = [0] * len(self.sales)
        self.result.sales = len(self.sales)

    # --- lots ------------------------------------------------------------------------------------

    def add_lot(
        self,
        spec: CoinSpec,
        sale_index: int,
        value_factor: float = 1.0,
        provenance: str = "",
        sold: bool | None = None,
        coin_id: int | None = None,
        role: str = "",
    ) -> tuple[int, dict]:
        """Write one lot offering `spec` in a sale; return its id and the values written."""
        rng = self.rng
        sale = self.sales[sale_index]
        house, currency, premium = self.sale_meta[sale_index]
        self.lot_counter[sale_index] += 1
        lot_number = self.lot_counter[sale_index]
        value = spec.value_usd * RATES[currency] * value_factor
        low = high = start = None
        if house.slug == "heritage":
            start = nice(value * 0.4)
        elif house.slug in SINGLE_ESTIMATE:
            low = nice(value)
        else:
            low = nice(value * 0.8)
            high = nice(float(low) * 1.5)
            if house.slug in ("savoca", "agora"):
                start = nice(float(low) * 0.3)
        if sold is None:
            sold = rng.random() < 0.86
        hammer = hammer_step(value * math.exp(rng.gauss(0, 0.35))) if sold else None
        closing = dt.datetime.combine(sale.date, dt.time(13, 0), tzinfo=dt.UTC) + dt.timedelta(
            seconds=40 * lot_number
        )
        values = dict(
            url=f"https://demo.coinstack.invalid/{house.slug}/{sale.number}/{lot_number}",
            platform=DEMO_PLATFORM,
            house_id=house.pk,
            sale_id=sale.pk,
            lot_number=str(lot_number),
            title=lot_title(spec),
            description=lot_description(rng, spec, provenance),
            estimate_low=low,
            estimate_high=high,
            starting_price=start,
            hammer_price=hammer,
            currency=currency,
            buyers_premium_pct=premium,
            closing_date=closing,
            status=LotStatus.SOLD if sold else LotStatus.UNSOLD,
            issuer_text=spec.issuer.name,
            mint_text=spec.mint.name if spec.mint else "",
            denomination_text=spec.denomination.name,
            metal=spec.metal,
            year_start=spec.year_start,
            year_end=spec.year_end,
            weight_g=spec.weight,
            diameter_mm=spec.diameter,
            die_axis=spec.axis,
            grade=spec.grade,
            grade_band=spec.grade_band,
            references_text="; ".join(r.text for r in spec.refs),
            coin_id=coin_id,
            coin_role=role,
            scraped_at=closing,
        )
        lot_id = self.lots.add(**values)
        for i, r in enumerate(spec.refs):
            self.lot_refs.add(
                lot_id=lot_id,
                system=r.system,
                volume=r.volume,  # the main volume only, as catalog.models.Citation.values_from stores it
                citation_text=r.body,
                number=r.number,
                variant=r.variant,
                raw_text=r.body,
                is_cf=r.is_cf,
                position=i,
            )
        if coin_id is not None:
            self.result.linked_lots += 1
        return lot_id, values

    # --- coins -----------------------------------------------------------------------------------

    def make_coins(self, total: int, lot_budget: int) -> int:
        """Create the coins with their lots of purchase and earlier sales; return lots used."""
        rng = self.rng
        start = Coin.objects.count() + 1
        cert_base = 4_000_000 + start
        used = 0
        for i in range(total):
            spec = self.factory.draw()
            inventory = f"S{start + i:06d}"
            plan = self._acquisition(spec, lot_budget - used)
            used += (plan["sale"] is not None) + (plan["earlier_sale"] is not None)
            coin_id = self.coins.reserve()
            self._history(coin_id, spec, plan)
            cert = f"{cert_base + i}-{rng.randint(1, 999):03d}" if spec.grading_state == "slabbed" else ""
            storage = self._storage(spec)
            self.coins.add(
                pk=coin_id,
                is_demo=True,  # synthetic: manage.py remove_demo takes it away again
                inventory_number=inventory,
                inventory_sort=inventory_sort_key(inventory),
                category=spec.category,
                issuer_id=spec.issuer.pk,
                mint_id=spec.mint.pk if spec.mint else None,
                denomination_id=spec.denomination.pk,
                portrait=spec.issuer.name if spec.category != "greek" else "",
                year_start=spec.year_start,
                year_end=spec.year_end,
                is_circa=spec.is_circa,
                metal=spec.metal,
                weight_g=spec.weight,
                diameter_mm=spec.diameter,
                die_axis=spec.axis,
                obverse_legend=spec.obverse_legend,
                obverse_description=spec.obverse_description,
                reverse_legend=spec.reverse_legend,
                reverse_description=spec.reverse_description,
                exergue=spec.exergue,
                grade=spec.grade,
                grade_band=spec.grade_band,
                grade_comment=spec.comment,
                grading_state=spec.grading_state,
                grade_service=spec.grade_service,
                certificate_number=cert,
                ngc_strike=spec.strike,
                ngc_surface=spec.surface,
                fine_style=spec.fine_style,
                acquisition_date=plan["date"],
                acquisition_price=plan["price"],
                acquisition_currency=plan["currency"],
                acquisition_source=plan["source"],
                acquisition_url=plan["url"],
                storage_location=storage,
            )
            for position, r in enumerate(spec.refs):
                self.refs.add(
                    coin_id=coin_id,
                    system=r.system,
                    volume=r.volume,
                    citation_text=r.body,
                    number=r.number,
                    variant=r.variant,
                    raw_text=r.body,
                    is_cf=r.is_cf,
                    position=position,
                    type_uri="",  # the numbers are random: a real OCRE link would show another coin
                )
            if self.images:
                self._pictures(coin_id, spec)
            if spec.issuer.name in self.series_issuers:
                self.by_issuer.setdefault(spec.issuer.name, []).append((coin_id, spec.denomination.name))
            if len(self.comparable_pool) < 5000:
                self.comparable_pool.append((coin_id, spec.category, spec.issuer))
            if (i + 1) % BATCH == 0 or i + 1 == total:
                self.flush()
                self.progress("coins", i + 1, total)
        self.result.coins = total
        return used

    def _acquisition(self, spec: CoinSpec, budget: int) -> dict:
        """Where and when the coin was bought: at one of our sales (a linked lot) or from a dealer."""
        rng = self.rng
        plan = {"sale": None, "earlier_sale": None, "url": "", "collection": ""}
        if rng.random() < 0.2:
            plan["collection"] = rng.choice(tables.COLLECTIONS)
        if self.sales and budget >= 1 and rng.random() < 0.3:
            index = rng.randrange(len(self.sales))
            plan["sale"] = index
            if budget >= 2 and index > 0 and rng.random() < 0.3:
                plan["earlier_sale"] = rng.randrange(index)  # sales are sorted by date
            house, currency, _premium = self.sale_meta[index]
            # The price paid is the hammer plus premium, known once the lot is drawn (see _history).
            plan.update(date=self.sales[index].date, price=None, currency=currency, source=house.name)
        else:
            currency = DEALER_CURRENCIES.pick(rng)
            price = Decimal(f"{spec.value_usd * RATES[currency] * math.exp(rng.gauss(0, 0.2)):.2f}")
            plan.update(
                date=_date_between(rng, FIRST_DEALER_PURCHASE, LAST_SALE),
                price=price,
                currency=currency,
                source=rng.choice(tables.DEALERS),
            )
        return plan

    def _history(self, coin_id: int, spec: CoinSpec, plan: dict) -> None:
        """The coin's provenance events and the lots it passed through; fills plan's price and URL."""
        ex = f"Ex {plan['collection']} Collection." if plan["collection"] else ""
        if plan["collection"]:
            self.events.add(
                coin_id=coin_id,
                kind=ProvenanceKind.COLLECTION,
                order=0,
                name=f"{plan['collection']} Collection",
                raw_text=ex,
            )
        if plan["earlier_sale"] is not None:
            lot_id, lot = self.add_lot(
                spec,
                plan["earlier_sale"],
                value_factor=0.7,
                provenance=ex,
                sold=True,
                coin_id=coin_id,
                role=CoinRole.PROVENANCE,
            )
            house, _currency, premium = self.sale_meta[plan["earlier_sale"]]
            sale = self.sales[plan["earlier_sale"]]
            self.events.add(
                coin_id=coin_id,
                kind=ProvenanceKind.AUCTION,
                order=1,
                name=house.name,
                sale=sale.name,
                lot=lot["lot_number"],
                date=sale.date,
                hammer=lot["hammer_price"],
                buyers_premium_pct=premium,
                total=_with_premium(lot["hammer_price"], premium),
                currency=lot["currency"],
                url=lot["url"],
                auction_lot_id=lot_id,
                raw_text=f"Ex {house.name} {sale.name}, lot {lot['lot_number']}.",
            )
        if plan["sale"] is not None:
            _lot_id, lot = self.add_lot(
                spec, plan["sale"], provenance=ex, sold=True, coin_id=coin_id, role=CoinRole.ACQUISITION
            )
            plan["price"] = _with_premium(lot["hammer_price"], lot["buyers_premium_pct"])
            plan["url"] = lot["url"]

    def _pictures(self, coin_id: int, spec: CoinSpec) -> None:
        initials = "".join(w[0] for w in spec.issuer.name.split() if w[0].isupper())
        for position, kind in enumerate((ImageKind.OBVERSE, ImageKind.REVERSE)):
            data = coin_jpeg(self.rng, spec.metal, initials, reverse=position == 1)
            name = default_storage.save(coin_image_path(None, f"{kind}.jpg"), ContentFile(data))
            self.pictures.add(
                coin_id=coin_id,
                image=name,
                kind=kind,
                is_primary=position == 0,
                position=position,
            )

    def _storage(self, spec: CoinSpec) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            return ""
        if spec.grading_state == "slabbed":
            return f"SlabBox{rng.randint(1, 8)}"
        if spec.grading_state == "capsule":
            return f"CapBox{rng.randint(1, 4)}"
        return f"Velv{rng.randint(1, 20)}-{rng.randint(1, 5)}-{rng.randint(1, 8)}"

    def make_market_lots(self, total: int) -> None:
        """Lots with no coin of ours behind them, a few of them marked as comparables."""
        rng = self.rng
        if not self.sales:
            return
        for done in range(1, total + 1):
            if self.comparable_pool and rng.random() < 0.02:
                coin_id, category, issuer = rng.choice(self.comparable_pool)
                spec = self.factory.draw(category=category, issuer=issuer)
                self.add_lot(spec, rng.randrange(len(self.sales)), coin_id=coin_id, role=CoinRole.COMPARABLE)
            else:
                self.add_lot(self.factory.draw(), rng.randrange(len(self.sales)))
            if done % (BATCH * 2) == 0 or done == total:
                self.flush()
                self.progress("lots", done, total)

    # --- series ----------------------------------------------------------------------------------

    def make_series(self) -> None:
        rng = self.rng
        issuers = {i.name: i for i in Issuer.objects.filter(name__in=self.series_issuers)}
        for name, slug, description, slot_names, denomination in self.series_defs:
            unique = slug
            suffix = 2
            while Series.objects.filter(slug=unique).exists():
                unique = f"{slug}-{suffix}"
                suffix += 1
            series = Series.objects.create(
                name=name, slug=slugify(unique), description=description, is_demo=True
            )
            memberships = []
            for number, issuer_name in enumerate(slot_names, start=1):
                candidates = [
                    cid for cid, denom in self.by_issuer.get(issuer_name, []) if denomination in (None, denom)
                ]
                filled = bool(candidates) and rng.random() < 0.85
                slot = SeriesSlot.objects.create(
                    series=series,
                    number=number,
                    name=issuer_name,
                    issuer=issuers.get(issuer_name),
                    wanted=not filled and rng.random() < 0.5,
                )
                if filled:
                    for cid in candidates[: rng.choice([1, 1, 1, 2])]:
                        memberships.append(
                            SeriesMembership(
                                series=series, coin_id=cid, slot=slot, needs_upgrade=rng.random() < 0.15
                            )
                        )
            SeriesMembership.objects.bulk_create(memberships)
            self.result.series += 1
            self.result.memberships += len(memberships)

    def finish(self) -> None:
        self.flush()
        reset_sequences([Coin, AuctionLot, LotReference, Reference, ProvenanceEvent, CoinImage])
        self.result.lots = self.lots.written
        self.result.lot_references = self.lot_refs.written
        self.result.references = self.refs.written
        self.result.provenance_events = self.events.written
        self.result.images = self.pictures.written


def _with_premium(hammer: Decimal, premium: Decimal) -> Decimal:
    return (hammer * (1 + premium / 100)).quantize(Decimal("0.01"))


def generate_collection(
    coins: int,
    lots: int,
    seed: int = 1,
    images: bool = True,
    demo: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> GenerationResult:
    """Add `coins` coins and `lots` auction lots (some linked to the coins) to the database.

    Loads the starting vocabulary first (idempotent). With `demo`, series issuers are favoured so the
    three demo series have coins in their slots.
    """
    began = time.monotonic()
    load_vocabulary()
    with transaction.atomic():
        gen = _Generator(seed, images, demo, progress)
        gen.make_sales(lots)
        used = gen.make_coins(coins, lots)
        gen.make_market_lots(lots - used)
        gen.finish()
        gen.make_series()
    gen.result.seconds = time.monotonic() - began
    return gen.result
