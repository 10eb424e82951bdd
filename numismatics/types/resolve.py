"""A RIC or Crawford citation resolved to the one type it denotes in the real table, or a reason.

Nothing is built from the citation's text and hoped for: the type must exist in the table. The
citation gives the volume and edition (sections.volume_keys), the number and subtype letters; the
section comes from the citation itself ("RIC VI Londinium 100", "RIC IV Caracalla 254") or from the
coin (its mint for RIC VI-IX, its issuer for RIC I-V). When several types remain (OCRE splits RIC II
Hadrian 123 into an aureus and a denarius; "RIC 295" without a volume or an emperor), the coin's
description chooses, and only when one type clearly agrees better; otherwise the answer is
"ambiguous", with the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from numismatics.references import Citation

from .context import TypeContext, lookup
from .records import VOLUME_NAMES, TypeRecord, table_twins
from .scoring import Scorer
from .sections import CONTINUOUS_VOLUMES, LATE_AUTHORITIES, MINT_VOLUMES, volume_keys
from .spellings import find_mints
from .table import TypeTable, type_table

RESOLVED = "resolved"
NO_SUCH_TYPE = "no_such_type"
AMBIGUOUS = "ambiguous"
NOT_IN_TABLE = "not_in_table"  # a volume or edition the shipped tables do not have
NOT_A_TYPE = "not_a_type"  # not a RIC or Crawford citation, or "RIC –" (not in RIC)
TYPE_SYSTEMS = ("RIC", "Crawford")
# How much better the best candidate must agree with the description than the next to be chosen.
CLEAR_MARGIN = 1.0


@dataclass(frozen=True)
class Resolution:
    citation: Citation
    status: str
    record: TypeRecord | None = None
    candidates: tuple[TypeRecord, ...] = ()
    message: str = ""  # why nothing was linked, in words
    note: str = ""  # how a link was chosen, when it was not the plain reading

    @property
    def uri(self) -> str | None:
        return self.record.uri if self.record else None

    @property
    def is_cf(self) -> bool:
        return self.citation.is_cf

    @property
    def text(self) -> str:
        return citation_text(self.citation)


def citation_text(citation: Citation) -> str:
    return citation.display() if citation.system else citation.raw


def is_type_citation(citation: Citation) -> bool:
    """RIC and Crawford citations name types of OCRE and CRRO; other catalogues have no table here."""
    return citation.system in TYPE_SYSTEMS


def resolve(
    citation: Citation, context: TypeContext | None = None, table: TypeTable | None = None
) -> Resolution:
    """The type a citation denotes, given what is known of the coin."""
    context = context or TypeContext()
    table = table or type_table()
    if citation.system == "Crawford":
        return _crawford(citation, context, table)
    if citation.system == "RIC":
        return _ric(citation, context, table)
    return Resolution(
        citation, NOT_A_TYPE, message=f"{citation_text(citation)}: not a RIC or Crawford citation"
    )


# --- Crawford ----------------------------------------------------------------------------------------


def _crawford(citation: Citation, context: TypeContext, table: TypeTable) -> Resolution:
    text = citation_text(citation)
    number, letters = citation.number, _letters(citation)
    if number in {"-", "–", "—"}:
        return Resolution(citation, NOT_A_TYPE, message=f"{text}: the cataloguer says it is not in Crawford")
    if "/" not in number:
        candidates = [
            r for r in table.records_by_prefix("", "", number) if r.catalogue_number.split("/")[0] == number
        ]
        return _choose(
            citation,
            candidates,
            context,
            table,
            missing=f"{text}: no such type in CRRO",
            vague=f"{text}: CRRO numbers types as issue/type ({number}/1, {number}/2 ...); the description "
            "does not say which",
        )
    exact = table.numbered("", "", number + letters)
    if exact:
        return _choose(citation, exact, context, table, missing="", vague="")
    if letters:
        base = table.numbered("", "", number)
        if base:
            note = f"CRRO does not split {number} by the letter {letters}"
            return _choose(citation, base, context, table, missing="", vague="", note=note)
    digits = number.split("/")[0]
    children = [
        r
        for r in table.records_by_prefix("", "", digits)
        if re.fullmatch(re.escape(number) + r"[a-z]+", r.catalogue_number, re.IGNORECASE)
    ]
    return _choose(
        citation,
        children,
        context,
        table,
        missing=f"{text}: no such type in CRRO",
        vague=f"{text}: CRRO distinguishes " + _listing(children) + f"; {_decider(children)} decides",
    )


# --- RIC ---------------------------------------------------------------------------------------------


def _ric(citation: Citation, context: TypeContext, table: TypeTable) -> Resolution:
    text = citation_text(citation)
    if not citation.number:
        return Resolution(citation, NOT_A_TYPE, message=f"{text}: no number")
    if citation.number in {"-", "–", "—"}:
        return Resolution(citation, NOT_A_TYPE, message=f"{text}: the cataloguer says it is not in RIC")
    if _ALTERNATIVES_RE.fullmatch(citation.number):
        return _either(citation, context, table)
    volumes, problem = volume_keys(citation)
    if problem:
        return Resolution(citation, NOT_IN_TABLE, message=f"{text}: {problem}")
    letters = _letters(citation)
    named_section = _named_section(citation)
    issuer = named_section or context.issuer
    # An issuer with sections in one of the volumes confines the search to them; one with none
    # (a Greek king, a misread name) says nothing, and every section of the volume is searched.
    issuer_sections = [key for key in table.issuer_sections(issuer) if key[0] in volumes] if issuer else []
    searched: list[str] = []
    candidates: list[TypeRecord] = []
    loosened: list[TypeRecord] = []
    for volume in volumes:
        sections, how = _sections(citation, volume, context, table, issuer_sections, bool(named_section))
        if how:
            searched.append(how)
        found, loose = _numbered(table, volume, sections, citation.number, letters)
        candidates.extend(found)
        loosened.extend(loose)
    note = ""
    if not candidates and loosened:
        candidates = loosened
        note = f"OCRE does not split {citation.number} by the letter {letters}"
    if not candidates and context.issuer and not named_section:
        # The issuer's sections hold nothing with that number: the issuer may be numbered under
        # someone else's reign in a way FAMILY does not know. Look through the whole volume.
        for volume in volumes:
            if volume in MINT_VOLUMES:
                continue
            found, _ = _numbered(table, volume, table.sections(volume), citation.number, letters)
            candidates.extend(found)
        if candidates:
            note = "found outside the issuer's own sections"
    where = f" (looked in {', '.join(searched)})" if searched else ""
    return _choose(
        citation,
        candidates,
        context,
        table,
        missing=f"{text}: no such type in OCRE{where}",
        vague=f"{text}: OCRE has " + _listing(candidates) + f"; {_decider(candidates)} decides",
        note=note,
    )


# "RIC VI Londinium 85/90": a cataloguer who cannot tell two numbers apart writes both.
_ALTERNATIVES_RE = re.compile(r"\d+[A-Za-z]*(?:/\d+[A-Za-z]*)+")


def _either(citation: Citation, context: TypeContext, table: TypeTable) -> Resolution:
    """A citation of two or more numbers resolved as one of them: each is looked up on its own, and
    the types found are chosen among as OCRE's splits of one number are (the description decides, or
    types the table cannot tell apart link the first)."""
    numbers = citation.number.split("/")
    found: list[TypeRecord] = []
    for number in numbers:
        alone = _ric(
            replace(citation, number=number, variant=citation.variant if number == numbers[-1] else ""),
            context,
            table,
        )
        found.extend(alone.candidates or ((alone.record,) if alone.record else ()))
    text = citation_text(citation)
    return _choose(
        citation,
        list(dict.fromkeys(found)),
        context,
        table,
        missing=f"{text}: none of {', '.join(numbers)} is a type in OCRE",
        vague=f"{text}: OCRE has " + _listing(found) + f"; {_decider(found)} decides",
        note=f"the citation names {' or '.join(numbers)}",
    )


def _corpus(citation: Citation) -> str:
    return "CRRO" if citation.system == "Crawford" else "OCRE"


def describe(record: TypeRecord) -> str:
    """A type in a list of candidates: "RIC II 347 (Trajan, aureus)", "RIC VI Londinium 100"."""
    details = [] if record.volume in MINT_VOLUMES or record.corpus == "crro" else [record.section_name]
    details.append(record.denomination.replace("_", " "))
    return f"{record.citation} ({', '.join(d for d in details if d)})"


def _listing(candidates: list[TypeRecord], limit: int = 6) -> str:
    mints = sorted({r.section_name for r in candidates if r.volume in MINT_VOLUMES})
    if len(candidates) > limit and len(mints) > 1 and all(r.volume in MINT_VOLUMES for r in candidates):
        number = re.sub(r"[A-Za-z]+$", "", candidates[0].catalogue_number)
        return f"{number} at {len(mints)} mints ({', '.join(mints)})"
    shown = ", ".join(describe(r) for r in candidates[:limit])
    return shown + (f" and {len(candidates) - limit} more" if len(candidates) > limit else "")


def _decider(candidates: list[TypeRecord]) -> str:
    """What tells the candidates apart, in words."""
    if len({(r.volume, r.section) for r in candidates}) > 1:
        return "the coin's mint" if all(r.volume in MINT_VOLUMES for r in candidates) else "the coin's issuer"
    if len({r.denomination for r in candidates}) > 1:
        return "the denomination"
    if len({(r.year_start, r.year_end) for r in candidates}) > 1:
        return "the date"
    return "the legends or the subtype letter"


def _letters(citation: Citation) -> str:
    return citation.variant.replace("var", "").strip(" .")


_SECTION_NAME_RE = re.compile(
    r"^RIC\s+[IVX]+(?:[./]\d)?[²³⁴]?\s+(?P<name>[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|I{1,3}|IV))*)\s+\d"
)


def _named_section(citation: Citation) -> str:
    """An emperor named inside a citation of RIC I-V: "RIC IV Caracalla 254" -> "caracalla"."""
    if citation.mint:
        return ""
    match = _SECTION_NAME_RE.match(citation.raw or "")
    return lookup("issuers", match.group("name")) if match else ""


def _sections(
    citation: Citation,
    volume: str,
    context: TypeContext,
    table: TypeTable,
    issuer_sections: list[tuple[str, str]],
    named: bool,
) -> tuple[list[str], str]:
    """The sections of a volume the citation may be numbered in, and how they were chosen (words)."""
    all_sections = table.sections(volume)
    if volume in CONTINUOUS_VOLUMES and citation.volume:
        return all_sections, ""  # "RIC X 2001": the number alone names the type
    if volume in MINT_VOLUMES:
        mints = _citation_mints(citation) or ([context.mint] if context.mint else list(context.mint_mentions))
        chosen = (
            [s for mint in mints for s in table.sections_of_mint(volume, mint)] if mints else all_sections
        )
        if context.issuer and not citation.volume:
            # "RIC 295" for a Trajan: the mint volumes hold none of his coins.
            served = {context.issuer, *LATE_AUTHORITIES.get(context.issuer, ())}
            chosen = [s for s in chosen if served & set(table.section_authorities[(volume, s)])]
        if mints and chosen:
            names = sorted({table.section_names.get((volume, s), s) for s in chosen})
            return chosen, f"RIC {VOLUME_NAMES.get(volume, volume)} " + " and ".join(names)
        return chosen, ""
    if issuer_sections or named:
        chosen = [section for (v, section) in issuer_sections if v == volume]
        if not chosen:
            return [], ""
        names = sorted({table.section_names.get((volume, s), s) for s in chosen})
        return chosen, f"RIC {VOLUME_NAMES.get(volume, volume)} " + " and ".join(names)
    return all_sections, ""


def _citation_mints(citation: Citation) -> list[str]:
    """The mint a citation of RIC VI-IX names ("RIC VI Londinium 100", "RIC VII Trier 559")."""
    if not citation.mint:
        return []
    mint = lookup("mints", citation.mint)
    return [mint] if mint else find_mints(citation.mint)


def _numbered(
    table: TypeTable, volume: str, sections: list[str], number: str, letters: str
) -> tuple[list[TypeRecord], list[TypeRecord]]:
    """(types numbered exactly so, types found only by dropping the subtype letters)."""
    found: list[TypeRecord] = []
    loose: list[TypeRecord] = []
    for section in sections:
        records = table.numbered(volume, section, number + letters)
        if not records and number.isdigit():
            # "RIC I 105" where OCRE has only 105A and 105B; "RIC II 123" (Hadrian): 123_denarius ...;
            # "RIC III 500b" where OCRE has 500Ba and 500Bb.
            prefix = (number + letters).casefold()
            records = [
                r
                for r in table.with_digits(volume, section, number)
                if r.catalogue_number.casefold().startswith(prefix)
            ]
        if records:
            found.extend(records)
        elif letters:
            loose.extend(table.numbered(volume, section, number))
    return _main_types(found, number + letters), _main_types(loose, number)


def _main_types(records: list[TypeRecord], written: str) -> list[TypeRecord]:
    """Leave out OCRE's finer subtypes when their main type is there; prefer the letter case as
    written when OCRE has both ("109a" and "109A" are two types of Antoninus Pius)."""
    main = [r for r in records if not r.is_subtype] or records
    exact = [r for r in main if r.catalogue_number == written]
    if exact and len({r.catalogue_number.casefold() for r in main}) < len({r.catalogue_number for r in main}):
        return exact
    return main


# --- choosing ----------------------------------------------------------------------------------------


def _choose(
    citation: Citation,
    candidates: list[TypeRecord],
    context: TypeContext,
    table: TypeTable,
    *,
    missing: str,
    vague: str,
    note: str = "",
) -> Resolution:
    if not candidates:
        return Resolution(
            citation, NO_SUCH_TYPE, message=missing or f"{citation_text(citation)}: no such type"
        )
    if len(candidates) == 1:
        return Resolution(citation, RESOLVED, record=candidates[0], candidates=tuple(candidates), note=note)
    scorer = Scorer(table, context)
    scored = sorted(
        ((scorer.score(record), index, record) for index, record in enumerate(candidates)),
        key=lambda item: (-item[0], item[1]),
    )
    best, second = scored[0], scored[1]
    close = [record for score, _, record in scored if best[0] - score < CLEAR_MARGIN]
    if len(close) > 1 and all(table_twins(close[0], other) for other in close[1:]):
        # OCRE splits one catalogue number into types the table cannot tell apart (RIC IV 270A-D):
        # the citation denotes them all; link the first, and say so.
        first = min(close, key=lambda r: r.identifier)
        names = ", ".join(r.catalogue_number for r in sorted(close, key=lambda r: r.identifier))
        return Resolution(
            citation,
            RESOLVED,
            record=first,
            candidates=tuple(r for _, _, r in scored),
            note="; ".join(
                p
                for p in (
                    note,
                    f"{_corpus(citation)} splits it into {names}, alike in the table: linked to the first",
                )
                if p
            ),
        )
    if best[0] - second[0] >= CLEAR_MARGIN:
        how = f"chosen among {len(candidates)} by the description"
        return Resolution(
            citation,
            RESOLVED,
            record=best[2],
            candidates=tuple(r for _, _, r in scored),
            note="; ".join(part for part in (note, how) if part),
        )
    if vague and len(close) < len(candidates):
        # Name only the candidates the description leaves standing.
        head = vague.split(": ", 1)[0]
        vague = f"{head}: {_corpus(citation)} has {_listing(close)}; {_decider(close)} decides"
    return Resolution(
        citation,
        AMBIGUOUS,
        candidates=tuple(r for _, _, r in scored),
        message=vague
        or f"{citation_text(citation)}: several types match; the description does not say which",
    )
