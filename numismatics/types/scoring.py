"""How well a type agrees with what is known of a coin: one score, with its reasons in words.

Resolution uses it to choose among the types a citation may denote (OCRE's split of one RIC number by
denomination, the same number in two emperors' sections); suggestion ranks the whole table by it.
Each feature adds when it agrees, takes away when it contradicts, and is silent when either side
does not know.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from numismatics.years import format_year_range

from . import legends
from .context import TypeContext, issuer_names, reign
from .records import UNKNOWN, TypeRecord
from .sections import DIVI, FAMILY, LATE_AUTHORITIES, MINT_VOLUMES
from .table import TypeTable

# Weights, tuned on the tuning part of the labelled set (numismatics/tests/data/type-labels.jsonl).
W_ISSUER = 3.0
W_NAME = 1.5
W_DENOMINATION = 1.5
W_MATERIAL = 1.0
W_MINT = 1.5
W_YEARS = 1.0
W_LEGEND = 4.0
# The share of W_MINT for Rome when the description names no mint (before RIC VI).
W_USUAL_MINT = 0.6

# Denominations that catalogues and houses use for one another, with how near they are.
_GROUPS: list[tuple[frozenset[str], float]] = [
    (
        frozenset(
            {
                "follis", "nummus", "centenionalis", "ae1", "ae2", "ae3", "ae4", "ae3_4", "large_ae2",
                "small_ae2", "reduced_ae2", "fraction", "double-maiorina", "ae_small", "ae_medium",
                "ae_large",
            }
        ),
        0.6,
    ),
    (frozenset({"denarius", "denarius_serratus"}), 0.9),
    (frozenset({"aureus", "aureus1_ric", "aureus2_ric", "aureus3_ric"}), 0.9),
    (frozenset({"siliqua", "reduced_siliqua", "heavy_siliqua"}), 0.7),
    (frozenset({"light_miliarensis", "heavy_miliarensis"}), 0.8),
    (frozenset({"as", "dupondius"}), 0.3),
    (frozenset({"sestertius", "double-sestertius"}), 0.3),
    (frozenset({"half_siliqua", "reduced_half_siliqua"}), 0.8),
]  # fmt: skip
# Debased silver is described as silver (antoniniani) or as bronze ("AE" folles and maiorinae, which
# OCRE calls billon): near, not a contradiction.
_COMPATIBLE_MATERIALS = {frozenset({"ar", "billon"}): 0.7, frozenset({"ae", "billon"}): 0.5}
# The years each volume of RIC covers; a type of OCRE is dated by its volume and its authority's reign.
VOLUME_YEARS = {
    "1(2)": (-44, 69), "2_1(2)": (69, 96), "2": (96, 138), "3": (138, 192), "4": (193, 253),
    "5": (253, 310), "6": (294, 313), "7": (313, 337), "8": (337, 364), "9": (364, 395), "10": (395, 491),
}  # fmt: skip


def denomination_agreement(wanted: str, actual: str) -> float | None:
    """1 for the same, a fraction for near ones, -1 for a different one, None when either is unknown."""
    if not wanted or not actual or actual in UNKNOWN:
        return None
    if wanted == actual:
        return 1.0
    for group, nearness in _GROUPS:
        if wanted in group and actual in group:
            return nearness
    return -1.0


def material_agreement(wanted: str, actual: str) -> float | None:
    if not wanted or not actual or actual in UNKNOWN:
        return None
    if wanted == actual:
        return 1.0
    return _COMPATIBLE_MATERIALS.get(frozenset({wanted, actual}), -1.0)


@functools.lru_cache(maxsize=4096)
def _volume_reign(volume: str, authority: str) -> tuple[int, int] | None:
    bounds = VOLUME_YEARS.get(volume)
    if bounds is None:
        return None
    start, end = reign(authority)
    if start is None or end is None or start > bounds[1] or end < bounds[0]:
        return bounds
    return max(bounds[0], start), min(bounds[1], end)


def type_years(record: TypeRecord) -> tuple[int, int] | None:
    """CRRO's own years; for OCRE the years of the volume within the authority's reign."""
    if record.year_start is not None and record.year_end is not None:
        return record.year_start, record.year_end
    return _volume_reign(record.volume, record.authority)


@dataclass
class Agreement:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        parts = list(self.reasons)
        if self.conflicts:
            parts.append("but " + ", ".join(self.conflicts))
        return "; ".join(parts)


class Scorer:
    """Scores types against one context. What depends on the context alone (its legends as letters,
    the issuer's sections and names) is worked out once, so scoring thousands of types stays quick;
    `score()` gives the number, `explain()` the number with its reasons."""

    def __init__(self, table: TypeTable, context: TypeContext) -> None:
        self.table = table
        self.context = context
        self.issuer = context.issuer
        self.issuer_sections = table.issuer_sections(context.issuer) if context.issuer else frozenset()
        self.served = set(LATE_AUTHORITIES.get(context.issuer, ())) if context.issuer else set()
        self.issuer_unknown = bool(context.issuer) and not self.issuer_sections and not self.served
        self.names = _name_runs(context.issuer, context.issuer_name)
        self.obverse = legends.letters(context.obverse_legend)
        self.reverse = legends.letters(context.reverse_legend)
        self.other = (
            "".join(legends.letters(run) for run in context.other_legends)
            if not (self.obverse or self.reverse)
            else ""
        )
        self._named: dict[tuple, float] = {}
        # Many types share a legend: each is compared once per context.
        self._side_cache: dict[tuple[str, str], float] = {}
        self._other_cache: dict[str, float] = {}

    def score(self, record: TypeRecord) -> float:
        return self._evaluate(record, None)

    def explain(self, record: TypeRecord) -> Agreement:
        out = Agreement()
        out.score = self._evaluate(record, out)
        return out

    # --- features -----------------------------------------------------------------------------------

    def named(self, record: TypeRecord, besides: str = "") -> float:
        """The share of the issuer's distinctive name words (4+ letters) found in the type's legends,
        allowing the legend's abbreviation ("PAPI" for Papius) and another case of the name ("CASSIVS"
        for the gens Cassia). With `besides`, words of that issuer's names do not count: a family
        member is recognised by a name the reigning emperor does not share."""
        runs = self.names
        if besides:
            others = _name_runs(besides, "")
            runs = tuple(run for run in runs if run not in others)
        if not runs:
            return 0.0
        key = (record.obverse_legend, record.reverse_legend, runs)
        value = self._named.get(key)
        if value is None:
            words = _legend_words(record.obverse_legend, record.reverse_legend)
            hits = sum(1 for run in runs if any(_same_name(run, word) for word in words))
            # One name found says much, two say it all ("L. Censorinus, P. Crepusius and C. Limetanus":
            # CENSORIN and CREPVS both on 360/1, one on C. Censorinus' 346/1).
            value = self._named[key] = min(1.0, hits / min(2, len(runs)))
        return value

    def issuer_agrees(self, record: TypeRecord) -> float | None:
        """1 when the type is the issuer's: in the section named for them, or (numbered in another's
        section as family, FAMILY; in RIC VI-IX under an authority they served) with their name in the
        legend; 0.5 for such a type without their name, or in a section where they are only the
        authority (Caracalla's coins as Caesar under Severus); -1 for someone else's type; None when
        unknown or not applicable (CRRO, an issuer the table does not know)."""
        if not self.issuer or record.corpus == "crro" or self.issuer_unknown:
            return None
        if record.volume in MINT_VOLUMES:
            if record.authority == self.issuer:
                return 1.0
            if record.authority in self.served:
                return 0.9 if self.named(record, besides=record.authority) else 0.5
            return -1.0
        key = (record.volume, record.section)
        if key not in self.issuer_sections:
            return -1.0
        owner = self.table.section_owner(*key)
        if owner == self.issuer:
            return 1.0
        named = self.named(record, besides=owner)
        if self.issuer in DIVI.get(key, ()) and self.issuer not in FAMILY.get(key, ()):
            # A deified predecessor: only a consecration legend, which opens with DIVVS, DIVO or DIVA
            # (not Hadrian's "IMP CAES DIVI TRAIAN F", son of the deified Trajan), makes it theirs.
            opening = legends.words(record.obverse_legend)[:1]
            deified = bool(opening) and opening[0].startswith("DIV")
            return 1.0 if named and deified else 0.3
        return 1.0 if named else 0.3

    def _evaluate(self, record: TypeRecord, out: Agreement | None) -> float:
        context = self.context
        score = 0.0
        issuer = self.issuer_agrees(record)
        if issuer is not None:
            if issuer > 0:
                score += W_ISSUER * issuer
                if out is not None:
                    owner = self.table.section_owner(record.volume, record.section)
                    name = _authority_name(record)
                    # Julia Domna's coins in Severus' section, Divus Trajan's in Hadrian's: say whose.
                    if record.volume in MINT_VOLUMES and record.authority != self.issuer:
                        # OCRE's authority in RIC VI-IX is often another ruler than the coin's
                        # (Constantine's folles of Rome in RIC VII are under Licinius): say which.
                        out.reasons.append(f"struck under the authority of {name}")
                    else:
                        out.reasons.append(
                            name if not owner or owner == self.issuer else f"numbered under {name}"
                        )
            else:
                score -= W_ISSUER * 0.5
                if out is not None:
                    out.conflicts.append(f"issued under {_authority_name(record)}")
        # A name in the legend tells most where nothing else names the issuer (a Republican moneyer);
        # for a known issuer, issuer_agrees() has used it already.
        named = self.named(record) if not self.issuer or issuer is None else 0.0
        if named:
            score += W_NAME * named
            if out is not None:
                out.reasons.append("the name is in the legend")
        value = denomination_agreement(context.denomination, record.denomination)
        if value is not None:
            score += W_DENOMINATION * value
            if out is not None:
                (out.reasons if value > 0 else out.conflicts).append(record.denomination.replace("_", " "))
        value = material_agreement(context.material, record.material)
        if value is not None:
            score += W_MATERIAL * value
            if out is not None:
                (out.reasons if value > 0 else out.conflicts).append(
                    _MATERIAL_NAMES.get(record.material, record.material)
                )
        if context.mint and record.mint not in UNKNOWN:
            if context.mint == record.mint:
                score += W_MINT
                if out is not None:
                    out.reasons.append(f"struck at {_pretty(record.mint)}")
            else:
                score -= W_MINT * 0.5
                if out is not None:
                    out.conflicts.append(f"struck at {_pretty(record.mint)}")
        score += self._years(record, out)
        return score + self._legends(record, out)

    def _years(self, record: TypeRecord, out: Agreement | None) -> float:
        context = self.context
        years = type_years(record) if context.year_start is not None else None
        if years is None:
            return 0.0
        start, end = years
        coin_end = context.year_end if context.year_end is not None else context.year_start
        # OCRE's dates are the reign's (coarse): a match weighs less than CRRO's own years.
        exact = record.year_start is not None
        slack = 0 if exact else 3
        if context.year_start <= end + slack and start - slack <= coin_end:
            if out is not None and exact:
                out.reasons.append("the years")
            return W_YEARS * (1.0 if exact else 0.5)
        gap = min(abs(context.year_start - end), abs(start - coin_end))
        if out is not None and gap > 5:
            out.conflicts.append(f"of {format_year_range(start, end)}")
        return -W_YEARS * min(1.0, gap / 10)

    def _legends(self, record: TypeRecord, out: Agreement | None) -> float:
        """Legend agreement, side by side; the sides crossed when that agrees better (a cataloguer who
        put the moneyer's name on the other side), and a side the description does not give looked
        for in the text's other capitals. Short legends ("S C", "ROMA", "X") say little and weigh
        little."""
        type_sides = (legends.letters(record.obverse_legend), legends.letters(record.reverse_legend))
        query_sides = (self.obverse, self.reverse)
        values = [0.0, 0.0]
        if self.obverse or self.reverse:
            straight = [self._side(q, t) for q, t in zip(query_sides, type_sides, strict=True)]
            # Crossed: the coin's obverse against the type's reverse and the other way round, kept in
            # the type's side order.
            crossed = [
                self._side(query_sides[1], type_sides[0]) * 0.85,
                self._side(query_sides[0], type_sides[1]) * 0.85,
            ]
            values = crossed if sum(crossed) > sum(straight) else straight
        if self.other:
            for index, (query, run) in enumerate(zip(query_sides, type_sides, strict=True)):
                if not query and run:
                    found = self._other_cache.get(run)
                    if found is None:
                        found = self._other_cache[run] = legends.containment(run, self.other)
                    values[index] = max(values[index], 0.8 * found)
        score = 0.0
        for side, value, run, legend, query in zip(
            ("obverse", "reverse"),
            values,
            type_sides,
            (record.obverse_legend, record.reverse_legend),
            query_sides,
            strict=True,
        ):
            if not run:
                continue
            weight = min(1.0, len(run) / 6)
            score += W_LEGEND * value * weight
            if out is not None:
                if value >= 0.9:
                    out.reasons.append(f"{side} legend {legend}")
                elif value >= 0.6:
                    out.reasons.append(f"{side} legend close to {legend}")
                elif query and value < 0.3:
                    out.conflicts.append(f"{side} legend {legend}")
        return score

    def _side(self, query: str, run: str) -> float:
        if not query or not run:
            return 0.0
        value = self._side_cache.get((query, run))
        if value is None:
            value = self._side_cache[(query, run)] = _legend_agreement(query, run)
        return value


def agreement(table: TypeTable, record: TypeRecord, context: TypeContext) -> Agreement:
    """Score one type against a coin's context, with reasons (Scorer does many at once)."""
    return Scorer(table, context).explain(record)


def legend_agreement(query: str, legend: str) -> float:
    """How well a coin's legend (query) and a type's legend agree, 0 to 1."""
    return _legend_agreement(legends.letters(query), legends.letters(legend))


def _legend_agreement(q: str, t: str) -> float:
    """Containment of the type's legend in the coin's, trigram similarity, and a share for being
    exactly the same: "TR P XVIII" contains "TR P XVII", which is another year and another type."""
    if not q or not t:
        return 0.0
    return 0.4 * legends.containment(t, q) + 0.4 * legends.similarity(q, t) + (0.2 if q == t else 0.0)


@functools.lru_cache(maxsize=8192)
def _name_runs(issuer: str, issuer_name: str) -> tuple[str, ...]:
    """Distinctive words of an issuer's names as legend letters ("Julia Domna" -> IVLIA, DOMNA)."""
    # The vocabulary's spellings when the issuer is known; else the name as written (a Republican
    # moneyer: "L. Papius" -> PAPIVS, found as L·PAPI).
    names = list(issuer_names().get(issuer, ())) if issuer else [issuer_name]
    runs = set()
    for name in names:
        for word in legends.words(name.upper()):
            if len(word) >= 4 and word not in _COMMON_NAME_WORDS:
                runs.add(word)
    return tuple(sorted(runs))


# Words in emperors' names that are in nearly every legend, or words of a heading that are no name.
_COMMON_NAME_WORDS = {
    "AVGVSTVS", "AVGVSTA", "CAESAR", "DIVVS", "DIVA", "IMPERATOR", "PIVS", "FELIX", "MAGNVS", "ROMAN",
    "EMPIRE", "REPVBLIC", "REPVBLICAN", "IMPERATORIAL", "ANONYMOVS", "EMPEROR", "EMPRESS", "MINT",
    "ROME", "ROMA", "ROMANO", "IMPERO", "REPVBBLICA", "ROMISCHE", "KAISERZEIT", "REPVBLIK", "SILVER",
    "GOLD", "BRONZE", "DENARIVS", "AVREVS", "SESTERTIVS", "ANONIMO", "DENARIO", "DENAR", "GENS",
    "IMPERATORS", "MILITARY", "TRAVELING", "TRAVELLING", "MOVING",
}  # fmt: skip


@functools.lru_cache(maxsize=32768)
def _legend_words(obverse: str, reverse: str) -> tuple[str, ...]:
    """A type's legend words of 4 letters or more."""
    return tuple(dict.fromkeys(w for w in legends.words(obverse) + legends.words(reverse) if len(w) >= 4))


def _same_name(run: str, word: str) -> bool:
    """A name and a legend word alike: sharing a start of 4 letters or more that leaves at most two
    letters of the shorter ("PAPIVS"/"PAPI", "CASSIA"/"CASSIVS", "CRISPVS"/"CRISPVS")."""
    common = 0
    for a, b in zip(run, word, strict=False):
        if a != b:
            break
        common += 1
    return common >= 4 and common >= min(len(run), len(word)) - 2


_MATERIAL_NAMES = {"av": "gold", "ar": "silver", "ae": "bronze", "billon": "billon"}


def _pretty(nomisma_id: str) -> str:
    return nomisma_id.replace("_", " ").title()


def _authority_name(record: TypeRecord) -> str:
    if record.volume in MINT_VOLUMES or not record.section_name:
        return _pretty(record.authority)
    return record.section_name
