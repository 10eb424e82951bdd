"""Grades: the text as written, plus a sortable band 0..100 and the slab details.

Adjectival scale (Poor 10 ... AU 90, MS/FDC 100) with qualifiers: "Near"/"about"/"a" -3, "-" -2,
"+" +2, "Good <grade>" +3, "Choice"/"Ch" +5, and a range "ss-vz" or "VF/EF" is the mean of its ends.
German (s, ss, vz, St), Italian (MB, BB, SPL, FDC), French (TB, TTB, SUP) and spelled-out English words
are read too. NGC strings carry strike and surface scores ("Strike: 5/5 Surface: 4/5" or a bare
"5/5 - 2/5"), a star and "Fine Style"; only NGC scores ancients that way, so scores alone imply NGC.
"""

import re
from dataclasses import dataclass

from numismatics.text import clean, fold

SERVICES = ("ngc", "pcgs", "icg", "anacs")
GRADING_STATES = ("raw", "slabbed", "capsule", "flip")


@dataclass(frozen=True)
class Grade:
    text: str
    band: int | None
    service: str | None
    strike: int | None
    surface: int | None
    fine_style: bool
    star: bool
    uncertain: bool = False  # "XF?": the grader hedged; the band is still the grade written


# Base values of each grade word, by language. "fv" is a real typo for VF in the spreadsheet.
GRADE_VALUES = {
    "poor": 10, "p": 10, "fair": 20, "fr": 20, "ag": 30, "g": 40, "vg": 50, "f": 60, "vf": 70, "fv": 70,
    "ef": 80, "xf": 80, "au": 90, "ms": 100, "unc": 100, "bu": 100, "fdc": 100,
    # German: schön, sehr schön, vorzüglich, Stempelglanz
    "s": 60, "ss": 70, "vz": 80, "st": 100, "stgl": 100,
    # Italian: molto bello, bellissimo, splendido, fior di conio
    "mb": 60, "bb": 70, "spl": 80,
    # French: très beau, très très beau, superbe
    "tb": 60, "ttb": 70, "sup": 80,
    # Spanish: bien conservada, muy bien conservada, extraordinariamente bien conservada, sin circular
    "bc": 60, "mbc": 70, "ebc": 80, "sc": 100,
}  # fmt: skip
_QUALIFIERS = {
    "near": -3, "nearly": -3, "about": -3, "abt": -3, "almost": -3, "a": -3, "n": -3, "fast": -3, "f": -3,
    "quasi": -3, "q": -3, "presque": -3, "good": 3, "gutes": 3, "gut": 3, "g": 3, "choice": 5, "ch": 5,
    "gem": 5, "superb": 5,
}  # fmt: skip
_RANGE_WORDS = {"-", "/", "to", "a", "bis", "or", "und"}
# Spelled-out grades become their codes before tokenising; longer phrases first.
_PHRASES = [
    (r"\bfi ne\b", "fine"),  # PDF ligature damage: "extremely fi ne"
    (r"\bextremely fine\b|\bextra fine\b|\bextrafine\b", "ef"),
    (r"\bvery fine\b", "vf"),
    (r"\bvery good\b", "vg"),
    (r"\babout good\b", "ag"),
    (r"\b(?:about|almost|nearly) uncirculated\b|\babout unc\b", "au"),
    (r"\buncirculated\b|\bmint state\b|\bbrilliant uncirculated\b", "ms"),
    (r"\bfleur de coin\b|\bfior di conio\b|\bstempelglanz\b", "fdc"),
    (r"\bs/c\b|\bsin circular\b", "sc"),  # Spanish "sin circular", not a range from s to c
    (r"\bsehr schon\b", "ss"),
    (r"\bvorzuglich\b", "vz"),
    (r"\bschon\b", "s"),
    (r"\btres tres beau\b", "ttb"),
    (r"\btres beau\b", "tb"),
    (r"\bsuperbe\b", "sup"),
    (r"\bsplendido\b", "spl"),
    (r"\bbellissimo\b", "bb"),
    (r"\bmolto bello\b", "mb"),
    (r"\bfine\b", "f"),
    (r"\bextremely\b", ""),
]
_PHRASE_RES = [(re.compile(pattern), code) for pattern, code in _PHRASES]
_SPACES_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[a-z]+|\+|-|/|\?")
_STRIKE_RE = re.compile(r"strike\s*:?\s*([1-5])\s*/\s*5", re.IGNORECASE)
_SURFACE_RE = re.compile(r"surface\s*:?\s*([1-5])\s*/\s*5", re.IGNORECASE)
_BARE_SCORES_RE = re.compile(r"\b([1-5])\s*/\s*5\b\s*[,;–—-]?\s*\b([1-5])\s*/\s*5\b")
_SERVICE_RE = re.compile(r"\b(NGC|PCGS|ICG|ANACS)\b", re.IGNORECASE)
_FINE_STYLE_RE = re.compile(r"\bfine\s+style\b", re.IGNORECASE)
_STAR_RE = re.compile(r"[★☆*]|\bstar\b", re.IGNORECASE)
# Slab text that is not part of the adjectival grade.
_NOISE_RE = re.compile(
    r"strike\s*:?\s*\d\s*/\s*5|surface\s*:?\s*\d\s*/\s*5|\b\d\s*/\s*5\b|\bgraded\b|\b\d{1,2}\b",
    re.IGNORECASE,
)


