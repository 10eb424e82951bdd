"""Years and year ranges as collectors write them.

Stored as signed integers, BC negative, with no year 0 (1 BC is followed by AD 1). The forms come from
DOMAIN.md and from the collection spreadsheet's "Ruled" and "Minted" columns: "27 BC-AD 14", "54 BC",
"AD 014-37" (zero-padded), "AD 159-60" (abbreviated end: 159-160), "AD 140/141", "before April AD 340",
"c. 150-100 BC", "circa 240 BC", "ca. AD 200", "2 BC-AD 4", "260-268", "3rd century AD", "14 CE".
numismatics.years.format_year_range() is the way back.
"""

import re
from dataclasses import dataclass

from numismatics.text import clean


class DateParseError(ValueError):
    """The text is not a year or year range a collector would write."""


@dataclass(frozen=True)
class YearRange:
    start: int
    end: int
    circa: bool
    qualifier: str = ""  # "before" / "after" when the text bounds the date on one side only


_ERA = r"(?:A\.?\s?D\.?|B\.?\s?C\.?(?:\s?E\.?)?|C\.?\s?E\.?)"
_RANGE_RE = re.compile(
    rf"^(?P<e1>{_ERA})?\s*(?P<y1>-?\d{{1,4}})\s*(?P<e2>{_ERA})?"
    rf"(?:\s*(?P<sep>-|/|to|until)\s*(?P<e3>{_ERA})?\s*(?P<y2>-?\d{{1,4}})\s*(?P<e4>{_ERA})?)?$",
    re.IGNORECASE,
)
_CENTURY_RE = re.compile(
    rf"^(?:(?:early|mid|late)\s+)?(?P<c1>\d{{1,2}})(?:st|nd|rd|th)"
    rf"(?:\s*(?:-|to)\s*(?:(?:early|mid|late)\s+)?(?P<c2>\d{{1,2}})(?:st|nd|rd|th))?"
    rf"\s+centur(?:y|ies)(?:\s+(?P<era>{_ERA}))?$",
    re.IGNORECASE,
)
_CIRCA_RE = re.compile(r"^(?:circa|ca\.?|c\.|c(?=\s*\d)|approx\.?|about)\s*", re.IGNORECASE)
_QUALIFIER_RE = re.compile(r"^(before|after|not before|not after|by|from)\s+", re.IGNORECASE)
# Months and seasons narrow a date within a year; the year is all that is stored.
_MONTHS_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|fall|winter|"
    r"early|late|mid)\b\.?",
    re.IGNORECASE,
)
# German, French, Italian eras, rewritten as BC/AD before anything else (they contain dots and dashes).
_FOREIGN_ERAS = [
    (
        re.compile(r"\bv\.\s?Chr\.?|\bav\.\s?J\.?\s?-?\s?C\.?|\ba\.\s?C\.?(?![A-Za-z])|(?<=\d\s)AC\b\.?"),
        " BC",
    ),
    (re.compile(r"\bn\.\s?Chr\.?|\bap\.\s?J\.?\s?-?\s?C\.?|\bd\.\s?C\.?(?![A-Za-z])"), " AD"),
]
_SPLIT_START_RE = re.compile(r"(\d+)/\d+(?=\s*-\s*\d)")
_DASHES_RE = re.compile(r"\s*[-‐‑‒–—−]\s*")
_QUALIFIER_NAMES = {"before": "before", "not after": "before", "by": "before", "after": "after"}
_QUALIFIER_NAMES |= {"not before": "after", "from": "after"}


def _era(token: str | None) -> str | None:
    if not token:
        return None
    letters = re.sub(r"[\s.]", "", token).upper()
    return "BC" if letters.startswith("B") else "AD"


def _signed(year: int, era: str | None) -> int:
    return -year if era == "BC" else year


def _complain(text: str, why: str) -> DateParseError:
    return DateParseError(f'"{text}" is not a date we can read ({why}); write it like "27 BC-AD 14".')


def _century_range(match: re.Match, original: str) -> YearRange:
    first = int(match.group("c1"))
    last = int(match.group("c2") or first)
    bc = _era(match.group("era")) == "BC"
    if first == 0 or last == 0:
        raise _complain(original, "there is no century 0")
    if bc:
        # "3rd-2nd centuries BC" is 300-101 BC; the larger number comes first.
        first, last = max(first, last), min(first, last)
        return YearRange(-100 * first, -100 * (last - 1) - 1, True)
    first, last = min(first, last), max(first, last)
    return YearRange(100 * (first - 1) + 1, 100 * last, True)


