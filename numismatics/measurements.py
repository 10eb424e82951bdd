"""Weight, diameter and die axis from the measurement parts of a lot description.

"(19mm, 3.47 g, 6h)", "(Silver, 23.5 mm, 17.16 g, 9 h)", "22.05g, 33mm, 6h", "3.65g/6h",
"Weight: 3,25 g" (decimal comma), "8,4 g - 19,5 mm - 12 h", "(3.22 gm)", "3.82 gr.", "Ø 19 mm",
"6 o'clock", "12:00", "die axis 180°" (degrees: 0/360 -> 12), arrows (↑ 12, → 3, ↓ 6, ← 9, diagonals
to the nearer later hour: ↗ 2, ↘ 5, ↙ 8, ↖ 11), "h 12" (the unit first, as in "(g 7,34; mm 22; h 12)").
A diameter range "15-17mm" or an oval flan "13 x 15 mm" keeps its first value, as the real catalogue
data does for ranges. The die axis is in clock hours
1-12 (0h is 12). Zero weights or diameters are refused, as an earlier system wrongly accepted them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from numismatics.text import clean


@dataclass(frozen=True)
class Measurements:
    weight_g: Decimal | None
    diameter_mm: Decimal | None
    die_axis: int | None


_NUM = r"(\d{1,4}(?:[.,]\d{1,3})?)"
WEIGHT_RE = re.compile(
    rf"(?<![\w.,/-]){_NUM}\s*(?:g|gm|gms|gr|grs|gram|grams|gramm|grammes?|grammi|grammo|gramos|gramas)\b\.?(?!\s*/\s*[a-z]{{2}})",
    re.IGNORECASE,
)
# Labels, and the unit written first as Italian catalogues do: "(g 25,12; mm 31)".
WEIGHT_LABEL_RE = re.compile(
    rf"\b(?:weight|wt|gewicht|poids|peso)\s*[.:]?\s*{_NUM}"
    rf"|(?:(?<=\()|(?<=\s))(?-i:g|gr)\.?\s?(\d{{1,3}}[.,]\d{{1,3}})\b(?![.,]\d)(?!\s*mm\b(?!\.?\s?\d))",
    re.IGNORECASE,
)
# The unit as an abbreviation or spelled out in any of the five languages ("26.5 millimeters").
_MILLIMETRES = r"(?:mm|millimet(?:er|re)s?|millim[eè]tres?|millimetri|mil[ií]metros?)"
DIAMETER_RE = re.compile(
    rf"(?<![\w.,/]){_NUM}(?:\s*(?:[-–x×/])\s*\d{{1,3}}(?:[.,]\d)?)?\s*{_MILLIMETRES}\b", re.IGNORECASE
)
DIAMETER_LABEL_RE = re.compile(
    # "Diameter: AE23 mm": a size class written before the diameter.
    rf"(?:\b(?:diameter|diam|dm|durchmesser|diamètre|diametro|diámetro)\s*[.:]?\s*(?:AE|Æ)?|Ø"
    rf"|(?:(?<=\()|(?<=\s))(?-i:mm)\.?(?=\s?\d))\s*{_NUM}(?!\d|[.,]\d)(?!\s*(?:g|gr|gm|grams?)\b)",
    re.IGNORECASE,
)
AXIS_RE = re.compile(
    r"(?<![\w.,])(\d{1,2})\s*(?:h\b\.?|hr\b|hrs\b|o['’]?\s?clock\b|:00\b|uhr\b)"
    r"|\b(?:axis|die axis|stempelstellung|axe des coins|axe)\s*[.:]?\s*(\d{1,2})(?![\d°º])\b"
    r"|(?:(?<=\()|(?<=[,;]\s))(?-i:h)\s?(\d{1,2})\b(?![.,]\d)",
    re.IGNORECASE,
)
# Degrees: "die axis 180°", "Stempelstellung 90°" (not "n° 12", where a letter comes first).
# Forum Ancient Coins types the degree sign as a letter o: "2.312g, 17.4mm, 180o".
_DEGREES_RE = re.compile(r"(?<![\w.,])(\d{1,3})(?:\s?[°º](?![CF]\b)|o\b)")


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
_ARROWS_RE = re.compile(r"(?:^|[\s,(;])([↑↓→←⇧⇩⇨⇦↗↘↙↖])(?=$|[\s,);.])")
_ARROW_HOURS = {
    "↑": 12, "⇧": 12, "→": 3, "⇨": 3, "↓": 6, "⇩": 6, "←": 9, "⇦": 9, "↗": 2, "↘": 5, "↙": 8, "↖": 11,
}  # fmt: skip


_CITATION_BEFORE_RE = re.compile(
    r"(?:\b(?!(?:AR|AE|AV|BI|EL|AU|AG|MM|GR)\s)[A-Z]{2,5}|\bSear|\bCohen|\bPrice)\s+(?:[IVX]{1,4}(?:\.\d)?\s+)?$"
)


def parse_axis(text: str) -> int | None:
    arrow = _ARROWS_RE.search(text)
    if arrow and not AXIS_RE.search(text):
        return _ARROW_HOURS[arrow.group(1)]
    degrees = _DEGREES_RE.search(text)
    if (
        degrees
        and int(degrees.group(1)) <= 360
        and (not degrees.group(0).endswith("o") or int(degrees.group(1)) % 15 == 0)
        and not AXIS_RE.search(text)
    ):
        hours = round(int(degrees.group(1)) / 30) % 12
        return hours or 12
    for match in AXIS_RE.finditer(text):
        if _CITATION_BEFORE_RE.search(text, max(0, match.start() - 16), match.start()):
            continue  # "DOC 9h", "MIB 7h": a catalogue number with a variant letter, not hours
        hours = int(next(group for group in match.groups() if group))
        if hours == 0:
            return 12
        if 1 <= hours <= 12:
            return hours
    return None


def parse_measurements(text: str | None) -> Measurements:
    """Whatever of weight (g), diameter (mm) and die axis (hours) the text states; None for the rest."""
    text = clean(text)
    return Measurements(parse_weight(text), parse_diameter(text), parse_axis(text))
