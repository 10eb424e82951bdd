"""Years as collectors write them.

Years are stored as signed integers, BC negative, and there is no year 0 (1 BC is followed by AD 1).
This module turns them back into the text a collector expects: (-27, 14) is "27 BC-AD 14".
"""


def format_year(year: int) -> str:
    """One year: -54 -> "54 BC", 14 -> "AD 14"."""
    if year < 0:
        return f"{-year} BC"
    return f"AD {year}"


def format_year_range(start: int | None, end: int | None, circa: bool = False) -> str:
    """A start/end pair the way catalogues print it.

    (-27, 14) -> "27 BC-AD 14"; (-54, -54) -> "54 BC"; (159, 160) -> "AD 159-160";
    (-150, -100, circa) -> "c. 150-100 BC". Returns "" when neither year is known.
    """
    if start is None and end is None:
        return ""
    if start is None:
        start = end
    if end is None:
        end = start
    prefix = "c. " if circa else ""
    if start == end:
        return prefix + format_year(start)
    if start < 0 and end < 0:
        return f"{prefix}{-start}-{-end} BC"
    if start > 0 and end > 0:
        return f"{prefix}AD {start}-{end}"
    return f"{prefix}{-start} BC-AD {end}"