def _tokens(text: str) -> list[str]:
    work = fold(text).replace("'s", " ")
    for pattern, code in _PHRASE_RES:
        work = _SPACES_RE.sub(" ", pattern.sub(f" {code} ", work))
    tokens = []
    for token in _TOKEN_RE.findall(work):
        if token not in GRADE_VALUES and token not in _QUALIFIERS and len(token) > 2:
            # Prefix glued to the grade: "aEF", "qFDC", "nVF", "gVF", "chAU".
            for prefix in ("ch", "a", "q", "n", "g"):
                rest = token[len(prefix) :]
                if token.startswith(prefix) and rest in GRADE_VALUES:
                    tokens.extend([prefix, rest])
                    break
            else:
                tokens.append(token)
        else:
            tokens.append(token)
    return tokens


def _is_grade_ahead(tokens: list[str], i: int) -> bool:
    """Is there a grade word at i, possibly after qualifiers ("VF - near EF")?"""
    while i < len(tokens):
        token = tokens[i]
        if token in GRADE_VALUES:
            return True
        if token not in _QUALIFIERS:
            return False
        i += 1
    return False


def grade_band(text: str | None) -> int | None:
    """The 0..100 sorting band of an adjectival grade text; None when it names no grade."""
    tokens = _tokens(_NOISE_RE.sub(" ", _FINE_STYLE_RE.sub(" ", clean(text))))
    terms: list[tuple[int, bool]] = []  # (value, joined to the previous term by a range)
    pending = 0
    joined = False
    i = 0
    while i < len(tokens):
        word = tokens[i]
        next_is_grade = _is_grade_ahead(tokens, i + 1)
        if word == "good" and not next_is_grade:
            word = "g"  # "Good" on its own is the grade G, not a qualifier
        if word in _QUALIFIERS and (next_is_grade or word not in GRADE_VALUES):
            if next_is_grade:
                pending += _QUALIFIERS[word]
            else:
                pending = 0  # a qualifier before ordinary words: "good strike"
            i += 1
            continue
        if word in GRADE_VALUES:
            value = GRADE_VALUES[word] + pending
            pending = 0
            i += 1
            while i < len(tokens) and tokens[i] in "+-":
                if tokens[i] == "+":
                    value += 2
                elif _is_grade_ahead(tokens, i + 1):
                    break
                else:
                    value -= 2
                i += 1
            terms.append((value, joined))
            joined = False
            if i + 1 < len(tokens) and tokens[i] in _RANGE_WORDS and _is_grade_ahead(tokens, i + 1):
                joined = True
                i += 1
            if len(terms) == 2:
                break
            continue
        if terms and not joined:
            break  # the first grade is complete; later words are remarks
        pending = 0
        i += 1
    if not terms:
        return None
    value = terms[0][0]
    if len(terms) > 1 and terms[1][1]:
        value = (terms[0][0] + terms[1][0] + 1) // 2
    return max(0, min(100, value))


def parse_grade(text: str | None) -> Grade:
    """Read a grade field: "Choice AU  Strike: 5/5 Surface: 4/5", "Ch AU ★ ... Fine Style", "ss-vz"."""
    text = clean(text)
    service_match = _SERVICE_RE.search(text)
    strike_match = _STRIKE_RE.search(text)
    surface_match = _SURFACE_RE.search(text)
    strike = int(strike_match.group(1)) if strike_match else None
    surface = int(surface_match.group(1)) if surface_match else None
    if strike is None and surface is None:
        bare = _BARE_SCORES_RE.search(text)
        if bare:
            strike, surface = int(bare.group(1)), int(bare.group(2))
    service = service_match.group(1).lower() if service_match else None
    if service is None and (strike is not None or surface is not None):
        service = "ngc"
    adjectival = _SERVICE_RE.sub(" ", text)
    return Grade(
        text=text,
        band=grade_band(_STAR_RE.sub(" ", adjectival)),
        service=service,
        strike=strike,
        surface=surface,
        fine_style=bool(_FINE_STYLE_RE.search(text)),
        star=bool(_STAR_RE.search(text)),
        uncertain="?" in text,
    )
