"""Legends compared letter by letter, whatever the way they were written down.

The same legend reaches us as "IMP•CAES•TRAIAN•HADRIANO", "IMP CAES TRAIAN HADRIAN-O", "imp caes
traian hadriano", "IMP CAES TRAIAN HADRIANO (ligate AN)", with U for V, J for I, ligatures (Æ, Ꜹ,
A͡V), Greek letters for Latin ones (Λ, ∈, Ϲ), restorations in brackets ([IMP]) and the cataloguer's
own words in lower case (OCRE: "S C large", "P M TR P (round)"). `letters()` keeps what was struck:
the capitals, in one spelling, without dividers or word breaks (a break falls inside words as often
as between them). Similarity is then measured on letter trigrams, so "S P Q R" and "SPQR" agree and an
abbreviation ("CAES" for "CAESAR") costs a little, not everything.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

# Greek letters (and their look-alikes in legend transcriptions) as the Latin letters they stand for.
_GREEK = str.maketrans(
    {
        "Α": "A", "Β": "B", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "E", "Θ": "TH", "Ι": "I",
        "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "X", "Ο": "O", "Π": "P", "Ρ": "R", "Σ": "S",
        "Ϲ": "S", "Τ": "T", "Υ": "V", "Φ": "PH", "Χ": "X", "Ψ": "PS", "Ω": "O", "Ϝ": "F", "Ϛ": "ST",
        "∈": "E", "ϵ": "E", "Є": "E", "Ϥ": "V", "☧": "XP", "Ʈ": "T",
    }
)  # fmt: skip
_LIGATURES = str.maketrans({"Æ": "AE", "Œ": "OE", "Ꜹ": "AV", "Ꜳ": "AA", "Ꜵ": "AO", "Ꝏ": "OO", "ß": "SS"})
_LATIN = str.maketrans({"U": "V", "J": "I", "W": "VV"})
# Editorial words in a legend: a run of lower case ("round", "in ex.", "(rev.N)" notes), and OCRE's
# alternatives ("APOLLI CO or APOLLI CON"), of which the first stands for all.
_EDITORIAL_RE = re.compile(r"\([^()]*[a-z][^()]*\)|\b[a-z][a-z.]*\b")
_ALTERNATIVE_RE = re.compile(r"\s+or\s+.*$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(legend: str | None) -> list[str]:
    """The legend's words in one spelling: upper case, V for U, I for J, Latin for Greek letters,
    ligatures spelt out, editorial lower-case words and dividers gone. A break inside a word
    ("HADRIAN-O") joins it; one between words ("AVGVSTVS-DIVI") cannot be told apart and joins too."""
    return list(_words(legend or ""))


@functools.lru_cache(maxsize=65536)
def _words(legend: str) -> tuple[str, ...]:
    if not legend:
        return ()
    text = _ALTERNATIVE_RE.sub("", str(legend))
    # A legend typed all in lower case is still a legend; lower-case words beside capitals are notes.
    text = _EDITORIAL_RE.sub(" ", text) if any(ch.isupper() for ch in text) else text
    text = text.replace("[", "").replace("]", "")  # "[M·L]EPIDVS": restored letters belong to their word
    text = _fold(text.translate(_LIGATURES)).upper().translate(_LIGATURES).translate(_GREEK).translate(_LATIN)
    text = re.sub(r"(?<=[A-Z])[-–—_](?=[A-Z])", "", text)  # a break mark inside a word
    return tuple(re.findall(r"[A-Z]+", text))


def letters(legend: str | None) -> str:
    """The legend as one run of capitals: "IMP•CAES•TRAIAN•HADRIANO" -> "IMPCAESTRAIANHADRIANO"."""
    return "".join(_words(legend or ""))


@functools.lru_cache(maxsize=65536)
def trigrams(run: str) -> frozenset[str]:
    """Letter trigrams of a run of capitals; a run shorter than three letters is its own gram."""
    if len(run) < 3:
        return frozenset([run]) if run else frozenset()
    return frozenset(run[i : i + 3] for i in range(len(run) - 2))


def containment(part: str, whole: str) -> float:
    """How much of `part` (a run of capitals) is found in `whole`: the share of its trigrams."""
    if not part or not whole:
        return 0.0
    if part in whole:
        return 1.0
    grams = trigrams(part)
    return len(grams & trigrams(whole)) / len(grams)


def similarity(a: str, b: str) -> float:
    """Symmetric similarity of two runs of capitals (Dice over trigrams), 0 to 1."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ga, gb = trigrams(a), trigrams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb))


# Capitals in a description that are not legend: metals, grades, graders, catalogues, eras.
_NOT_LEGEND = {
    "AR", "AV", "AE", "BI", "EL", "PB", "AU", "VF", "EF", "XF", "MS", "VG", "FDC", "UNC", "NGC",
    "PCGS", "ANACS", "ICG", "RIC", "RSC", "RPC", "BMC", "BMCRE", "BMCRR", "SNG", "SRCV", "MIR", "DOC",
    "HGC", "BC", "AD", "CE", "BCE", "CH", "GVF", "GF", "NVF", "NEF", "AEF", "AVF", "SS", "VZ", "TTB",
    "SUP", "BB", "SPL", "QFDC", "RR", "RRR", "OBV", "REV", "RV", "RS", "VS", "Æ", "AG", "MBC", "EBC",
    "QSPL", "QBB", "ST", "EXTREMELY", "VERY", "FINE", "CHOICE", "GOOD", "NEAR", "ABOUT", "MINT",
    "STATE", "UNCIRCULATED", "SUPERB", "GEM", "RARE", "SCARCE", "NICE", "TONED", "ANCIENT", "COIN",
    "ROMAN", "EMPIRE", "REPUBLIC", "IMPERIAL", "GREEK", "AUTHENTIC", "COA", "PROOF",
}  # fmt: skip
_TOKEN_RE = re.compile(r"\S+")
_BREAK_MARKS = {"-", "–", "—", "•", "·", ":", "|"}


