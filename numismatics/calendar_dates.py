"""Calendar dates as sale pages print them, in English, German, French, Italian and Spanish.

"9 May 2011", "Monday, 9 May 2011", "Jun 03, 2014", "6-8 Oct 2022" (the first day), "12. Dezember
2016", "12 décembre 2016", "12 dicembre 2016", "12 de diciembre de 2016", "12.12.2016", "2016-12-12".
Years of coins ("27 BC-AD 14") are another matter: see dates.py.
"""

from __future__ import annotations

import re
from datetime import date

from numismatics.text import fold

# fold()ed month names and abbreviations -> month number.
_MONTH_NAMES = {
    1: ("january", "jan", "januar", "janner", "janvier", "janv", "gennaio", "genn", "enero", "ene"),
    2: ("february", "feb", "februar", "fevrier", "fevr", "fev", "febbraio", "febrero"),
    3: ("march", "mar", "marz", "mars", "marzo"),
    4: ("april", "apr", "avril", "avr", "aprile", "abril", "abr"),
    5: ("may", "mai", "maggio", "mag", "mayo"),
    6: ("june", "jun", "juni", "juin", "giugno", "giu", "junio"),
    7: ("july", "jul", "juli", "juillet", "juil", "luglio", "lug", "julio"),
    8: ("august", "aug", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "settembre", "sett", "set", "septiembre", "setiembre"),
    10: ("october", "oct", "oktober", "okt", "octobre", "ottobre", "ott", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "dezember", "dez", "decembre", "dicembre", "dic", "diciembre"),
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|o|º)?\.?"
_PATTERNS = (
    # "9 May 2011", "6-8 Oct 2022", "12. Dezember 2016", "12 de diciembre de 2016", "31 Aug - 5 Sep 2026"
    re.compile(
        rf"\b{_DAY}(?:\s*[-–]\s*\d{{1,2}}\.?)?\s+(?:de\s+)?{_MONTH}"
        rf"(?:\s*[-–]\s*\d{{1,2}}\.?\s+[a-z]{{3,9}}\.?)?,?\s+(?:de\s+)?(?P<year>\d{{4}})\b"
    ),
    # "Jun 03, 2014", "May 9-10, 2011", "September 5 2026"
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*[-–]\s*\d{{1,2}})?,?\s+(?P<year>\d{{4}})\b"),
    # "12.12.2016", "12/12/2016" (day first, as everywhere but the United States), "2016-12-12"
    re.compile(r"\b(?P<day>\d{1,2})(?P<sep>[./])(?P<monthnum>\d{1,2})(?P=sep)(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})(?!\d)"),  # "2026-03-14T10:00Z" too
)


def find_date(text: str | None) -> tuple[date, int, int] | None:
    """The first calendar date in text, with where it starts and ends; None when there is none."""
    if not text:
        return None
    work = fold(text)
    if len(work) != len(text):  # fold() changed the length (a ligature): positions are approximate
        work = work[: len(text)].ljust(len(text))
    found: list[tuple[int, int, date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(work):
            groups = match.groupdict()
            month = (
                int(groups["monthnum"]) if groups.get("monthnum") else MONTHS.get(groups.get("month") or "")
            )
            if not month:
                continue
            day = int(groups["day"])
            if groups.get("sep") == "/" and month > 12 >= day:
                day, month = month, day  # "09/21/2026": an American page writes the month first
            try:
                value = date(int(groups["year"]), month, day)
            except ValueError:
                continue
            found.append((match.start(), match.end(), value))
            break
    if not found:
        return None
    start, end, value = min(found)
    return value, start, end


def parse_calendar_date(text: str | None) -> date | None:
    """The first calendar date in text, or None."""
    found = find_date(text)
    return found[0] if found else None
