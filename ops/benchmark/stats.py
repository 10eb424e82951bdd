"""Percentiles without numpy: the benchmark must run in the project's own venv."""

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct` percentile (0-100) by linear interpolation between closest ranks.

    With 30 repetitions p95 falls between the 28th and 29th sorted value; interpolating keeps one
    outlier from deciding p95 alone the way nearest-rank would.
    """
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def summarize_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds, rounded to what a wall clock on a shared machine can tell."""
    return {
        "p50_ms": round(percentile(seconds, 50) * 1000, 2),
        "p95_ms": round(percentile(seconds, 95) * 1000, 2),
    }
