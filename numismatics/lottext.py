"""A lot's text cut into its parts: the coin's description, its provenance lines, and commentary.

Houses print a lot as a description (heading, measurements, obverse / reverse, citations, grade),
then provenance lines ("Ex Triton XV (3-4 January 2012), 1472.", "Exemplar der Sammlung Topp."),
then often an essay. The parts are told apart by what they look like, in any of five languages:
- a line "looks like a coin" by its features: a weight or a diameter, a metal abbreviation, a
  denomination, a catalogue citation, an obverse/reverse separator, an era, a grade word
  (coin_score);
- a provenance line opens with "Ex", "From the ... Collection", "Provenance:", "Provenienz",
  "Exemplar der", "Ex collezione", "Procedencia" ... (is_provenance);
- commentary is prose that follows the description without those features.
The page reader (lotpage.py) uses the same scores to find the description among page furniture, and
parse_description reads its fields from the description part only, so an essay's "12 BC" or
"orichalcum" never becomes the coin's date or metal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from numismatics.measurements import DIAMETER_RE, WEIGHT_LABEL_RE, WEIGHT_RE
from numismatics.metals import METAL_WORDS
from numismatics.names import single_word_spellings

_DENOMINATION_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(single_word_spellings("denominations")) + r")(?![\w])", re.IGNORECASE
)
_METAL_RE = re.compile(r"(?<![\w.])(?:AV|AR|AE|Æ|BI|EL|AU|AG|PB)(?=[-\s.(\d]|$)")
_METAL_WORD_RE = re.compile(r"\b(?:" + "|".join(word for word in METAL_WORDS if word[0].isupper()) + r")\b")
_SIDES_RE = re.compile(
    r"\s/\s|//|\bRev\.|\bRev:|\bRv\.|\bRs\.|\bRs:|\bR/|\bObv[.:]|\bVs\.|\bD/|\bAnv\.|\bRevers\b"
)
_ERA_RE = re.compile(
    r"\b(?:BC|AD|BCE|CE|B\.C\.|A\.D\.)\b|\b[nv]\.\s?Chr\b|\ba[vp]\.\s?J\.?-?C\b|\b[ad]\.\s?C\.|\b\d{1,3}\s?AC\.",
)
_CITATION_RE = re.compile(
    r"\b(?:RIC|RPC|RSC|RRC|BMC\w*|SNG|HGC|DOC|MIR|MIB\w*|SB|SRCV|Sear|Crawford|Crawf\.|Cr\.|Syd\.|Sydenham|"
    r"Cohen|Calicó|Bab\.|Babelon|Price|Woytek|Göbl|Dattari|Milne|Emmett|Mitchiner|Album|Klat|Hendin|"
    r"Meshorer|Traité|Vlasto|Jameson|Weber|Paruck|Alram|ABC|Ffc|FAB|ACIP|CNV|HN)\.?\s?(?:[IVX]{1,4}(?:\.\d)?\s)?"
    r"(?:[A-Z][a-z]+\s)?\d"
)
_GRADE_RE = re.compile(
    r"\b(?:fine|very fine|extremely fine|EF|VF|XF|aEF|gVF|FDC|Unc|AU|MS|vorzüglich|sehr schön|schön|"
    r"Stempelglanz|TTB|TB|SUP|SPL|BB|qSPL|qFDC|MBC|EBC|SC|ss|vz|st)\b[+-]?",
)
_LABEL_START_RE = re.compile(
    r"^(?:Description|Descripción|Beschreibung|Descrizione|References?|Referencias?|Referenze|Literatur|"
    r"Bibliograph\w*|Réf[ée]rences?|Références?|Attribution|Condition|Grade|Erhaltung|Conservazione|"
    r"Conservation|Estado|Obv(?:erse)?|Rev(?:erse)?|Avers|Revers|Vs|Rs|Anv|Weight|Gewicht|Poids|Peso|"
    r"Diameter|Durchmesser|Diamètre|Diametro|Diámetro|Die axis|Axis|Stempelstellung|Axe|Metal|Métal|"
    r"Metall|Metallo|Material|Denomination|Nominal|Dénomination|Nominale|Mint|Münzstätte|Atelier|Zecca|"
    r"Ceca|Date|Datum|Data|Fecha|Ruler|Issuer|Herrscher|Type|Typ|Tipo|Ref)\b(?:\s+[^\W\d]+){0,2}\s*[.:]",
    re.IGNORECASE,
)
_PROVENANCE_RE = re.compile(
    r"^(?:ex[\s:-]|from\s+(?:the|a|an|my)\b|provenan(?:ce|cia)\b|provenien(?:z|za)\b|procedencia\b|"
    r"pedigree\b|purchased\s+from\b|acquired\s+from\b|bought\s+from\b|formerly\b|"
    r"exemplar\s+(?:der|des|aus|von)\b|aus\s+(?:der\s+)?(?:sammlung|auktion)\b|"
    r"ex\s+(?:collezione|collection|coll\.)|"
    r"previously\s+(?:sold|offered)\b|collection\s+of\b|"
    # "formerly", "acquired from", "the specimen of" in the other four languages
    r"ehemals\b|erworben\s+(?:bei|von|aus|in)\b|aus\s+dem\s+besitz\b|"
    r"ancienne\s+collection\b|exemplaire\s+(?:de|du|des)\b|acquis\s+(?:chez|auprès|de|en)\b|"
    r"esemplare\s+(?:della|dello|del|dell['’]|di)|già\s+(?:collezione|asta|in)\b|acquistat[oa]\s+(?:da|presso)\b|"
    r"procedente\s+de\b|ejemplar\s+(?:de|del)\b|antigua\s+colecci[oó]n\b|adquirid[oa]\s+(?:en|a|de)\b)",
    re.IGNORECASE,
)
# Sentences, and a pedigree run on after the grade without a full stop ("... very fine Ex UBS 49").
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])|\s(?=Ex\s+[A-Z])")


def coin_score(line: str) -> int:
    """How much a line looks like a coin description (0: not at all): its features, weighted."""
    score = 0
    if WEIGHT_RE.search(line) or WEIGHT_LABEL_RE.search(line):
        score += 4
    if DIAMETER_RE.search(line):
        score += 2
    if _METAL_RE.search(line) or _METAL_WORD_RE.search(line):
        score += 2
    if _DENOMINATION_RE.search(line):
        score += 2
    score += 2 * min(4, len(_CITATION_RE.findall(line)))
    if _SIDES_RE.search(line):
        score += 3
    if _ERA_RE.search(line):
        score += 1
    if _GRADE_RE.search(line):
        score += 1
    return score


def is_provenance(line: str) -> bool:
    """Does this line or sentence state a previous owner or sale of this coin?"""
    return bool(_PROVENANCE_RE.match(line.strip()))


def starts_with_field_label(line: str) -> bool:
    """ "References: C 350", "Condition:A portrait ...", "Weight: 3,25 g": a labelled part of a lot."""
    return bool(_LABEL_START_RE.match(line.strip()))


@dataclass
class LotText:
    description: str
    provenance: list[str] = field(default_factory=list)
    commentary: str = ""


def _is_commentary(text: str) -> bool:
    """Prose after a description: long, and with few of a description's features for its length."""
    return len(text) > 160 and coin_score(text) * 60 < len(text) and not starts_with_field_label(text)


