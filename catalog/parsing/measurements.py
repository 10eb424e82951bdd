"""Weight, diameter and die axis from the measurement parts of a lot description.

"(19mm, 3.47 g, 6h)", "(Silver, 23.5 mm, 17.16 g, 9 h)", "22.05g, 33mm, 6h", "3.65g/6h",
"Weight: 3,25 g" (decimal comma), "8,4 g - 19,5 mm - 12 h", "(3.22 gm)", "3.82 gr.", "Ø 19 mm",
"6 o'clock", "12:00". A diameter range "15-17mm" keeps its first value. The die axis is in clock hours
1-12 (0h is 12). Zero weights or diameters are refused, as an earlier system wrongly accepted them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from catalog.parsing.text import clean


@dataclass(frozen=True)
class Measurements:
    weight_g: Decimal | None
    diameter_mm: Decimal | None
    die_axis: int | None


_NUM = r"(\d{1,4}(?:[.,]\d{1,3})?)"
WEIGHT_RE = re.compile(
    rf"(?<![\w.,/-]){_NUM}\s*(?:g|gm|gms|gr|grs|gram|grams|gramm|grammes?)\b\.?(?!\s*/\s*[a-z]{{2}})",
    re.IGNORECASE,
)
# Labels, and the unit written first as Italian catalogues do: "(g 25,12; mm 31)".
WEIGHT_LABEL_RE = re.compile(
    rf"\b(?:weight|wt|gewicht|poids|peso)\s*[.:]?\s*{_NUM}"
    rf"|(?:(?<=\()|(?<=[,;]\s))(?-i:g|gr)\.?\s+(\d{{1,3}}[.,]\d{{1,3}})\b",
    re.IGNORECASE,
)
DIAMETER_RE = re.compile(
    rf"(?<![\w.,/]){_NUM}(?:\s*(?:[-–x×/])\s*\d{{1,3}}(?:[.,]\d)?)?\s*mm\b", re.IGNORECASE
)
DIAMETER_LABEL_RE = re.compile(
    rf"(?:\b(?:diameter|diam|dm|durchmesser)\s*[.:]?|Ø|(?:(?<=\()|(?<=[,;]\s))(?-i:mm)(?=\s+\d))\s*{_NUM}",
    re.IGNORECASE,
)
AXIS_RE = re.compile(
    r"(?<![\w.,])(\d{1,2})\s*(?:h\b\.?|hr\b|hrs\b|o['’]?\s?clock\b|:00\b)"
    r"|\b(?:axis|die axis|stempelstellung)\s*[.:]?\s*(\d{1,2})\b",
    re.IGNORECASE,
)


def _decimal(token: str) -> Decimal:
    return Decimal(token.replace(",", "."))


def parse_weight(text: str) -> Decimal | None:
    match = WEIGHT_LABEL_RE.search(text) or WEIGHT_RE.search(text)
    if not match:
        return None
    value = _decimal(next(group for group in match.groups() if group))
    return value if value > 0 else None


def parse_diameter(text: str) -> Decimal | None:
    match = DIAMETER_LABEL_RE.search(text) or DIAMETER_RE.search(text)
    if not match:
        return None
    value = _decimal(match.group(1))
    return value if value > 0 else None


# Some catalogues draw the axis as an arrow; only the four unambiguous ones are read.
_ARROWS_RE = re.compile(r"(?:^|[\s,(;])([↑↓→←⇧⇩⇨⇦])(?=$|[\s,);.])")
_ARROW_HOURS = {"↑": 12, "⇧": 12, "→": 3, "⇨": 3, "↓": 6, "⇩": 6, "←": 9, "⇦": 9}


def parse_axis(text: str) -> int | None:
    arrow = _ARROWS_RE.search(text)
    if arrow and not AXIS_RE.search(text):
        return _ARROW_HOURS[arrow.group(1)]
    for match in AXIS_RE.finditer(text):
        hours = int(match.group(1) or match.group(2))
        if hours == 0:
            return 12
        if 1 <= hours <= 12:
            return hours
    return None


def parse_measurements(text: str | None) -> Measurements:
    """Whatever of weight (g), diameter (mm) and die axis (hours) the text states; None for the rest."""
    text = clean(text)
    return Measurements(parse_weight(text), parse_diameter(text), parse_axis(text))
