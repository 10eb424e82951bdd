"""What a coin or a lot says about its type, in the table's terms (nomisma ids and legends).

A coin in the collection gives its issuer, mint and denomination as vocabulary terms with nomisma ids
and its legends in their own fields; a lot gives text. `context_from_text` reads a description with
the description parser, then names through the vocabulary's spellings (numismatics/data/*.json) to
the ids the type table uses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from numismatics.description import LotDescription, parse_description
from numismatics.names import read_vocabulary
from numismatics.text import fold

from .legends import legend_runs
from .sections import issuer_key
from .spellings import find_issuer, find_mints

# The description parser's metals as the table's materials.
MATERIALS = {
    "gold": "av",
    "silver": "ar",
    "billon": "billon",
    "bronze": "ae",
    "copper": "ae",
    "orichalcum": "ae",
    "brass": "ae",
}
# Denominations the type table names that the vocabulary has no nomisma id for, by spelling.
_TABLE_DENOMINATIONS = {
    "sextans": "sextans", "sextantes": "sextans", "quadrigatus": "quadrigatus", "maiorina": "ae2",
    "majorina": "ae2", "miliarense": "light_miliarensis", "miliarensis": "light_miliarensis",
    "medallion": "roman_medallion", "double sestertius": "double-sestertius", "aurelianianus": "antoninianus",
    "aurelianus": "antoninianus", "half siliqua": "half_siliqua", "denarius serratus": "denarius_serratus",
    "serratus": "denarius_serratus", "bes": "bes", "dextans": "dextans", "dodrans": "dodrans",
    "quincunx": "quincunx", "semuncia": "semuncia", "quartuncia": "quartuncia", "decussis": "decussis",
    "tressis": "tressis", "half litra": "half-litra", "double victoriatus": "double-victoriatus",
    "half victoriatus": "half-victoriatus", "radiate": "antoninianus", "double denarius": "antoninianus",
}  # fmt: skip


@dataclass(frozen=True)
class TypeContext:
    """What is known of a coin, in the type table's terms. Empty fields are unknown, not absent."""

    issuer: str = ""  # issuer key: nomisma id, or the name as a slug (sections.issuer_key)
    issuer_name: str = ""  # as written: a Republican moneyer's name is in his legends
    mint: str = ""  # nomisma id
    denomination: str = ""  # nomisma id
    material: str = ""  # the table's material: av, ar, billon, ae
    year_start: int | None = None
    year_end: int | None = None
    obverse_legend: str = ""
    reverse_legend: str = ""
    # Legends found elsewhere in the text when the sides cannot be told apart.
    other_legends: tuple[str, ...] = field(default_factory=tuple)
    # Every mint the text names, when none is the coin's mint for sure ("RIC VII 123 Trier" in an
    # eBay title): RIC VI-IX numbers by mint, so resolution may still use them.
    mint_mentions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (
            self.issuer or self.issuer_name or self.mint or self.denomination or self.material
        ) and not (self.obverse_legend or self.reverse_legend or self.other_legends)


@functools.cache
def _spellings(vocabulary: str) -> dict[str, str]:
    """Folded name or alias -> key (nomisma id, or for issuers without one the name's slug)."""
    out: dict[str, str] = {}
    for row in read_vocabulary(vocabulary):
        key = row.get("nomisma") or (issuer_key(None, row["name"]) if vocabulary == "issuers" else "")
        if not key:
            continue
        for spelling in (row["name"], *row.get("aliases", ())):
            out.setdefault(fold(spelling), key)
    if vocabulary == "denominations":
        for spelling, key in _TABLE_DENOMINATIONS.items():
            out.setdefault(spelling, key)
    return out


@functools.cache
def _reigns() -> dict[str, tuple[int | None, int | None]]:
    out = {}
    for row in read_vocabulary("issuers"):
        out[row.get("nomisma") or issuer_key(None, row["name"])] = (
            row.get("reign_start"),
            row.get("reign_end"),
        )
    return out


def reign(issuer: str) -> tuple[int | None, int | None]:
    """An issuer's reign (signed years) from the vocabulary, (None, None) when unknown."""
    return _reigns().get(issuer, (None, None))


def _plausible(issuer: str, year_start: int | None, year_end: int | None) -> bool:
    """False when the coin is dated well before the issuer's reign: "C. Fabius C.f. Hadrianus" (102 BC)
    is a moneyer, not Hadrian. (Coins of heirs precede their reign by a few years; deified rulers'
    follow it by decades, so only "before" counts.)"""
    start, _ = _reigns().get(issuer, (None, None))
    coin_end = year_end if year_end is not None else year_start
    return start is None or coin_end is None or coin_end >= start - 25


