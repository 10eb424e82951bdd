"""A sold lot's normalised price: numismatics.pricing's arithmetic with this installation's settings.

The premium is the lot's stated one, else its house's usual one (AuctionHouse.usual_premium_pct),
else COINSTACK_DEFAULT_PREMIUM_PCT; the rate is the ECB's of the sale's date into
COINSTACK_OWNER_CURRENCY. A lot that cannot be normalised (no date, no currency, a currency the ECB
does not quote) gives the reason instead of a number.
"""

import datetime as dt

from django.conf import settings

from numismatics.pricing import NormalisedPrice, choose_premium, normalise

from .rates import RateUnavailable, reference_rate


def owner_currency() -> str:
    return settings.COINSTACK_OWNER_CURRENCY


def sale_date(lot) -> dt.date | None:
    """The day the lot sold: its sale's date, else the day its bidding closed."""
    if lot.sale_id and lot.sale.date:
        return lot.sale.date
    if lot.closing_date:
        return lot.closing_date.date()
    return None


def normalised_price(lot, currency: str | None = None) -> NormalisedPrice | str:
    """The lot's price with its premium in `currency` (the owner's), or why it has none.
    Reads lot.house and lot.sale: select them with the lot."""
    if lot.hammer_price is None:
        return "not sold, or no hammer price recorded"
    if not lot.currency:
        return "the lot's currency is unknown"
    when = sale_date(lot)
    if when is None:
        return "the sale's date is unknown"
    house_pct = lot.house.usual_premium_pct if lot.house_id else None
    premium = choose_premium(lot.buyers_premium_pct, house_pct, settings.COINSTACK_DEFAULT_PREMIUM_PCT)
    try:
        rate = reference_rate(lot.currency, currency or owner_currency(), when)
    except RateUnavailable as error:
        return str(error)
    return normalise(lot.hammer_price, lot.currency, when, premium, rate)
