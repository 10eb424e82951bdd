"""Names as houses write them in their own languages, matched to the vocabulary's.

"Traiano", "Trajano", "Trajanus" and "Trajan", "Adriano" and "Hadrien", "Costantino", "Konstantin I."
and "Constantin Ier", "Settimio Severo" and "Septime Sévère": one key each, made by the same rules on
both sides (spelling.key): accents and case gone; j, y, k, ph, th, qu, ae as i, i, c, f, t, c, e; a
word's initial h dropped, doubled letters single, "ns" and "pt" as Italian writes them ("s", "t");
Latin, Italian, Spanish, French and German endings cut (-ius, -us, -io, -o, -ia, -e, -es, -a), and
French -ien read as Latin -ianus. Roman numerals and French or German ordinals ("Ier", "II.") stay
as numerals. Mints match on a shared start of most of the shorter key ("Thessalonique" and
"Thessalonica"), issuers on the whole key.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from numismatics.names import read_vocabulary

from .sections import issuer_key

_ENDINGS = ("ius", "us", "um", "io", "ia", "ie", "es", "os", "on", "o", "e", "a", "i")
_NUMERAL_RE = re.compile(r"^(?:[ivx]+|1er|ier|ire|1re)\.?$")
_ORDINALS = {"ier": "i", "1er": "i", "ire": "i", "1re": "i"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("æ", "ae").replace("œ", "oe")


def word_key(word: str) -> str:
    """One word's key: "Trajano" -> "traian", "Hadrien" -> "adrian", "Costantino" -> "costantin"."""
    word = _fold(word).strip(".")
    if _NUMERAL_RE.match(word):
        return _ORDINALS.get(word, word)
    word = re.sub(r"[^a-z]", "", word)
    if not word:
        return ""
    for old, new in (("ph", "f"), ("th", "t"), ("qu", "c"), ("ae", "e"), ("j", "i"), ("y", "i"), ("k", "c")):
        word = word.replace(old, new)
    word = re.sub(r"^h", "", word)
    word = re.sub(r"(.)\1", r"\1", word)
    word = word.replace("ns", "s").replace("pt", "t")
    if word.endswith("ien") and len(word) > 5:
        word = word[:-3] + "ian"
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def phrase_key(text: str) -> str:
    return " ".join(k for k in (word_key(w) for w in re.findall(r"[^\W\d_]+\.?|\d+(?:er|re)?", text)) if k)


@functools.cache
def _issuer_keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_vocabulary("issuers"):
        key = row.get("nomisma") or issuer_key(None, row["name"])
        for spelling in (row["name"], *row.get("aliases", ())):
            phrase = phrase_key(spelling)
            if phrase and (len(spelling) >= 4 or " " in phrase):
                out.setdefault(phrase, key)
    return out


@functools.cache
def _mint_keys() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(exact key -> nomisma id, first six letters -> [(key, nomisma id)]) for every mint spelling."""
    exact: dict[str, str] = {}
    by_start: dict[str, list[tuple[str, str]]] = {}
    for row in read_vocabulary("mints"):
        if not row.get("nomisma"):
            continue
        for spelling in (row["name"], *row.get("aliases", ())):
            phrase = phrase_key(spelling)
            if len(phrase) >= 3:
                exact.setdefault(phrase, row["nomisma"])
                if len(phrase) >= 6:
                    by_start.setdefault(phrase[:6], []).append((phrase, row["nomisma"]))
    return exact, by_start


def _mint_of(phrase: str) -> str:
    exact, by_start = _mint_keys()
    if phrase in exact:
        return exact[phrase]
    for key, nomisma in by_start.get(phrase[:6], ()):
        if mint_key_matches(phrase, key):
            return nomisma
    return ""


def find_issuer(text: str) -> str:
    """The issuer named first in a text ("Impero Romano. Traiano (98-117)" -> "trajan"): at each word
    from the left, the longest run of one to four words whose key is an issuer's name or alias; ""
    when none is. A single word must have four letters or more as written."""
    words = re.findall(r"[^\W\d_]+\.?|\d+(?:er|re)\b", text)
    keys = [word_key(w) for w in words]
    table = _issuer_keys()
    for start in range(len(keys)):
        for size in (4, 3, 2, 1):
            if start + size > len(keys):
                continue
            phrase = " ".join(k for k in keys[start : start + size] if k)
            if not phrase or (size == 1 and len(words[start].strip(".")) < 4):
                continue
            if phrase in table:
                return table[phrase]
    return ""


def mint_key_matches(a: str, b: str) -> bool:
    """Two mint keys alike: equal, or sharing a start of 6 letters or more covering 80 % of the longer
    ("tesalonic"; "costantinopl" and "costantinopol", but not Arles' "costantin")."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 6 and common >= 0.8 * max(len(a), len(b))


def find_mints(text: str) -> list[str]:
    """The nomisma ids of every mint named in a text, in order of first mention. Words in capitals
    (legends: ROMA, an exergue's TREVERI), short abbreviations ("Röm." is römisch) and issuers' names
    ("Constantine", not Arles' old name Constantina) are not read as mints."""
    found: list[str] = []
    tokens = re.findall(r"[^\W\d_]+\.?", text)
    letters_ = [ch for ch in text if ch.isalpha()]
    # A text written all in capitals (an eBay title) names its mint in capitals too.
    shouting = bool(letters_) and sum(ch.isupper() for ch in letters_) > 0.6 * len(letters_)
    keys = []
    for token in tokens:
        word = token.rstrip(".")
        skip = (word.isupper() and len(word) > 1 and not shouting) or (token.endswith(".") and len(word) <= 4)
        # Three-letter spellings ("Rom") only as a capitalised word, never inside prose ("tiré").
        skip = skip or (len(word) <= 3 and not word[:1].isupper())
        keys.append("" if skip else word_key(word))
    issuers = _issuer_keys()
    start = 0
    while start < len(keys):
        step = 1
        for size in (3, 2, 1):
            part = keys[start : start + size]
            if len(part) < size or not all(part):
                continue
            phrase = " ".join(part)
            if len(phrase) < 3 or phrase in issuers:
                continue
            mint = _mint_of(phrase)
            if mint:
                if mint not in found:
                    found.append(mint)
                # The longest name wins and its words are used up: "Colonia Patricia" is not also
                # Cologne's "Colonia".
                step = size
                break
        start += step
    return found
