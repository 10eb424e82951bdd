"""Coin legends: the capitals struck on the coin, apart from the cataloguer's description.

"CAESAR AVGVSTVS-DIVI F PATER PATRIAE, laureate head of Augustus right" is a legend followed by a
description. Legends are Latin or Greek capitals with word dividers (•, ·, :), break marks (-, /) and
editorial brackets for letters off the flan ("[ON]"); the description is ordinary mixed-case prose.
"""

import re
import unicodedata

from numismatics.text import clean

# Marks that may sit inside or between legend words but carry no letters of their own.
_MARKS = "[]()•·.:-–/⁝⁞|'’…"
_DIVIDERS_RE = re.compile(r"[•·:\-–/⁝⁞|\[\]()…]+|\.(?=\S)|\.{2,}")


def _is_legend_token(token: str) -> bool | None:
    """True for a capitals-only token, False for prose, None for pure marks ("•", "-")."""
    letters = [ch for ch in token if ch not in _MARKS and not ch.isdigit()]
    if not letters:
        return None
    return all(unicodedata.category(ch) == "Lu" for ch in letters if ch not in ",;")


def split_legend(text: str | None) -> tuple[str, str]:
    """(legend, description); ("", text) when the text does not start with a legend."""
    text = clean(text)
    tokens = text.split(" ")
    taken = 0
    letters = 0
    for token in tokens:
        verdict = _is_legend_token(token.rstrip(",;"))
        if verdict is False:
            break
        taken += 1
        letters += sum(1 for ch in token if ch.isalpha())
        if token.endswith((",", ";")):
            break  # the comma closes the legend: "..., laureate head right"
    # One capital letter alone is usually the English article ("A bust ...") or a field mark.
    if taken == 0 or letters < 2:
        return "", text
    legend = " ".join(tokens[:taken]).rstrip(",; ")
    description = " ".join(tokens[taken:]).lstrip(",; ")
    return legend, description


def legend_search_text(legend: str | None) -> str:
    """Legend letters only, split at dividers: "IMP•CAES•TRAIAN•HADRIANO" -> "IMP CAES TRAIAN HADRIANO"."""
    text = _DIVIDERS_RE.sub(" ", clean(legend))
    return re.sub(r"\s+", " ", text).strip(" .,;").upper()
