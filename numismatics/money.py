"""Prices and estimates as auction houses print them.

"5'500 USD", "250 000 USD", "CHF 42000", "$2,700", "€ 1.200" (European thousands), "1,234.50",
"Fr. 300". Amounts become Decimals (never floats: they are summed and compared) and currencies ISO 4217
codes. Nothing here raises: text without an amount gives None, so scrapers can store "no price".
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from numismatics.text import clean


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None


# Symbols and words houses use, longest first so "US$" wins over "$" and "SFr." over "Fr.".
_CURRENCY_WORDS = {
    "US$": "USD",
    "USD": "USD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "EURO": "EUR",
    "EUROS": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "SFR.": "CHF",
    "SFR": "CHF",
    "FR.": "CHF",
    "CHF": "CHF",
    "¥": "JPY",
    "JPY": "JPY",
    "CA$": "CAD",
    "C$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AUD": "AUD",
    "SEK": "SEK",
    "DKK": "DKK",
    "NOK": "NOK",
    "CZK": "CZK",
    "PLN": "PLN",
    "HUF": "HUF",
}
_CURRENCY_RE = re.compile(
    r"(?<![A-Za-z])("
    + "|".join(re.escape(w) for w in sorted(_CURRENCY_WORDS, key=len, reverse=True))
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)
# A grouped number (thousands split by ' ’ , . or a space, each group exactly 3 digits) with an optional
# decimal part, or a plain number with an optional decimal part. The grouped form is tried first so
# "1,234.50" and "250 000" stay whole.
_NUMBER_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:(?:[',’.]|\s)\d{3})+(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d+)?)(?![\d])"
)


def _to_decimal(token: str) -> Decimal | None:
    """One number token to a Decimal, deciding which separator is the decimal point."""
    token = re.sub(r"[\s'’]", "", token)
    if "," in token and "." in token:
        # Whichever comes last is the decimal separator: "1,234.50" and "1.234,50".
        if token.rfind(",") > token.rfind("."):
            token = token.replace(".", "").replace(",", ".")
        else:
            token = token.replace(",", "")
    else:
        for sep in ",.":
            if sep in token:
                head, _, tail = token.rpartition(sep)
                if token.count(sep) > 1 or len(tail) == 3:
                    token = token.replace(sep, "")  # thousands: "1.200", "2,700", "1,000,000"
                else:
                    token = head.replace(sep, "") + "." + tail  # decimal: "3,25", "1.5"
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def _find_currency(text: str) -> str | None:
    match = _CURRENCY_RE.search(text)
    return _CURRENCY_WORDS[match.group(1).upper()] if match else None


def _amounts(text: str) -> list[Decimal]:
    values = []
    for match in _NUMBER_RE.finditer(text):
        value = _to_decimal(match.group(1))
        if value is not None:
            values.append(value)
    return values


def parse_money(text: str | None, default_currency: str | None = None) -> Money | None:
    """The first amount in the text, with the currency written next to it (or the default)."""
    text = clean(text)
    amounts = _amounts(text)
    if not amounts:
        return None
    return Money(amounts[0], _find_currency(text) or default_currency)


def parse_estimate(
    text: str | None, default_currency: str | None = None
) -> tuple[Decimal | None, Decimal | None, str | None]:
    """(low, high, currency) from "Estimate 50 GBP 60 GBP", "Est. $300-400", "CHF 200".

    A single value gives (value, None, currency). The two ends are put in order so low <= high.
    """
    text = clean(text)
    amounts = _amounts(text)
    currency = _find_currency(text) or default_currency
    if not amounts:
        return None, None, currency if text else None
    low = amounts[0]
    high = amounts[1] if len(amounts) > 1 else None
    if high is not None and high < low:
        low, high = high, low
    return low, high, currency
