"""Name normalisation for matching vocabulary terms.

Matching ignores case, accents, punctuation and odd spaces, so "Septimius Severus\xa0",
"SEPTIMIUS SEVERUS" and "Séptimius Severus" all meet at one key.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")


def match_key(name: str | None) -> str:
    """The key two names share when they mean the same term."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("æ", "ae").replace("Æ", "AE")
    return _NON_WORD.sub(" ", text.casefold()).strip()
