"""A type's likely date from its place in RIC's order, where the table gives OCRE no years.

RIC VI-X number each mint's (or, in X, each reign's) coins in the order they were struck, emission
after emission; the table gives OCRE types no years, and the volume alone spans twenty years or more.
A type's rank among its section's numbers, spread over the years its section covers (the volume's
years within the reigns of its authorities), dates it to within a few years: on the coins of the
tuning part, half of the right types were placed within two years of the coin's own date. That is
enough to prefer, among the sixty types of Constantine at Rome that read SOLI INVICTO COMITI, those
struck near the coin's date; it is too coarse to say more, so it only ever weighs a little.

RIC I-V are arranged by mint and denomination within a reign, not by date: their places say nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from .context import reign
from .records import TypeRecord
from .scoring import VOLUME_YEARS
from .sections import CONTINUOUS_VOLUMES, MINT_VOLUMES

# How far (years) from the coin's dates a placed type still earns something; the placing errs by
# about two years in half the cases and by up to ten.
REACH = 6.0

_DIGITS_RE = re.compile(r"\d+")


def placed_years(records: Sequence[TypeRecord]) -> list[float | None]:
    """For each record, the year its place in its section suggests (None outside RIC VI-X)."""
    sections: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        if record.volume in MINT_VOLUMES or record.volume in CONTINUOUS_VOLUMES:
            sections[(record.volume, record.section)].append(index)
    out: list[float | None] = [None] * len(records)
    for (volume, _section), indexes in sections.items():
        start, end = _section_years(volume, [records[i].authority for i in indexes])
        ordered = sorted(indexes, key=lambda i: _order(records[i]))
        count = len(ordered)
        for rank, index in enumerate(ordered):
            out[index] = start + (end - start) * (rank + 0.5) / count
    return out


def nearness(placed: float | None, year_start: int | None, year_end: int | None) -> float:
    """1 when the placed year falls within the coin's dates, falling to 0 at REACH years away; 0 when
    either is unknown."""
    if placed is None or year_start is None:
        return 0.0
    end = year_end if year_end is not None else year_start
    gap = max(0.0, year_start - placed, placed - end)
    return max(0.0, 1.0 - gap / REACH)


def _section_years(volume: str, authorities: list[str]) -> tuple[int, int]:
    low, high = VOLUME_YEARS[volume]
    reigns = [reign(authority) for authority in set(authorities)]
    starts = [start for start, _ in reigns if start is not None]
    ends = [end for _, end in reigns if end is not None]
    start = max(low, min(starts)) if starts else low
    end = min(high, max(ends)) if ends else high
    return (start, end) if start < end else (low, high)


def _order(record: TypeRecord) -> tuple[int, str]:
    """A record's place in its section: the number's digits, then its letters ("15A" before "15B")."""
    match = _DIGITS_RE.match(record.catalogue_number)
    return (int(match.group()) if match else 0, record.catalogue_number)
