"""Database rules shared by several models, written once.

These helpers build named CheckConstraints. They avoid regular expressions on purpose: SQLite has
no built-in REGEXP, and a constraint that needs a Python function would fail in any tool that opens
the database without Django (backups, sqlite3 shell).
"""

from django.db import models
from django.db.models.functions import Length, Substr, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual


def currency_code_check(field: str, name: str) -> models.CheckConstraint:
    """Blank, or three capital letters A-Z (an ISO 4217 code such as USD, EUR, CHF)."""
    letters = models.Q()
    for position in (1, 2, 3):
        char = Substr(field, position, 1)
        letters &= models.Q(GreaterThanOrEqual(char, "A")) & models.Q(LessThanOrEqual(char, "Z"))
    return models.CheckConstraint(
        condition=models.Q(**{field: ""})
        | models.Q(Exact(Length(field), 3)) & models.Q(**{field: Upper(field)}) & letters,
        name=name,
    )


def positive_when_set(field: str, name: str) -> models.CheckConstraint:
    """NULL, or strictly greater than zero (a weight of 0 g is a typing error, not a measurement)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gt": 0}), name=name
    )


def not_negative_when_set(field: str, name: str) -> models.CheckConstraint:
    """NULL, or zero or more (prices)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0}), name=name
    )


def between_when_set(field: str, low: int, high: int, name: str) -> models.CheckConstraint:
    """NULL, or within [low, high] (die axis 1-12, NGC strike 1-5)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__range": (low, high)}),
        name=name,
    )


def year_range_checks(prefix: str, start: str = "year_start", end: str = "year_end") -> list:
    """A forward range (start <= end) with no year 0, for signed years (BC negative)."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{start}__isnull": True})
            | models.Q(**{f"{end}__isnull": True})
            | models.Q(**{f"{start}__lte": models.F(end)}),
            name=f"{prefix}_years_ordered",
        ),
        models.CheckConstraint(
            condition=~models.Q(**{start: 0}) & ~models.Q(**{end: 0}), name=f"{prefix}_no_year_zero"
        ),
    ]
