"""Series names to the stored category codes ("Roman Republic" -> "roman_republican")."""

import re

from numismatics.text import fold

CATEGORIES = (
    "greek", "celtic", "roman_republican", "roman_imperial", "roman_provincial", "judaean", "byzantine",
    "islamic", "modern", "other",
)  # fmt: skip

# Tried in order, on fold()ed text: the specific Roman series before anything looser.
_RULES = [
    (
        r"\broman (?:provincial|colonial)\b|\bgreek imperial\b|\bprovincial|\bprovinzial|\bcoloniales?\b",
        "roman_provincial",
    ),
    (
        r"\broman republic(?:an)?\b|\brepublic(?:an)?\b|\bimperatorial\b|\brrc\b|\brepublik\b|"
        r"\brepublique romaine\b|\brepubblica romana\b|\brepublica romana\b",
        "roman_republican",
    ),
    (
        r"\broman (?:imperial|empire)\b|\bimperial\b|\bkaiserzeit\b|\bkaiserreich\b|\bempire romain\b|"
        r"\bimpero romano\b|\bimperio romano\b|\bromaines imperiales\b|\bimperiales romaines\b",
        "roman_imperial",
    ),
    (
        r"\bjuda(?:e|ea|ean|ic)\b|\bjudea(?:n)?\b|\bjudee\b|\bgiudea\b|\bjewish\b|\bhasmonean\b|"
        r"\bbar kokhba\b",
        "judaean",
    ),
    (r"\bbyzantin(?:e|ium|ische|o)?\b|\bbyzanz\b|\bbizantin[oae]s?\b", "byzantine"),
    (r"\bislamic\b|\bislami(?:que|sch|co|ca)\b|\bumayyad\b|\babbasid\b|\barab[- ]byzantine\b", "islamic"),
    (
        r"\bcelt(?:ic|s)?\b|\bgaul(?:ish)?\b|\bceltic britain\b|\bkelten\b|\bgauloises?\b|\bceltes\b|"
        r"\bcelti\b|\bceltas\b",
        "celtic",
    ),
    (
        r"\bgreek\b|\bhellenistic\b|\bgriechen(?:land)?\b|\bgriechische\b|\bgrecques?\b|\bgreche\b|"
        r"\bgrece\b|\bgrecia\b|\bgriegas?\b|\bgreco\b",
        "greek",
    ),
    (r"^(?:modern|world|world coins?|modern (?:and|&) world|euro|medieval(?: and modern)?)$", "modern"),
    (r"^(?:other|miscellaneous|misc)$", "other"),
]
_COMPILED = [(re.compile(pattern), code) for pattern, code in _RULES]


def parse_category(text: str | None) -> str | None:
    """ "Roman Provincial\\xa0" -> "roman_provincial"; None when the text names no category we know."""
    key = fold(text).replace("_", " ")
    if not key:
        return None
    if key in CATEGORIES:
        return key
    for pattern, code in _COMPILED:
        if pattern.search(key):
            return code
    return None
