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


def test_a_currency_the_ecb_does_not_quote():
    with pytest.raises(RateUnavailable, match="no reference rate for XAU"):
        reference_rate("XAU", "EUR", dt.date(2020, 5, 4))
