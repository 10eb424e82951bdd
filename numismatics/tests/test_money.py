"""Prices and estimates as houses print them."""

from decimal import Decimal

import pytest

from numismatics.money import Money, parse_estimate, parse_money


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("5'500 USD", "5500", "USD"),
        ("250 000 USD", "250000", "USD"),
        ("CHF 42000", "42000", "CHF"),
        ("Sold For CHF42000", "42000", "CHF"),
        ("$2,700", "2700", "USD"),
        ("€ 1.200", "1200", "EUR"),
        ("1,234.50", "1234.50", None),
        ("1.234,50 EUR", "1234.50", "EUR"),
        ("384", "384", None),
        ("£60", "60", "GBP"),
        ("US$ 100", "100", "USD"),
        ("SFr. 1.500", "1500", "CHF"),
        ("Fr. 300", "300", "CHF"),
        ("($400)", "400", "USD"),
    ],
)
def test_parse_money(text, amount, currency):
    assert parse_money(text) == Money(Decimal(amount), currency)


def test_parse_money_default_currency_and_nothing():
    assert parse_money("384", default_currency="USD") == Money(Decimal("384"), "USD")
    assert parse_money("£60", default_currency="USD").currency == "GBP"
    assert parse_money("no price") is None
    assert parse_money(None) is None


@pytest.mark.parametrize(
    ("text", "low", "high", "currency"),
    [
        ("Estimate 50 GBP 60 GBP", "50", "60", "GBP"),
        ("Estimate: 1,000 - 1,500 USD", "1000", "1500", "USD"),
        ("CHF 200", "200", None, "CHF"),
        ("Est. $300-400", "300", "400", "USD"),
        ("(£1,200-1,500)", "1200", "1500", "GBP"),
    ],
)
def test_parse_estimate(text, low, high, currency):
    expected = (Decimal(low), Decimal(high) if high else None, currency)
    assert parse_estimate(text) == expected


def test_parse_estimate_without_amount_raises_nothing():
    assert parse_estimate("") == (None, None, None)
    assert parse_estimate("Estimate: on request", default_currency="EUR") == (None, None, "EUR")
    assert parse_estimate("Estimate: 50", default_currency="EUR") == (Decimal("50"), None, "EUR")