_PROVENANCE_LABEL_RE = re.compile(r"^(?:Provenance|Provenienz|Provenienza|Procedencia|Pedigree)\s*:\s*", re.I)


def split_lot_text(text: str) -> LotText:
    """The description, provenance lines and commentary of a lot's text (paragraphs kept apart by
    blank lines or line breaks, as pages and house parsers give them). The first lines are the
    description; a provenance line, a "Provenance:" block or a paragraph of prose ends it, and what
    follows is provenance or commentary."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    description: list[str] = []
    provenance: list[str] = []
    commentary: list[str] = []
    described = False  # the description has ended: later text is provenance or commentary
    for paragraph in paragraphs:
        in_block = False
        to_description = not (described or provenance or commentary)
        kept: list[str] = []
        for line in (line.strip() for line in paragraph.split("\n")):
            if not line:
                continue
            if _PROVENANCE_LABEL_RE.match(line) and (description or kept):
                in_block = True
                provenance.append(line)  # as written, label and all: "Provenienza: Asta 54, lotto 230."
                continue
            if in_block and not starts_with_field_label(line):
                provenance.append(line)
                continue
            in_block = False
            if (description or kept) and is_provenance(line):
                provenance.append(line)
                continue
            after_label = bool(kept) and kept[-1].endswith(":")  # "Comments on the condition:" + its text
            if (description or kept) and _is_commentary(line) and not after_label:
                commentary.append(line)
                continue
            kept.append(line)
        if not kept:
            described = described or bool(description)
            continue
        (description if to_description else commentary).append("\n".join(kept))
    return LotText("\n\n".join(description), provenance, "\n\n".join(commentary))


def provenance_sentences(description: str) -> list[str]:
    """Provenance stated inside a one-paragraph description: "... VF. Ex Leu 38, lot 23."."""
    return [sentence.strip() for sentence in _SENTENCE_SPLIT_RE.split(description) if is_provenance(sentence)]


# Künker and others print the metal as a glyph of their catalogue font ("Õ-Denar"); copied as text it
# becomes a letter that means nothing by itself. A page may say what each glyph stands for ("Õ =
# Silber", "Ö: AV"): then, and only then, the glyph is read as that metal.
_GLYPH_LEGEND_RE = re.compile(
    r"(?<![\w])([^\x00-\x7F])\s*(?:=|:|–|-)\s*"
    r"(Gold|Silber|Silver|Bronze|Kupfer|Copper|Billon|Elektron|Electrum|Or|Argent|Oro|Argento|Plata|Bronzo|"
    r"Bronce|AV|AR|AE|BI|EL)\b"
)
_METAL_CODES = {
    "gold": "AV", "or": "AV", "oro": "AV", "av": "AV", "silber": "AR", "silver": "AR", "argent": "AR",
    "argento": "AR", "plata": "AR", "ar": "AR", "bronze": "AE", "bronzo": "AE", "bronce": "AE",
    "kupfer": "AE", "copper": "AE", "ae": "AE", "billon": "BI", "bi": "BI", "elektron": "EL",
    "electrum": "EL", "el": "EL",
}  # fmt: skip


def glyph_legend(text: str) -> dict[str, str]:
    """{"Õ": "AR"} from the legend lines a page prints ("Õ = Silber"); {} when it prints none."""
    return {
        match.group(1): _METAL_CODES[match.group(2).lower()]
        for match in _GLYPH_LEGEND_RE.finditer(text or "")
    }


def legend_lines(text: str) -> list[str]:
    """The legend entries as written, to keep them beside a lot's text."""
    return [match.group(0) for match in _GLYPH_LEGEND_RE.finditer(text or "")]


def apply_glyphs(text: str, legend: dict[str, str]) -> str:
    """ "Õ-Denar" -> "AR-Denar" for the glyphs the legend explains; the rest as written."""
    for glyph, code in legend.items():
        text = re.sub(rf"(?<![\w]){re.escape(glyph)}(?=[-\s])", code, text)
    return text