def _is_capital_token(token: str) -> bool:
    core = token.strip(".,;:()[]/•·'\"")
    if not core or any(ch.isdigit() for ch in core):
        return False  # "BC-14", "AE3", "4.3g": dates and measures, never legend
    if "//" in core:
        return False  # "T-F//PTR", "E//XXI", "-/-//RS": field and exergue marks, written field//exergue
    letters_only = [ch for ch in core if ch.isalpha()]
    if not letters_only or not all(ch.isupper() for ch in letters_only):
        return False
    return _fold(core).upper().replace(".", "") not in _NOT_LEGEND


_ROMAN_RE = re.compile(r"[IVX]{1,4}")


def _is_name_word(token: str) -> bool:
    """A word in today's spelling that a ruler's number may follow: "Constantius", "Philip" (not
    "Rev." or "Obv.", after which "XX" is a legend)."""
    return len(token) >= 3 and token.isalpha() and token[0].isupper() and token[1:].islower()


def legend_runs(text: str | None) -> list[str]:
    """Runs of capital words in free text, as written ("Rev. SPQR OPTIMO PRINCIPI, three standards"
    -> ["SPQR OPTIMO PRINCIPI"]). A run needs two letters or more; single capitals alone (field
    letters, the article "A") are left out."""
    runs: list[list[str]] = []
    current: list[str] = []
    previous = ""
    for token in _TOKEN_RE.findall(text or ""):
        if _is_capital_token(token):
            if not current and _is_name_word(previous) and _ROMAN_RE.fullmatch(token.strip(".,;:()")):
                previous = token
                continue  # "Constantius II", "Gordian III": a ruler's number, not legend
            current.append(token)
            previous = token
            continue
        previous = token
        if current and token in _BREAK_MARKS:
            continue  # "ANTONINVS – PIVS AVG": a break in the legend, not its end
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        joined = " ".join(run).strip(" ,;:.")
        if len(letters(joined)) >= 2:
            out.append(joined)
    return out


@dataclass(frozen=True)
class LegendDifference:
    """A coin's legend beside the type's: each as (text, differs) pieces for display, and a verdict."""

    coin: tuple[tuple[str, bool], ...]
    type: tuple[tuple[str, bool], ...]
    verdict: str  # "same", "shorter", "variant", "different"
    ratio: float

    @property
    def summary(self) -> str:
        return {
            "same": "the same legend",
            "shorter": "the same legend, shortened or partly off the flan",
            "variant": "small differences: a die variant or a misreading",
            "different": "a different legend: check the attribution",
        }[self.verdict]


def compare(coin_legend: str, type_legend: str) -> LegendDifference:
    """Mark the letters that differ between a coin's legend and the type's, as written on each."""
    coin_map = _letter_positions(coin_legend)
    type_map = _letter_positions(type_legend)
    a = "".join(letter for letter, _ in coin_map)
    b = "".join(letter for letter, _ in type_map)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    coin_diff = [False] * len(a)
    type_diff = [False] * len(b)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for i in range(i1, i2):
                coin_diff[i] = True
            for j in range(j1, j2):
                type_diff[j] = True
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ratio = matched / max(len(a), len(b)) if a or b else 1.0
    if a == b:
        verdict = "same"
    elif a and matched == len(a) and len(a) >= 6 and _only_word_ends_missing(matcher, type_legend, len(b)):
        verdict = "shorter"
    elif ratio >= 0.8:
        verdict = "variant"
    else:
        verdict = "different"
    return LegendDifference(
        coin=_pieces(coin_legend, coin_map, coin_diff),
        type=_pieces(type_legend, type_map, type_diff),
        verdict=verdict,
        ratio=round(ratio, 3),
    )


def _only_word_ends_missing(matcher: difflib.SequenceMatcher, legend: str, length: int) -> bool:
    """Whether every letter the coin lacks ends a word of the type's legend, or is at either end of
    it: "CAES" for CAESAR and a legend run off the flan are a shorter legend; "PATRIE" for PATRIAE
    is not."""
    ends = set()
    position = 0
    for word in words(legend):
        position += len(word)
        ends.add(position)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            return False
        if not (j1 == 0 or j2 == length or j2 in ends):
            return False
    return True


def _letter_positions(legend: str) -> list[tuple[str, int]]:
    """(normalised letter, index of the character it comes from) for each letter of the legend."""
    out = []
    for index, ch in enumerate(legend or ""):
        for letter in letters(ch):
            out.append((letter, index))
    return out


def _pieces(legend: str, mapping: list[tuple[str, int]], differs: list[bool]) -> tuple[tuple[str, bool], ...]:
    """The legend as written, cut into runs that differ or not (dividers follow their neighbours)."""
    flags = [False] * len(legend or "")
    for (_, index), flag in zip(mapping, differs, strict=True):
        flags[index] = flags[index] or flag
    pieces: list[tuple[str, bool]] = []
    for ch, flag in zip(legend or "", flags, strict=True):
        if pieces and (pieces[-1][1] == flag or not ch.isalpha()):
            pieces[-1] = (pieces[-1][0] + ch, pieces[-1][1])
        else:
            pieces.append((ch, flag))
    return tuple(pieces)
