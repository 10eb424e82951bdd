"""Numbers from query strings, read one way everywhere: ids, whole numbers, pages, amounts, dates.

Anyone can type or forge a query string, and Python reads more than a query string should hold:
`str.isdigit()` is true for "²" while `int("²")` raises, `int("٣")` is 3, and twenty nines make a
valid Python int that overflows the database's integer columns (SQLite: "datatype mismatch" or
OverflowError, PostgreSQL: "bigint out of range"), which used to be a 500. So every filter and page
reads its numbers here: ASCII digits only, within the range of the column they meet, anything else a
ValidationError whose message the page shows (the form's message), never a 500.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

# The columns numbers meet. Ids are BigAutoField (bigint on PostgreSQL, a 64-bit integer on SQLite);
# years, grade bands, list positions and page numbers fit PostgreSQL's 32-bit integer.
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
# Longer than any number of those ranges with a few leading zeros: refused before any parsing.
MAX_NUMBER_LENGTH = 30

_WHOLE = re.compile(r"-?[0-9]+", re.ASCII)
_AMOUNT = re.compile(r"([0-9]*)(?:\.([0-9]*))?", re.ASCII)


def shown(text: str, limit: int = 30) -> str:
    """The visitor's value as quoted back in a message: short, and cut visibly."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_foreign_digits(text: str) -> bool:
    """Whether `text` holds a digit that is not 0-9 ("²", "٣", "１"): such text is refused, not guessed."""
    return not text.isascii() and any(ch.isdigit() for ch in text)


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a whole number in ASCII digits (with a leading minus sign or not)."""
    return len(text) <= MAX_NUMBER_LENGTH and _WHOLE.fullmatch(text) is not None


def read_whole_number(value: object, *, minimum: int, maximum: int, what: str = "a number") -> int:
    """`value` as an int in [minimum, maximum]: ASCII digits, a minus sign where negatives are allowed.

    `what` names the value in the message ("an id", "a page number").
    """
    text = "" if value is None else str(value).strip()
    if not is_ascii_number(text) or (minimum >= 0 and text.startswith("-")):
        raise ValidationError(
            f'"{shown(text)}" is not {what}: write it with the digits 0-9 only.', code="not_a_number"
        )
    number = int(text)
    if not minimum <= number <= maximum:
        raise ValidationError(
            f'"{shown(text)}" is out of range for {what} (from {minimum:,} to {maximum:,}).',
            code="out_of_range",
        )
    return number


def read_amount(value: object, *, max_digits: int, decimal_places: int, what: str = "an amount") -> Decimal:
    """A non-negative amount that fits a DecimalField(max_digits, decimal_places): "120", "120.5"."""
    text = "" if value is None else str(value).strip()
    match = _AMOUNT.fullmatch(text) if len(text) <= MAX_NUMBER_LENGTH else None
    if match is None or not (match[1] or match[2]):
        raise ValidationError(
            f'"{shown(text)}" is not {what}: write it with the digits 0-9 and a decimal point, '
            "such as 120 or 120.50.",
            code="not_an_amount",
        )
    whole, fraction = match[1].lstrip("0"), (match[2] or "").rstrip("0")
    if len(whole) > max_digits - decimal_places or len(fraction) > decimal_places:
        largest = "9" * (max_digits - decimal_places)
        raise ValidationError(
            f'"{shown(text)}" is out of range for {what} (at most {int(largest):,} '
            f"with {decimal_places} decimals).",
            code="out_of_range",
        )
    return Decimal(f"{whole or '0'}.{fraction or '0'}")


class WholeNumberField(forms.Field):
    """An optional whole number in a range, read by read_whole_number."""

    def __init__(self, *, minimum: int = 0, maximum: int = INTEGER_MAX, what: str = "a number", **kwargs):
        kwargs.setdefault("required", False)
        self.minimum, self.maximum, self.what = minimum, maximum, what
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return read_whole_number(value, minimum=self.minimum, maximum=self.maximum, what=self.what)


class AmountField(forms.Field):
    """An optional non-negative amount that fits a decimal column of `max_digits`/`decimal_places`."""

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        kwargs.setdefault("required", False)
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return read_amount(value, max_digits=self.max_digits, decimal_places=self.decimal_places)


class DateField(forms.DateField):
    """Django's DateField ("2024-05-01"), refusing what strptime would also take: other scripts'
    digits, and texts far longer than a date."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if len(text) > MAX_NUMBER_LENGTH or has_foreign_digits(text):
                raise ValidationError(
                    f'"{shown(text)}" is not a date: write it as YYYY-MM-DD with the digits 0-9.',
                    code="invalid",
                )
        return super().to_python(value)
