"""Text normalisation shared by every parser.

Real catalogue text arrives with non-breaking spaces (the spreadsheet's "Roman Provincial\\xa0"),
narrow no-break spaces ("RIC V.1#\\u202f13c"), doubled spaces and decomposed accents. Every parser
cleans first so that its patterns only have to know about one plain space.
"""

import re
import unicodedata

# Every Unicode space separator plus tabs/newlines/zero-width characters: all become one space.
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# Ligature damage from PDF extraction ("fi ne") is left alone: guessing would corrupt legends.


def clean(text: str | None) -> str:
    """NFC-normalise, turn odd spaces into plain ones, collapse runs and strip; None -> ""."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    return _SPACES.sub(" ", text).strip()


def fold(text: str | None) -> str:
    """clean() + casefold + accents removed: "Kölner Münzen" -> "kolner munzen", for matching only."""
    text = unicodedata.normalize("NFKD", clean(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # NFKD splits "æ" not at all; keep it comparable with the "ae" spelling.
    return text.replace("æ", "ae").replace("œ", "oe")