@functools.cache
def issuer_names() -> dict[str, tuple[str, ...]]:
    """Issuer key -> its name and aliases (for finding a name in a legend)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in read_vocabulary("issuers"):
        key = row.get("nomisma") or issuer_key(None, row["name"])
        out[key] = (row["name"], *row.get("aliases", ()))
    return out


def lookup(vocabulary: str, name: str | None) -> str:
    """The key of a name as the vocabulary spells it ("Denar" -> "denarius", "Treveri" -> "treveri")."""
    if not name:
        return ""
    spellings = _spellings(vocabulary)
    key = fold(name).strip(" .,;:")
    found = spellings.get(key)
    if found:
        return found
    # "AR Denarius", "Æ Sestertius", "Roman Empire, Trajan": the longest known spelling inside.
    return _longest_inside(vocabulary, key)


def _longest_inside(vocabulary: str, folded: str) -> str:
    match = _inside_pattern(vocabulary).search(folded)
    return _spellings(vocabulary)[match.group(0)] if match else ""


@functools.cache
def _inside_pattern(vocabulary: str) -> re.Pattern:
    """One alternation of every spelling of four letters or more, longest first."""
    spellings = sorted((s for s in _spellings(vocabulary) if len(s) >= 4), key=lambda s: (-len(s), s))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)")


def context_from_description(described: LotDescription, text: str = "") -> TypeContext:
    """A description already parsed (parse_description) as a TypeContext."""
    heading = _heading(text) if text else described.issuer
    issuer = lookup("issuers", described.issuer) or find_issuer(described.issuer or "")
    if not issuer and heading:
        issuer = find_issuer(heading)
    if issuer and not _plausible(issuer, described.year_start, described.year_end):
        issuer = ""
    obverse = _legend_text(described.obverse)
    reverse = _legend_text(described.reverse)
    others: tuple[str, ...] = ()
    if text and not (obverse and reverse):
        others = tuple(
            run for run in (_legend_text(r) for r in legend_runs(_without_references(text))) if run
        )
    mint = lookup("mints", described.mint) if described.mint else ""
    mentions = tuple(find_mints(text)) if text and not mint else ()
    if not mint and len(mentions) == 1:
        mint = mentions[0]
    return TypeContext(
        issuer=issuer,
        # Without a known issuer the heading's words may still name a Republican moneyer.
        issuer_name=(described.issuer or heading)
        if issuer
        else " ".join(dict.fromkeys(p for p in (described.issuer, re.split(r"\d", heading)[0]) if p)),
        mint=mint,
        denomination=lookup("denominations", described.denomination),
        material=MATERIALS.get(described.metal or "", ""),
        year_start=described.year_start,
        year_end=described.year_end,
        obverse_legend=obverse,
        reverse_legend=reverse,
        other_legends=others,
        mint_mentions=mentions,
    )


# Capital words of headings and titles that are not legend: the period, the metal, "coin".
_NOT_LEGEND_WORDS = {
    "ROMAN", "EMPIRE", "REPUBLIC", "IMPERIAL", "IMPERATORS", "IMPERATORIAL", "ANCIENT", "COIN", "COINS",
    "MINT", "SILVER", "GOLD", "BRONZE", "BILLON", "DENARIUS", "DENARII", "AUREUS", "ANTONINIANUS",
    "SESTERTIUS", "FOLLIS", "SOLIDUS", "SILIQUA", "NICE", "RARE", "SCARCE", "AUTHENTIC", "GREEK",
    "RÖMISCHE", "REPUBLIK", "KAISERZEIT", "ROMISCHE", "REPUBBLICA", "ROMANA", "IMPERO", "ROMANO",
}  # fmt: skip


def _legend_text(text: str) -> str:
    """The legend runs of a side's text, without the heading words that come in capitals too
    (issuers', mints' and denominations' names, "ROMAN EMPIRE", "SILVER")."""
    kept = []
    for run in legend_runs(text):
        words = [
            word
            for word in run.split()
            if word.strip(".,;:").upper() not in _NOT_LEGEND_WORDS and not _is_name(word)
        ]
        if words:
            kept.append(" ".join(words))
    return " ".join(kept)


def _is_name(word: str) -> bool:
    """A capital word in today's spelling (with U, J or W, which legends write V, I, VV) that names an
    issuer, a mint or a denomination: "TRAJAN", "AUGUSTUS", "LUGDUNUM" in a heading. CONSTANTINVS,
    spelt as struck, stays a legend word."""
    word = word.strip(".,;:")
    if len(word) < 4 or not any(letter in word for letter in "UJW"):
        return False
    return bool(find_issuer(word) or lookup("denominations", word) or find_mints(word.title()))


def context_from_text(text: str) -> TypeContext:
    """Read a lot description (or any text about one coin) into a TypeContext."""
    return context_from_description(parse_description(text), text)


def _heading(text: str) -> str:
    """The opening words, where houses name the issuer ("Roma Impero. Adriano (117-138). Sesterzio"):
    the first 100 characters, cut at the obverse's separator if it comes sooner."""
    head = text[:100]
    for mark in (" / ", "//", " Obv", " D/", " Vs:", " Av:"):
        if mark in head:
            head = head[: head.index(mark)]
    return head


_CITATION_TAIL_RE = re.compile(
    r"\b(?:RIC|RSC|RPC|BMCRE|BMC|Cohen|Crawford|Sear|SRCV|Sydenham|Calic[oó])\b.*$", re.S
)


def _without_references(text: str) -> str:
    return _CITATION_TAIL_RE.sub("", text)
