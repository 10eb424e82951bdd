"""The statistics of a value, in plain Python: recency weights, a weighted median with its range, and
the adjustment of a price for a difference in grade.

A numismatist weighs recent sales more than old ones (the market moves) and reads a price of a
better coin as a higher one for the same type. The figures below are those rules, written once:

- recency: a sale's weight halves every HALF_LIFE_YEARS years before the valuation date;
- the estimate is the weighted median; the range is the weighted 25th to 75th percentile (so one
  freak price neither moves the estimate nor stretches the range to it);
- grade: one adjectival grade (10 points of numismatics.grades' band, VF 70 to EF 80) multiplies a
  price by GRADE_STEP_FACTOR; a difference counts at most MAX_GRADE_STEPS grades each way, because
  a Fine and an FDC of one type are different markets and no factor bridges them honestly.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HALF_LIFE_YEARS = 5.0
GRADE_STEP_FACTOR = 1.5
BAND_POINTS_PER_GRADE = 10
MAX_GRADE_STEPS = 2.0
LOW_QUANTILE = 0.25
HIGH_QUANTILE = 0.75


def recency_weight(sold_on: dt.date, today: dt.date) -> float:
    """1 for a sale today, 0.5 for one HALF_LIFE_YEARS ago; a future date counts as today."""
    age_years = max((today - sold_on).days, 0) / 365.25
    return 0.5 ** (age_years / HALF_LIFE_YEARS)


def grade_factor(coin_band: int | None, lot_band: int | None) -> Decimal:
    """What a lot's price is multiplied by to stand for the coin's grade (1 when either is unknown)."""
    if coin_band is None or lot_band is None:
        return Decimal(1)
    steps = (coin_band - lot_band) / BAND_POINTS_PER_GRADE
    steps = max(-MAX_GRADE_STEPS, min(MAX_GRADE_STEPS, steps))
    return Decimal(str(round(GRADE_STEP_FACTOR**steps, 4)))


def weighted_quantile(values: list[tuple[Decimal, float]], q: float) -> Decimal:
    """The q-quantile (0..1) of (value, weight) pairs: the smallest value whose cumulative weight
    reaches q of the total. Needs at least one pair with a positive weight."""
    ordered = sorted(values, key=lambda pair: pair[0])
    total = sum(weight for _, weight in ordered)
    if not ordered or total <= 0:
        raise ValueError("A quantile needs at least one value with a weight.")
    reached = 0.0
    for value, weight in ordered:
        reached += weight
        if reached >= q * total - 1e-12:
            return value
    return ordered[-1][0]


@dataclass(frozen=True)
class Estimate:
    median: Decimal
    low: Decimal
    high: Decimal


def estimate(values: list[tuple[Decimal, float]]) -> Estimate:
    """The weighted median and the weighted 25th-75th percentile range, rounded to whole units."""

    def whole(value: Decimal) -> Decimal:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return Estimate(
        whole(weighted_quantile(values, 0.5)),
        whole(weighted_quantile(values, LOW_QUANTILE)),
        whole(weighted_quantile(values, HIGH_QUANTILE)),
    )
