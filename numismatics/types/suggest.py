"""Types suggested for a coin without a resolvable citation, best first, each with its reason.

Candidates come from what the description names: every type of the issuer's sections (RIC I-V, X)
or struck under the authorities they served (RIC VI-IX), and the types whose legends share the most
letter trigrams with the coin's (an inverted index, rare trigrams weighing most); with neither, the
types of the coin's denomination, metal and mint. Each candidate is scored by `scoring.agreement`;
the score shown is that agreement over the most the known features could give, 0 to 1.

The index is built once per process (`suggester()`, about a second and some 20 MB on top of the
table); a suggestion then takes a few tens of milliseconds.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import legends
from .context import TypeContext, context_from_text
from .placement import nearness, placed_years
from .records import TypeRecord, table_twins
from .scoring import (
    W_DENOMINATION,
    W_ISSUER,
    W_LEGEND,
    W_MATERIAL,
    W_MINT,
    W_NAME,
    W_YEARS,
    Scorer,
    type_years,
)
from .sections import MINT_VOLUMES
from .table import TypeTable, type_table

# Legends that share fewer trigrams than this with the coin's are not worth scoring.
LEGEND_CANDIDATES = 300
# A trigram in more legends than this says too little to look up ("AVG", "IMP").
COMMON_TRIGRAM = 1500
# At most this many types found by their legends are scored.
LEGEND_RECORDS = 1000
# Legends of this many letters or more are enough to find candidates by (see candidates()).
LEGEND_ENOUGH = 10
# Types of the coin's denomination, metal, mint and time are scored too, up to this many.
KIND_CANDIDATES = 2500
# What a type's place in RIC VI-X's order (placement.py) adds when it dates the type to the coin's
# years: less than any feature the table states, so it orders types alike in everything else.
W_PLACE = 1.0


@dataclass(frozen=True)
class Suggestion:
    record: TypeRecord
    score: float  # 0 to 1
    why: str

    @property
    def uri(self) -> str:
        return self.record.uri

    def as_json(self) -> dict:
        return {"uri": self.record.uri, "label": self.record.label, "score": self.score, "why": self.why}


class Suggester:
    """The table's main types (not OCRE's finer subtypes) with a trigram index of their legends."""

    def __init__(self, table: TypeTable) -> None:
        self.table = table
        self.records = [r for r in table.records if not r.is_subtype]
        legend_ids: dict[str, int] = {}
        self._legend_records: list[list[int]] = []
        self._record_legends: list[tuple[int, int]] = []  # (obverse legend id, reverse legend id), -1 none
        self._by_section: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._by_authority: dict[tuple[str, str], list[int]] = defaultdict(list)  # (volume, authority)
        self._by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)  # (denomination, material)
        for index, record in enumerate(self.records):
            self._by_section[(record.volume, record.section)].append(index)
            if record.volume in MINT_VOLUMES:
                self._by_authority[(record.volume, record.authority)].append(index)
            self._by_kind[(record.known("denomination"), record.known("material"))].append(index)
            sides = []
            for legend in (record.obverse_legend, record.reverse_legend):
                run = legends.letters(legend)
                if not run:
                    sides.append(-1)
                    continue
                legend_id = legend_ids.setdefault(run, len(legend_ids))
                if legend_id == len(self._legend_records):
                    self._legend_records.append([])
                self._legend_records[legend_id].append(index)
                sides.append(legend_id)
            self._record_legends.append((sides[0], sides[1]))
        self._years = [type_years(record) for record in self.records]
        self._placed = placed_years(self.records)
        # Types alike in everything scoring looks at share a profile, scored once per question (the
        # sixty Trajan denarii with S P Q R OPTIMO PRINCIPI are one).
        profile_ids: dict[tuple, int] = {}
        self._profile_of: list[int] = []
        self._profiles: list[TypeRecord] = []
        for record in self.records:
            key = (
                record.volume, record.section, record.authority, record.denomination, record.material,
                record.mint, record.obverse_legend, record.reverse_legend, record.year_start, record.year_end,
            )  # fmt: skip
            profile = profile_ids.get(key)
            if profile is None:
                profile = profile_ids[key] = len(self._profiles)
                self._profiles.append(record)
            self._profile_of.append(profile)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for run, legend_id in legend_ids.items():
            for gram in legends.trigrams(run):
                self._postings[gram].append(legend_id)
        self._legends = len(legend_ids)

    # --- candidates ---------------------------------------------------------------------------------

    def _issuer_candidates(self, issuer: str) -> set[int]:
        """The issuer's own types: their sections of RIC I-V and X (family's included), and in RIC
        VI-IX the types under their own authority. (Types under a colleague's authority come in
        through their legends, which name the issuer.)"""
        out: set[int] = set()
        for key in self.table.issuer_sections(issuer):
            if key[0] not in MINT_VOLUMES:
                out.update(self._by_section.get(key, ()))
        for volume in MINT_VOLUMES:
            out.update(self._by_authority.get((volume, issuer), ()))
        return out

    def _legend_candidates(self, runs: list[str]) -> set[int]:
        weights: Counter = Counter()
        for run in runs:
            for gram in legends.trigrams(run):
                posting = self._postings.get(gram)
                if not posting or len(posting) > COMMON_TRIGRAM:
                    continue
                weight = math.log(self._legends / len(posting))
                for legend_id in posting:
                    weights[legend_id] += weight
        out: set[int] = set()
        best = weights.most_common(LEGEND_CANDIDATES)
        floor = best[0][1] * 0.3 if best else 0.0
        for legend_id, weight in best:
            if weight < floor:
                break
            out.update(self._legend_records[legend_id])
        if len(out) > LEGEND_RECORDS:
            # Keep the types whose two legends together share the most with the coin's.
            pairs = self._record_legends
            out = set(
                sorted(out, key=lambda i: -(weights.get(pairs[i][0], 0.0) + weights.get(pairs[i][1], 0.0)))[
                    :LEGEND_RECORDS
                ]
            )
        return out

    def _kind_candidates(self, context: TypeContext) -> set[int]:
        out: set[int] = set()
        for (denomination, material), indexes in self._by_kind.items():
            if context.denomination and denomination != context.denomination:
                continue
            if context.material and material and material != context.material:
                continue
            out.update(indexes)
        if context.mint:
            out = {i for i in out if self.records[i].mint == context.mint}
        return out

    def candidates(self, context: TypeContext) -> set[int]:
        found: set[int] = set()
        runs = [
            legends.letters(text)
            for text in (context.obverse_legend, context.reverse_legend, *context.other_legends)
            if text
        ]
        if runs:
            found |= self._legend_candidates(runs)
        # The issuer's every type only when the legends say too little to find the coin by them: a
        # type whose legends share nothing rare with the coin's cannot rank among the first five.
        if context.issuer and (not found or sum(len(run) for run in runs) < LEGEND_ENOUGH):
            found |= self._issuer_candidates(context.issuer)
        if (context.denomination or context.material or context.mint) and not (
            context.issuer and self.table.issuer_sections(context.issuer)
        ):
            kind = self._kind_candidates(context)
            if context.year_start is not None:
                # Of the coin's denomination and metal, those of its time (a Republican denarius of
                # 61 BC with no issuer the table knows).
                end = context.year_end if context.year_end is not None else context.year_start
                years = self._years
                kind = {
                    i
                    for i in kind
                    if years[i] is not None
                    and years[i][0] - 3 <= end
                    and context.year_start <= years[i][1] + 3
                }
            if len(kind) <= KIND_CANDIDATES or not found:
                found |= kind
        return found

    # --- ranking ------------------------------------------------------------------------------------

    def suggest(self, context: TypeContext, limit: int = 5) -> list[Suggestion]:
        """The `limit` types that agree best with the context (none when it says nothing)."""
        if context.is_empty:
            return []
        ceiling = _ceiling(context)
        scorer = Scorer(self.table, context)
        records = self.records
        profile_scores: dict[int, float] = {}
        scored = []
        placed, start, end = self._placed, context.year_start, context.year_end
        for index in self.candidates(context):
            profile = self._profile_of[index]
            value = profile_scores.get(profile)
            if value is None:
                value = profile_scores[profile] = scorer.score(self._profiles[profile])
            if start is not None:
                value += W_PLACE * nearness(placed[index], start, end)
            scored.append((-value, index))
        scored.sort()
        out = []
        for negative, index in scored[:limit]:
            result = scorer.explain(records[index])
            if start is not None and nearness(placed[index], start, end) >= 0.5:
                result.reasons.append(f"numbered among the types of about AD {round(placed[index])}")
            if out and table_twins(out[0].record, records[index]):
                # The curator should know that nothing in the table prefers the first to this one.
                result.reasons.append(f"alike in the table to {out[0].record.citation}")
            out.append(
                Suggestion(
                    record=records[index],
                    score=round(max(0.0, min(1.0, -negative / ceiling)), 3),
                    why=result.why or "the nearest types the description allows",
                )
            )
        return out


def _ceiling(context: TypeContext) -> float:
    """The most a type could score on what the context states."""
    total = 0.0
    if context.issuer:
        total += W_ISSUER
    if context.issuer or context.issuer_name:
        total += W_NAME
    total += W_DENOMINATION if context.denomination else 0.0
    total += W_MATERIAL if context.material else 0.0
    total += W_MINT if context.mint else 0.0
    total += W_YEARS + W_PLACE if context.year_start is not None else 0.0
    sides = sum(1 for text in (context.obverse_legend, context.reverse_legend) if text)
    if not sides and context.other_legends:
        sides = 1.6
    total += W_LEGEND * sides
    return total or 1.0


@functools.cache
def suggester() -> Suggester:
    """The suggestion index over the shipped tables, built once per process (and warmed: the name
    lookups and caches a first question would otherwise fill are filled here)."""
    engine = Suggester(type_table())
    engine.suggest(
        context_from_text("Augustus. AR Denarius. Lugdunum. CAESAR AVGVSTVS DIVI F / C L CAESARES.")
    )
    return engine