def parse_year_range(text: str | None) -> YearRange | None:
    """One date or range to a YearRange; None for empty text; DateParseError for anything else."""
    original = clean(text)
    if not original:
        return None
    work = original
    for pattern, era in _FOREIGN_ERAS:
        work = pattern.sub(era, work)
    work = _DASHES_RE.sub("-", work).strip(" .,;()[]")
    # "340/36-328 BC": a start known to within a few years; the earlier of the two starts the range.
    work = _SPLIT_START_RE.sub(r"\1", work)
    circa = False
    qualifier = ""
    match = _QUALIFIER_RE.match(work)
    if match:
        qualifier = _QUALIFIER_NAMES[" ".join(match.group(1).lower().split())]
        work = work[match.end() :]
    match = _CIRCA_RE.match(work)
    if match:
        circa = True
        work = work[match.end() :]
    work = _MONTHS_RE.sub(" ", work)
    work = re.sub(r"\s+", " ", work).strip(" ,").rstrip("-")
    # "-" is a range dash between two years; put spaces back only where a sign is meant ("-27").
    work = re.sub(r"(?<=[\dA-Za-z.])-(?=\s*\S)", " - ", work)
    work = re.sub(r"\s+", " ", work)

    century = _CENTURY_RE.match(work)
    if century:
        result = _century_range(century, original)
        return YearRange(result.start, result.end, True, qualifier)

    match = _RANGE_RE.match(work)
    if not match:
        raise _complain(original, "no year found in a form we know")
    start_era = _era(match.group("e1") or match.group("e2"))
    end_era = _era(match.group("e3") or match.group("e4"))
    y1_text, y2_text = match.group("y1"), match.group("y2")
    if (start_era and y1_text.startswith("-")) or (end_era and (y2_text or "").startswith("-")):
        raise _complain(original, "a minus sign and an era together")
    if y2_text is None:
        year = _signed(int(y1_text), start_era)
        if year == 0:
            raise _complain(original, "there is no year 0")
        return YearRange(year, year, circa, qualifier)

    if start_era is None and not y1_text.startswith("-"):
        start_era = end_era  # "150-100 BC": the era written once covers both years
    if end_era is None:
        end_era = start_era if not y1_text.startswith("-") else None
    y1, y2 = int(y1_text), int(y2_text)
    if (
        end_era != "BC"
        and start_era != "BC"
        and not y1_text.startswith("-")
        and y2 < y1
        and len(y2_text.lstrip("-")) < len(y1_text.lstrip("0"))
    ):
        # "AD 159-60" and "58/9": the end repeats the start's leading digits.
        digits = y1_text.lstrip("0")
        y2 = int(digits[: len(digits) - len(y2_text)] + y2_text)
    elif (
        match.group("sep") == "/"
        and "BC" in (start_era, end_era)
        and len(y2_text) < len(y1_text.lstrip("0"))
        and 0 < y1 - _expanded(y1_text, y2_text) <= 5
    ):
        # "38/7 BC": two consecutive BC years, the second written short (38/37 BC), not "100/99 BC".
        y2 = _expanded(y1_text, y2_text)
    start, end = _signed(y1, start_era), _signed(y2, end_era)
    if start == 0 or end == 0:
        raise _complain(original, "there is no year 0")
    if start > end:
        # Backwards ranges were silently accepted by an earlier system; refuse rather than guess.
        raise _complain(original, "the start is after the end")
    return YearRange(start, end, circa, qualifier)


def _expanded(start_text: str, short_end: str) -> int:
    """The end year written short, completed with the start's leading digits: ("38", "7") -> 37."""
    digits = start_text.lstrip("0")
    return int(digits[: len(digits) - len(short_end)] + short_end)


def parse_year(text: str | None) -> int:
    """One year: "27 BC" -> -27, "-27", "AD 14", "14", "14 AD", "14 CE", "100 BCE" -> -100."""
    result = parse_year_range(text)
    if result is None:
        raise DateParseError("An empty text is not a year.")
    if result.start != result.end:
        raise _complain(clean(text), "it is a range, not one year")
    return result.start
