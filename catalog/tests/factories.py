"""Small named factories for tests: each creates one valid object with readable defaults."""

import datetime as dt
import random
from decimal import Decimal

from auctions.models import AuctionHouse, AuctionLot, LotReference, Sale
from catalog.models import Coin, CoinImage, Reference, Series, SeriesSlot
from vocab.models import Denomination, Issuer, Mint


def make_issuer(name: str = "Augustus", **fields) -> Issuer:
    fields.setdefault("reign_start", -27)
    fields.setdefault("reign_end", 14)
    return Issuer.objects.create(name=name, **fields)


def make_mint(name: str = "Lugdunum", **fields) -> Mint:
    return Mint.objects.create(name=name, **fields)


def make_denomination(name: str = "Denarius", **fields) -> Denomination:
    return Denomination.objects.create(name=name, **fields)


def make_coin(**fields) -> Coin:
    defaults = {
        "category": "roman_imperial",
        "metal": "silver",
        "year_start": -2,
        "year_end": 4,
        "weight_g": Decimal("3.82"),
        "diameter_mm": Decimal("19"),
        "die_axis": 6,
        "grade": "Choice F",
        "grade_band": 65,
    }
    defaults.update(fields)
    return Coin.objects.create(**defaults)


def make_coins_tied_in_rank() -> list[Coin]:
    """90 coins matching "caes" with few distinct texts (so many tie in a search's rank), some in the
    private notes only ("Caesarea"), every seventh sold; inventory numbers out of id order; and one
    coin that does not match. Returns the 90."""
    rng = random.Random(7)
    legends = ["IMP CAES AVG", "CAESAR AVGVSTVS DIVI F PATER PATRIAE", "CAES", "IMP CAES TRAIANO AVG GER DAC"]
    made = []
    for n in range(90):
        fields = {
            "inventory_number": f"N-{rng.randint(1, 10_000):05d}-{n}",
            "obverse_legend": rng.choice(legends),
        }
        if n % 9 == 0:
            fields.update(obverse_legend="VICTORIA", notes="from the Caesarea hoard")
        if n % 7 == 0:
            fields.update(
                disposal="sold",
                disposal_date=dt.date(2026, 5, 1),
                disposal_price=Decimal("450.00"),
                disposal_currency="EUR",
            )
        made.append(make_coin(**fields))
    make_coin(inventory_number="X-1", obverse_legend="VICTORIA")
    return made


def make_image(coin: Coin, **fields) -> CoinImage:
    fields.setdefault("source_url", f"https://images.example/{coin.pk}-{CoinImage.objects.count()}.jpg")
    return CoinImage.objects.create(coin=coin, **fields)


def make_reference(coin: Coin, raw_text: str = "RIC I 207", **fields) -> Reference:
    return Reference.objects.create(coin=coin, raw_text=raw_text, **fields)


def make_lot(url: str = "https://www.numisbids.com/n.php?p=lot&sid=4242&lot=121", **fields) -> AuctionLot:
    return AuctionLot.objects.create(url=url, **fields)


def make_lots_citing(
    sale: Sale, prices: list[Decimal], *, title: str, currency: str, system: str, volume: str, number: str
) -> list[AuctionLot]:
    """Sold lots of `sale`, one per price (titled "<title> <n>"), each citing the same catalogue
    number: the comparable sales of a coin citing it."""
    lots = []
    for n, price in enumerate(prices):
        lot = make_lot(
            url=f"https://example.test/lots/{n}",
            house=sale.house,
            sale=sale,
            title=f"{title} {n}",
            hammer_price=price,
            currency=currency,
            status="sold",
        )
        raw_text = " ".join(part for part in (system, volume, number) if part)
        LotReference.objects.create(lot=lot, raw_text=raw_text, system=system, volume=volume, number=number)
        lots.append(lot)
    return lots


def make_sale(house_name: str = "Heritage", number: str = "3011", **fields) -> Sale:
    house, _ = AuctionHouse.objects.get_or_create(name=house_name, defaults={"slug": house_name.lower()})
    return Sale.objects.create(house=house, number=number, **fields)


def make_series(name: str = "Twelve Caesars", slots: int = 12) -> Series:
    series = Series.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    SeriesSlot.objects.bulk_create(
        SeriesSlot(series=series, number=n, name=f"Slot {n}") for n in range(1, slots + 1)
    )
    return series
