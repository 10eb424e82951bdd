"""Metal words and abbreviations to the stored metal codes.

English abbreviations (AV/AU, AR, AE/Æ, BI, EL, PB), English, German, French, Italian and Spanish words.
Unknown text gives None, never a guess: a wrong metal is worse than a blank one for a collector's
records. METAL_WORDS is the one list of the words the description parser looks for in a text.
"""

import re

from numismatics.text import fold

METALS = (
    "gold", "silver", "electrum", "billon", "bronze", "copper", "orichalcum", "brass", "lead", "potin",
    "other",
)  # fmt: skip

# Keys are fold()ed; "ae" also covers "Æ" because fold() spells the ligature out.
_WORDS = {
    "av": "gold", "au": "gold", "gold": "gold", "or": "gold", "oro": "gold", "aurum": "gold",
    "ar": "silver", "ag": "silver", "silver": "silver", "silber": "silver", "argent": "silver",
    "argento": "silver", "plata": "silver",
    "ae": "bronze", "bronze": "bronze", "bronzo": "bronze", "bronce": "bronze", "bronze/copper": "bronze",
    "copper/bronze": "bronze", "ae/cu": "bronze",
    "cu": "copper", "copper": "copper", "kupfer": "copper", "cuivre": "copper", "rame": "copper",
    "bi": "billon", "mi": "billon", "billon": "billon", "billone": "billon", "bil": "billon",
    "el": "electrum", "electrum": "electrum", "elektron": "electrum", "elettro": "electrum",
    "pb": "lead", "lead": "lead", "blei": "lead", "plomb": "lead", "piombo": "lead",
    "vellon": "billon", "mistura": "billon", "electro": "electrum", "electron": "electrum",
    "cobre": "copper", "plomo": "lead", "orichalque": "orichalcum", "oricalque": "orichalcum",
    "latón": "brass", "laton": "brass",
    "potin": "potin", "zilver": "silver", "goud": "gold", "brons": "bronze", "koper": "copper",
    "orichalcum": "orichalcum", "oricalco": "orichalcum", "messing": "brass", "brass": "brass",
    "laiton": "brass", "ottone": "brass",
}  # fmt: skip
# The metal words as texts write them (accents kept: keys above are fold()ed), for finding them in a
# text: each word, capitalised and in lower case. "or" and "lead" are also common words in English and
# are left to the caller ("Or" before a capital, "Lead" capitalised).
_ACCENTED = {"vellon": "vellón", "laton": "latón", "electrum": "électrum"}
AMBIGUOUS_WORDS = ("or", "lead")
METAL_WORDS = tuple(
    sorted(
        {
            form
            for key in _WORDS
            if len(key) >= 3 and key.isalpha() and key not in (*AMBIGUOUS_WORDS, "bil")
            for word in (key, _ACCENTED.get(key, key))
            for form in (word, word.capitalize())
        },
        key=lambda word: (-len(word), word),
    )
)
_TOKEN_RE = re.compile(r"[a-z]+(?:/[a-z]+)?")


def words_for(metal: str) -> tuple[str, ...]:
    """Every word and abbreviation read as `metal` (a stored code), the code first: what a collector may
    type to mean it ("silver" -> "silver", "ag", "ar", "argent", ...). Single words only: "bronze/copper"
    is read as bronze, but it does not make "copper" a word for bronze. The search index lists them."""
    words = (word for word, code in _WORDS.items() if code == metal and word != metal and "/" not in word)
    return (metal, *sorted(words))


def parse_metal(text: str | None) -> str | None:
    """ "Silver" -> "silver", "Æ" -> "bronze", "Bronze/Copper" -> "bronze"; None when not a metal we know."""
    key = fold(text).strip(" .,;:()")
    if not key:
        return None
    if key in _WORDS:
        return _WORDS[key]
    if key in METALS:
        return key
    # "AR Denarius", "Silver plated"? Only the first word decides, and only when it is a metal word.
    first = _TOKEN_RE.match(key)
    if first and first.end() < len(key) and key[first.end()] in " ,(":
        return _WORDS.get(first.group(0))
    return None
