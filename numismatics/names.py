"""The names of issuers, mints and denominations: one source for the parsers and the vocabulary.

`numismatics/data/*.json` hold the curated starting vocabulary (written for this project): each term
with its nomisma id, its facts and the other spellings collectors and houses use (`aliases`: plurals,
the German, French, Italian and Spanish forms, older names of a mint). The description parser finds
denominations and mints by these spellings, and `vocab`'s `load_vocab` loads the same rows into the
database, so a name added here is both recognised in a lot and a term curators can pick.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from numismatics.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
VOCABULARIES = ("issuers", "mints", "denominations")


def read_vocabulary(name: str, data_dir: Path | None = None) -> list[dict[str, Any]]:
    """One data file as a list of dicts ("issuers", "mints" or "denominations")."""
    if data_dir is not None:
        return json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))
    return [dict(row) for row in _cached(name)]


@functools.cache
def _cached(name: str) -> tuple[dict[str, Any], ...]:
    if name not in VOCABULARIES:
        raise ValueError(f"no vocabulary named {name!r}")
    return tuple(json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8")))


_ONE_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@functools.cache
def single_word_spellings(name: str) -> tuple[str, ...]:
    """Every name and alias of a vocabulary that is one word ("Denarius", "Denar", "Sesterz", "AE4"),
    longest first, so a regular expression built from them prefers "Tetradrachm" to "Drachm"."""
    words = set()
    for row in _cached(name):
        for spelling in (row["name"], *row.get("aliases", ()), *row.get("also_written", ())):
            if _ONE_WORD.fullmatch(spelling) or re.fullmatch(r"(?:AE|Æ)\d", spelling):
                words.add(spelling)
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


def _key(spelling: str) -> str:
    return re.sub(r"[\s.-]+", " ", fold(spelling)).strip()


@functools.cache
def _canonical(name: str) -> dict[str, str | None]:
    """fold()ed spelling -> the term's name; None for a spelling two terms share (`also_written`:
    Spanish "triente" is a tremissis, Italian "triente" a triens)."""
    out: dict[str, str | None] = {}
    for row in _cached(name):
        for spelling in (row["name"], *row.get("aliases", ())):
            out.setdefault(_key(spelling), row["name"])
        for spelling in row.get("also_written", ()):
            out[_key(spelling)] = None
    return out


def canonical_name(vocabulary: str, written: str | None) -> str:
    """The vocabulary's name for a spelling ("Rom" -> "Rome", "Sesterz" -> "Sestertius", "Lyon" ->
    "Lugdunum"); the spelling as written when the vocabulary does not know it or it names two terms."""
    text = (written or "").strip()
    if not text:
        return ""
    found = _canonical(vocabulary).get(_key(text))
    return found or text


@functools.cache
def multi_word_spellings(name: str) -> tuple[str, ...]:
    """Every name and alias of a vocabulary that is more than one word ("Half stater", "Double
    Sestertius")."""
    return tuple(
        sorted(
            {
                spelling
                for row in _cached(name)
                for spelling in (row["name"], *row.get("aliases", ()))
                if " " in spelling.strip()
            }
        )
    )
