"""Auction prices on one footing: hammer plus the buyer's premium, converted at a stated rate.

Houses publish hammer prices, some with and most without the buyer's premium, in their own currency.
To compare them a price needs the premium that applies (the lot's own stated premium, else the house's
usual one, else a default, each marked as which) and a reference rate of the sale's date. Nothing here
looks a rate up (catalog.valuation.rates does, from the ECB's history): this module is the arithmetic,
and every figure keeps its original amount, currency, date and rate so nothing converts silently.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class PremiumRule:
    """Where a lot's buyer's premium comes from, strongest first."""

    LOT = "lot"
    HOUSE = "house"
    DEFAULT = "default"

    LABELS = {
        LOT: "the lot's stated premium",
        HOUSE: "the house's usual premium",
        DEFAULT: "the default premium (no premium known for the lot or the house)",
    }


@dataclass(frozen=True)
class Premium:
    percent: Decimal
    rule: str  # a PremiumRule value

    @property
    def label(self) -> str:
        return PremiumRule.LABELS[self.rule]


def choose_premium(lot_percent: Decimal | None, house_percent: Decimal | None, default: Decimal) -> Premium:
    """The premium that applies to a lot: its own, else its house's usual one, else the default.
    A stated 0 % is a real premium (some houses charge none), not a missing one."""
    if lot_percent is not None:
        return Premium(Decimal(lot_percent), PremiumRule.LOT)
    if house_percent is not None:
        return Premium(Decimal(house_percent), PremiumRule.HOUSE)
    return Premium(Decimal(default), PremiumRule.DEFAULT)


def with_premium(hammer: Decimal, premium: Premium) -> Decimal:
    """What the buyer paid before taxes: hammer plus the premium, to the cent."""
    return (hammer * (1 + premium.percent / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    """How many units of `target` one unit of `source` bought on `on` (the rate's own date), asked
    for `asked`; `note` says why the two dates differ (a weekend, before the ECB's series began)."""

    source: str
    target: str
    rate: Decimal
    on: dt.date
    asked: dt.date
    note: str = ""

    @property
    def is_identity(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class NormalisedPrice:
    """One sold lot's price, as the house printed it and in the owner's currency, with every step."""

    hammer: Decimal
    currency: str
    sale_date: dt.date
    premium: Premium
    with_premium: Decimal  # in the lot's currency
    rate: Rate
    amount: Decimal  # in rate.target, the owner's currency

    @property
    def owner_currency(self) -> str:
        return self.rate.target


def normalise(
    hammer: Decimal, currency: str, sale_date: dt.date, premium: Premium, rate: Rate
) -> NormalisedPrice:
    """The lot's price with its premium, converted by `rate` (which must convert from `currency`)."""
    if rate.source != currency:
        raise ValueError(f"A {rate.source} rate cannot convert a price in {currency}.")
    total = with_premium(Decimal(hammer), premium)
    amount = (total * rate.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return NormalisedPrice(Decimal(hammer), currency, sale_date, premium, total, rate, amount)
