"""Premium rules and the arithmetic of a normalised price (no rates looked up here)."""

import datetime as dt
from decimal import Decimal

import pytest

from numismatics.pricing import PremiumRule, Rate, choose_premium, normalise, with_premium


def test_the_lots_premium_wins_then_the_houses_then_the_default():
    assert choose_premium(Decimal("15"), Decimal("20"), Decimal("18")).rule == PremiumRule.LOT
    assert choose_premium(None, Decimal("20"), Decimal("18")).percent == Decimal("20")
    assert choose_premium(None, Decimal("20"), Decimal("18")).rule == PremiumRule.HOUSE
    default = choose_premium(None, None, Decimal("18"))
    assert (default.percent, default.rule) == (Decimal("18"), PremiumRule.DEFAULT)
    assert "default" in default.label


def test_a_stated_zero_premium_is_a_premium():
    premium = choose_premium(Decimal("0"), Decimal("20"), Decimal("18"))
    assert (premium.percent, premium.rule) == (Decimal("0"), PremiumRule.LOT)
    assert with_premium(Decimal("500"), premium) == Decimal("500.00")


def test_hammer_plus_premium_to_the_cent():
    assert with_premium(Decimal("1000"), choose_premium(Decimal("17.5"), None, Decimal(20))) == Decimal(
        "1175.00"
    )
    assert with_premium(Decimal("333"), choose_premium(None, None, Decimal("22.5"))) == Decimal("407.93")


def test_normalise_keeps_every_step():
    rate = Rate("CHF", "EUR", Decimal("0.95"), dt.date(2020, 5, 4), dt.date(2020, 5, 4))
    price = normalise(
        Decimal("1000"), "CHF", dt.date(2020, 5, 4), choose_premium(None, Decimal("20"), 0), rate
    )
    assert (price.hammer, price.currency, price.with_premium) == (Decimal("1000"), "CHF", Decimal("1200.00"))
    assert price.amount == Decimal("1140.00")
    assert price.owner_currency == "EUR"
    assert price.premium.rule == PremiumRule.HOUSE


def test_a_rate_of_another_currency_is_refused():
    rate = Rate("USD", "EUR", Decimal("0.9"), dt.date(2020, 5, 4), dt.date(2020, 5, 4))
    with pytest.raises(ValueError, match="USD rate cannot convert a price in CHF"):
        normalise(Decimal("10"), "CHF", dt.date(2020, 5, 4), choose_premium(None, None, 0), rate)
